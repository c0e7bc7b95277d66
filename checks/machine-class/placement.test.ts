import { expect } from "vitest";
import check from "./placement.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { node, perSubject } from "../../test/harness/pve-facts.ts";
import { networkInterface, pciMapping } from "../../src/sources/proxmox/responses.ts";
import { SourceError } from "../../src/sources/source-error.ts";
import { machineClassYaml } from "../../test/harness/kit-files.ts";

const kit = (providerdata: string) =>
  kitFrom({
    "machine-classes/gpu.yaml": machineClassYaml("gpu", { providerdata }),
  });
const base = 'cores: 4\nmemory: 8192\ndisk_size: 40\nstorage_selector: name == "local-lvm"';
const bridges = (...names: string[]) => [networkInterface.parse({ iface: "eno1", type: "eth", active: 1 }), ...names.map((iface) => networkInterface.parse({ iface, type: iface.startsWith("ovs") ? "OVSBridge" : "bridge", active: 1 }))];
const nodes = [node("pve1"), node("pve2")];
const networks = perSubject({ pve1: bridges("vmbr0", "vmbr1"), pve2: bridges("vmbr0") });
const gpuMapping = [pciMapping.parse({ id: "rtx", map: ["node=pve1,path=0000:01:00.0,id=10de:2204,iommugroup=14,subsystem-id=1458:403b"] })];

testCheck(check, {
  valid: [
    { name: "default bridge everywhere", facts: { kit: kit(base), nodes, networks }, message: /pinned nodes online, bridges and PCI mappings present/ },
    { name: "pinned to the node with the GPU and the second bridge", facts: { kit: kit(`${base}\nnode: pve1\nnetwork_bridge: vmbr1\npci_devices:\n  - mapping: rtx\n    pcie: true`), nodes, networks: perSubject({ pve1: bridges("vmbr0", "vmbr1") }), pci: gpuMapping } },
    { name: "an SDN VNet as bridge", facts: { kit: kit(`${base}\nnetwork_bridge: labnet`), nodes, networks, vnets: ["labnet"] } },
  ],
  invalid: [
    {
      name: "pinned to a node that is not in the cluster",
      facts: { kit: kit(`${base}\nnode: pve9`), nodes, networks: perSubject({}) },
      results: [{ status: "fail", subject: "machine class gpu", message: /pinned to node pve9, which is not in the cluster: the provider fails with "specified node not found in cluster"/, location: { file: "machine-classes/gpu.yaml", line: 13 }, fix: ["manual", "command"] }],
    },
    { name: "pinned to an offline node", facts: { kit: kit(`${base}\nnode: pve2`), nodes: [node("pve1"), node("pve2", "offline")], networks: perSubject({}) }, results: [{ status: "fail", message: /pve2, which is offline/ }] },
    {
      name: "a bridge only one node has: the fix uses the bridge both have",
      facts: { kit: kit(`${base}\nnetwork_bridge: vmbr1`), nodes, networks, vnets: [] },
      results: [
        {
          status: "fail",
          subject: "machine class gpu on pve2",
          message: /uses bridge vmbr1, which node pve2 does not have/,
          evidence: ["bridges on pve2: vmbr0"],
          fix: ["edit", "command"],
          satisfies: (r) => {
            const step = r.fix!.steps[0] as { edit: { after: string } };
            expect(step.edit.after).toContain("      network_bridge: vmbr0\n");
          },
        },
      ],
    },
    {
      name: "a bridge no node has: one finding for the class, and nothing to edit it to but the bridge all have",
      facts: { kit: kit(`${base}\nnetwork_bridge: vmbr9`), nodes, networks, vnets: [] },
      results: [{ status: "fail", subject: "machine class gpu", message: "uses bridge vmbr9, which none of its nodes (pve1, pve2) has: its VMs get no network", evidence: ["bridges on pve1: vmbr0, vmbr1", "bridges on pve2: vmbr0"], fix: ["edit", "command"] }],
    },
    {
      name: "a PCI mapping without a device on one node, and one that does not exist",
      facts: { kit: kit(`${base}\npci_devices:\n  - mapping: rtx\n  - mapping: nic`), nodes, networks, pci: gpuMapping },
      results: [
        { status: "fail", subject: "machine class gpu on pve2", message: /PCI mapping rtx, which has no device on node pve2: a VM placed there cannot start/ },
        { status: "fail", subject: "machine class gpu, PCI mapping nic", message: "passes through PCI mapping nic, which does not exist (Datacenter → Resource Mappings)" },
      ],
    },
    {
      name: "one node's interfaces unreadable; mappings unreadable",
      facts: { kit: kit(`${base}\npci_devices:\n  - mapping: rtx`), nodes, networks: perSubject({ pve1: bridges("vmbr0") }, { pve2: new SourceError("pve", "timeout", "no answer within 1s: GET /nodes/pve2/network") }) },
      results: [
        { status: "error", subject: "Proxmox node pve2", message: /no answer within 1s/ },
        { status: "skip", subject: "machine class gpu", message: /PCI mappings could not be checked/ },
      ],
    },
  ],
  unavailable: [
    { name: "no Proxmox credentials", source: "pve", kind: "not-configured", status: "skip", facts: { kit: kit(base) } },
    { name: "node list refused (401)", source: "pve", kind: "auth", status: "error", facts: { kit: kit(base) } },
  ],
});
