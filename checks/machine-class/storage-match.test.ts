import { expect } from "vitest";
import YAML from "yaml";
import check from "./storage-match.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { node, perSubject, sample, storage } from "../../test/harness/pve-facts.ts";
import { SourceError } from "../../src/sources/source-error.ts";
import { z } from "zod";
import { nodeStorage } from "../../src/sources/proxmox/responses.ts";
import type { Result } from "../../src/model/result.ts";
import { machineClassYaml } from "../../test/harness/kit-files.ts";

const classFile = (id: string, providerdata: string) => machineClassYaml(id, { comment: `${id}: keep this comment`, providerdata });
const kit = (providerdata: string) => kitFrom({ "machine-classes/workers.yaml": classFile("workers", providerdata) });
const workers = (selector: string, extra = "") => kit(`cores: 4\nmemory: 8192\ndisk_size: 40\n# the disk's storage\nstorage_selector: ${selector}\n${extra}`);

const local = storage({ storage: "local", type: "dir", content: "iso,vztmpl,backup" });
const lvm = storage({ storage: "local-lvm" });
const ceph = storage({ storage: "ceph-vm", type: "rbd" });
const twoNodes = [node("pve1"), node("pve2")];
const healthy = perSubject({ pve1: [local, lvm], pve2: [local, lvm] });
/** A real node storage list: an inactive rbd, a disabled lvmthin, and `local` for ISOs. */
const realList = z.array(nodeStorage).parse(sample("nodes-node-storage.pve8.json"));

/** The edit the fix proposes: only the selector line changes, comments stay, the YAML still parses. */
function selectsInEdit(expected: string) {
  return (r: Result) => {
    const step = r.fix!.steps.find((s) => s.kind === "edit") as { edit: { before: string; after: string } } | undefined;
    if (!step) throw new Error(`no edit in ${JSON.stringify(r.fix)}`);
    const changed = step.edit.after.split("\n").filter((line, i) => line !== step.edit.before.split("\n")[i]);
    expect(changed).toEqual([`      storage_selector: ${expected}`]);
    expect(step.edit.after).toContain("# workers: keep this comment");
    expect(step.edit.after).toContain("# the disk's storage");
    const providerdata = YAML.parse(YAML.parse(step.edit.after).spec.autoprovision.providerdata);
    expect(providerdata.storage_selector).toBe(expected.replace(/^'|'$/g, ""));
    expect(r.fix!.steps.at(-1)).toMatchObject({ kind: "command", argv: ["omnictl", "apply", "-f", "machine-classes/workers.yaml"] });
  };
}

