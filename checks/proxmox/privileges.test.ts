import check, { PROVIDER_ROLE } from "./privileges.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { node, perSubject, sample, storage } from "../../test/harness/pve-facts.ts";
import type { PermissionTree } from "../../src/sources/proxmox/permissions.ts";
import type { ProviderIdentity } from "../../src/sources/proxmox/settings.ts";
import { machineClassYaml } from "../../test/harness/kit-files.ts";

const provider: ProviderIdentity = { id: "omni@pve!provider", user: "omni@pve", token: "provider", from: "proxmox-provider/config.yaml" };
const root = sample<PermissionTree>("access-permissions.root.pve8.json");
const all = (privs: string[]) => Object.fromEntries(privs.map((p) => [p, 1]));
const VM = ["VM.Allocate", "VM.Audit", "VM.Config.CDROM", "VM.Config.CPU", "VM.Config.Disk", "VM.Config.HWType", "VM.Config.Memory", "VM.Config.Network", "VM.Config.Options", "VM.PowerMgmt"];
/** What a well-made provider token holds: VM rights, its two storages, the bridge, node access. */
const scoped: PermissionTree = {
  "/vms": all(VM),
  "/storage/local-lvm": all(["Datastore.AllocateSpace", "Datastore.Audit"]),
  "/storage/local": all(["Datastore.AllocateTemplate", "Datastore.Audit"]),
  "/nodes": all(["Sys.Audit", "Sys.AccessNetwork"]),
  "/sdn/zones/localnetwork": all(["SDN.Use"]),
};
const nodes = [node("pve1"), node("pve2")];
const storages = perSubject({ pve1: [storage({ storage: "local", type: "dir", content: "iso,vztmpl,backup" }), storage({ storage: "local-lvm" })], pve2: [storage({ storage: "local", type: "dir", content: "iso,vztmpl,backup" }), storage({ storage: "local-lvm" })] });
const classKit = kitFrom({
  "machine-classes/workers.yaml": machineClassYaml("workers", { providerdata: 'cores: 4\nmemory: 8192\ndisk_size: 40\nstorage_selector: name == "local-lvm"\nnetwork_bridge: vmbr1' }),
});
const version = { version: "9.1.5", release: "9.1" };

testCheck(check, {
  valid: [
    { name: "root's real permission report (PVE 8)", facts: { permissions: { provider, tree: root }, nodes, storages, version }, message: /omni@pve!provider \(the provider's, from proxmox-provider\/config.yaml\) holds every privilege/ },
    { name: "a token scoped to exactly what the provider touches", facts: { permissions: { provider, tree: scoped }, nodes, storages, version, kit: kitFrom({}) } },
    { name: "PVE 7 needs no SDN.Use", facts: { permissions: { provider, tree: { ...scoped, "/sdn/zones/localnetwork": {} } }, nodes, storages, version: { version: "7.4-17" } } },
  ],
  invalid: [
    {
      name: "no SDN.Use on the class's bridge (the PVE 8 trap)",
      facts: { permissions: { provider, tree: { ...scoped, "/sdn/zones/localnetwork": {}, "/sdn/zones/localnetwork/vmbr0": all(["SDN.Use"]) } }, nodes, storages, version, kit: classKit },
      results: [
        {
          status: "fail",
          subject: "omni@pve!provider on /sdn/zones/localnetwork/vmbr1",
          message: /lacks SDN.Use on \/sdn\/zones\/localnetwork\/vmbr1, which the provider needs to attach VM network cards to bridge vmbr1/,
          fix: ["api", "api"],
          satisfies: (r) => {
            const grant = r.fix!.steps[1]!;
            if (grant.kind !== "api" || grant.method !== "PUT" || grant.path !== "/access/acl" || grant.parameters.tokens !== "omni@pve!provider" || grant.parameters.roles !== PROVIDER_ROLE) throw new Error(JSON.stringify(grant));
            if (grant.equivalent?.join(" ") !== `pveum acl modify /sdn/zones/localnetwork/vmbr1 --tokens omni@pve!provider --roles ${PROVIDER_ROLE}`) throw new Error(String(grant.equivalent));
          },
        },
      ],
    },
    {
      name: "a read-only token: VMs, storages, downloads missing; node audit only a warning",
      facts: { permissions: { provider, tree: { "/": all(["VM.Audit", "Datastore.Audit", "Sys.Audit"]) } }, nodes, storages, version },
      results: [
        { status: "fail", subject: "omni@pve!provider on /vms", message: /lacks VM.Allocate, VM.Config.CDROM/ },
        { status: "fail", subject: "omni@pve!provider on /storage/local", message: /Datastore.AllocateTemplate/ },
        { status: "fail", subject: "omni@pve!provider on /nodes/pve1", message: /Sys.AccessNetwork.*download the Talos ISO/ },
        { status: "fail", subject: "omni@pve!provider on /nodes/pve2" },
        { status: "fail", subject: "omni@pve!provider on /sdn/zones/localnetwork/vmbr0" },
      ],
    },
    {
      name: "the disk storage the selector picks, not every storage",
      facts: { permissions: { provider, tree: { ...scoped, "/storage/local-lvm": {} } }, nodes, storages, version, kit: classKit },
      results: [{ status: "fail", subject: "omni@pve!provider on /storage/local-lvm", message: /allocate VM disks on storage local-lvm/ }],
    },
    {
      name: "without the provider's identity, omni-doctor's own gaps are only warnings",
      facts: { permissions: { provider: undefined, tree: { "/": all(["VM.Audit", "Sys.Audit", "Datastore.Audit", "SDN.Use", "Sys.AccessNetwork"]) } }, nodes: [node("pve1")], storages: perSubject({}), version },
      results: [{ status: "warn", severity: "warning", subject: "these credentials on /vms", message: /the credentials omni-doctor uses lack VM.Allocate.*if the provider uses other credentials, check those/ }],
    },
    { name: "node audit missing only: a warning", facts: { permissions: { provider, tree: { ...scoped, "/nodes": all(["Sys.AccessNetwork"]) } }, nodes: [node("pve1")], storages: perSubject({}), version }, results: [{ status: "warn", subject: "omni@pve!provider on /nodes/pve1", message: /see the free memory of node pve1/ }] },
  ],
  unavailable: [
    { name: "no Proxmox credentials", source: "pve", kind: "not-configured", status: "skip" },
    { name: "the provider's permissions may not be read (403)", source: "pve", kind: "auth", status: "error" },
  ],
});