testCheck(check, {
  valid: [
    { name: "the README's selector on two nodes", facts: { kit: workers('name == "local-lvm"'), nodes: twoNodes, storages: healthy }, message: /1 machine class\(es\): every selector picks exactly one usable storage \(2 disk\/node pair\(s\)\)/ },
    { name: "a type selector that matches one storage", facts: { kit: workers('storageType == "lvmthin"'), nodes: twoNodes, storages: healthy } },
    { name: "a pinned node only needs a match there", facts: { kit: workers('name == "ceph-vm"', "node: pve2"), nodes: twoNodes, storages: perSubject({ pve1: [local, lvm], pve2: [local, ceph] }) } },
    { name: "an additional disk with its own selector", facts: { kit: workers('name == "local-lvm"', 'additional_disks:\n  - disk_size: 100\n    storage_selector: name == "ceph-vm"'), nodes: [node("pve1")], storages: perSubject({ pve1: [local, lvm, ceph] }) } },
  ],
  invalid: [
    {
      name: "no match on one node (the SCALING_UP of seed 000)",
      facts: { kit: workers('name == "vm_ssd"'), nodes: twoNodes, storages: perSubject({ pve1: [local, lvm, storage({ storage: "vm_ssd", type: "rbd" })], pve2: [local, lvm] }) },
      results: [
        {
          status: "fail",
          subject: "machine class workers on pve2",
          message: /matches no storage on pve2: the provider fails with "no matches for the condition"/,
          location: { file: "machine-classes/workers.yaml", line: 14, column: 25 },
          evidence: ["storage_selector: name == \"vm_ssd\"", "storages on pve2, in the order Proxmox lists them: local (dir), local-lvm (lvmthin)"],
          fix: ["edit", "command"],
          satisfies: selectsInEdit('name == "local-lvm"'),
        },
      ],
    },
    {
      name: "no match on any node (a typo): one finding for the class",
      facts: { kit: workers('name == "local_lvm"'), nodes: twoNodes, storages: healthy },
      results: [{ status: "fail", subject: "machine class workers", message: /matches no storage on any node it may use \(pve1, pve2\)/, evidence: [/local_lvm/, /storages on pve1/, /storages on pve2/], satisfies: selectsInEdit('name == "local-lvm"') }],
    },
    {
      name: "a real storage list: the selector picks the disabled lvmthin",
      facts: { kit: workers('name == "local-lvm"'), nodes: [node("pve")], storages: perSubject({ pve: realList }) },
      results: [{ status: "fail", subject: "machine class workers on pve", message: /would put the disk on local-lvm, which is disabled on this node/, fix: ["manual"] }],
    },
    {
      name: "a match that cannot hold VM disks",
      facts: { kit: workers('name == "local"'), nodes: [node("pve1")], storages: perSubject({ pve1: [local, lvm] }) },
      results: [{ status: "fail", message: /local, which does not hold VM disks \(content: iso, vztmpl, backup\)/, satisfies: selectsInEdit('name == "local-lvm"') }],
    },
    {
      name: "too small: thick LVM fails, thin LVM warns",
      facts: { kit: workers('storageType == "lvm" || storageType == "lvmthin"'), nodes: twoNodes, storages: perSubject({ pve1: [local, storage({ storage: "big-lvm", type: "lvm", availGb: 10 })], pve2: [local, storage({ storage: "thin", availGb: 10 })] }) },
      results: [
        { status: "fail", subject: "machine class workers on pve1", message: /big-lvm, which has 10 GiB free, less than the 40 GiB disk/ },
        { status: "warn", subject: "machine class workers on pve2", message: /thin, which has 10 GiB free/ },
      ],
    },
    {
      name: "several matches: the pick depends on PVE's unstable order",
      facts: { kit: workers('availableSpace > 1000u'), nodes: [node("pve1")], storages: perSubject({ pve1: [lvm, ceph, local] }) },
      results: [{ status: "warn", message: /matches 3 storages \(local-lvm, ceph-vm, local\)/, satisfies: selectsInEdit('name == "local-lvm"') }],
    },
    {
      name: "no ISO storage on a node, and one node unreadable",
      facts: { kit: workers('name == "local-lvm"'), nodes: [node("pve1"), node("pve2"), node("pve3")], storages: perSubject({ pve1: [local, lvm], pve2: [lvm] }, { pve3: new SourceError("pve", "unreachable", "GET /nodes/pve3/storage: 595 No route to host") }) },
      results: [
        { status: "error", subject: "Proxmox node pve3", message: /595 No route to host/ },
        { status: "fail", subject: "Proxmox node pve2", message: /has no enabled storage with ISO content/, fix: ["manual"] },
      ],
    },
    {
      name: "an inactive ISO storage: enabling ISO content on a directory storage",
      facts: { kit: workers('name == "local-lvm"'), nodes: [node("pve1")], storages: perSubject({ pve1: [storage({ storage: "nfs-iso", type: "nfs", content: "iso", active: 0 }), lvm] }) },
      results: [{ status: "fail", subject: "Proxmox node pve1", message: /ISO storage nfs-iso .* is not active/, fix: ["api"] }],
    },
  ],
  unavailable: [
    { name: "no Proxmox credentials", source: "pve", kind: "not-configured", status: "skip", facts: { kit: workers('name == "local-lvm"') } },
    { name: "storage list refused (401)", source: "pve", kind: "auth", status: "error", facts: { kit: workers('name == "local-lvm"') } },
  ],
});
