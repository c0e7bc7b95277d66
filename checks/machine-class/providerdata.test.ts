import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import check from "./providerdata.ts";
import { kitFrom, runWith, testCheck } from "../../test/harness/check-tester.ts";
import { ROOT } from "../../test/harness/cli.ts";
import { machineClassDocs } from "../../src/sources/kit/machine-classes.ts";
import { PROVIDERDATA_SCHEMA } from "../../src/sources/kit/providerdata.ts";
import { machineClassYaml } from "../../test/harness/kit-files.ts";

const classFile = (providerdata: string, id = "worker") => machineClassYaml(id, { emptyMatchLabels: true, providerdata });

const GOOD = 'cores: 4\nsockets: 1\nmemory: 8192\ndisk_size: 40\nstorage_selector: name == "local-lvm"';
const classes = (files: Record<string, string>) => machineClassDocs(kitFrom(files));

testCheck(check, {
  valid: [
    { name: "the README's keys", facts: { machineClasses: classes({ "mc.yaml": classFile(GOOD) }) }, message: /1 machine class/ },
    {
      name: "every optional key, and a label-selector class beside it",
      facts: {
        machineClasses: classes({
          "mc.yaml": classFile(
            `${GOOD}\nnode: pve1\nnetwork_bridge: vmbr0\nvlan: 0\ndisk_ssd: true\ndisk_discard: true\ndisk_iothread: true\ndisk_cache: none\ndisk_aio: io_uring\ncpu_type: host\nmachine_type: q35\nnuma: true\nhugepages: 1GB\nballoon: false\nadditional_nics:\n  - bridge: vmbr1\n    firewall: false\npci_devices:\n  - mapping: gpu\n    pcie: true\nadditional_disks:\n  - disk_size: 100\n    storage_selector: name == "ssd"\n    disk_cache: writeback`,
          ),
          "labels.yaml": "metadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n  id: cp\nspec:\n  matchlabels:\n    - omni.sidero.dev/cpu = qemu\n",
        }),
      },
    },
  ],
  invalid: [
    {
      name: "grpctunnel inside providerdata (anvaplus): it belongs to autoprovision",
      facts: { machineClasses: classes({ "machine-classes/control-plane.yaml": classFile(`${GOOD}\ngrpctunnel: 0`, "proxmox-control-plane") }) },
      results: [{ status: "warn", severity: "warning", subject: "proxmox-control-plane: grpctunnel", message: /belongs to spec.autoprovision/, location: { file: "machine-classes/control-plane.yaml", line: 15, column: 7 } }],
    },
    {
      name: "bios and vga (newer providers): info, never a fail",
      facts: { machineClasses: classes({ "dell-worker.yaml": classFile(`${GOOD}\nbios: seabios\nvga: std`) }) },
      results: [
        { status: "warn", severity: "info", subject: "worker: bios", message: /newer provider releases understand it/ },
        { status: "warn", severity: "info", subject: "worker: vga" },
      ],
    },
    {
      name: "camelCase keys: required settings missing, and renames offered",
      facts: { machineClasses: classes({ "mc.yaml": classFile("cores: 2\nsockets: 1\nmemory: 4096\ndiskSize: 40\nstorageSelector: name == \"local-lvm\"") }) },
      results: [
        { status: "fail", subject: "worker: providerdata", message: "required settings missing: disk_size, storage_selector", location: { line: 9, column: 5 } },
        { status: "warn", subject: "worker: diskSize", message: /did you mean disk_size/, location: { line: 13, column: 7 }, fix: ["edit", "command"] },
        { status: "warn", subject: "worker: storageSelector", message: /did you mean storage_selector/, fix: ["edit", "command"] },
      ],
    },
    {
      name: "limits, types and enums, inside additional disks too",
      facts: {
        machineClasses: classes({
          "mc.yaml": classFile('cores: 0\nsockets: 1\nmemory: 1024\ndisk_size: "40"\nstorage_selector: name == "a"\ndisk_cache: fast\nhugepages: 1024\nadditional_disks:\n  - disk_size: 10\n  - storage_selector: name == "b"\n    disk_size: 0\nadditional_nics:\n  - vlan: 3'),
        }),
      },
      results: [
        { subject: "worker: cores", message: "cores must be at least 1, not 0" },
        { subject: "worker: memory", message: "memory must be at least 2048, not 1024" },
        { subject: "worker: disk_size", message: 'disk_size must be a whole number, not string "40"' },
        { subject: "worker: disk_cache", message: 'disk_cache must be one of none, writethrough, writeback, directsync, unsafe, not "fast"' },
        { subject: "worker: hugepages", message: /must be one of 2MB, 1GB, not 1024|must be a string/ },
        { subject: "worker: additional_disks[0]", message: "additional_disks[0] is missing storage_selector", location: { line: 18, column: 11 } },
        { subject: "worker: additional_disks[1].disk_size", message: "additional_disks[1].disk_size must be at least 1, not 0" },
        { subject: "worker: additional_nics[0]", message: "additional_nics[0] is missing bridge" },
      ],
    },
    {
      name: "machine_type i440fx, no sockets, PCIe without q35",
      facts: { machineClasses: classes({ "mc.yaml": classFile('cores: 2\nmemory: 4096\ndisk_size: 40\nstorage_selector: name == "a"\nmachine_type: i440fx\npci_devices:\n  - mapping: gpu\n    pcie: true') }) },
      results: [
        { status: "fail", subject: "worker: machine_type", message: /Proxmox does not know that value/, location: { line: 14, column: 7 } },
        { status: "warn", subject: "worker: sockets", message: /set sockets: 1/ },
        { status: "warn", subject: "worker: pci_devices", message: /needs machine_type: q35/ },
      ],
    },
    {
      name: "providerdata that is not YAML, at its line in the file",
      facts: { machineClasses: classes({ "mc.yaml": classFile('cores: 2\nmemory: [4096\ndisk_size: 40\nstorage_selector: name == "a"') }) },
      results: [{ status: "fail", message: /not valid YAML/, location: { file: "mc.yaml" } }],
    },
    {
      name: "autoprovision without providerdata",
      facts: { machineClasses: classes({ "mc.yaml": "metadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n  id: w\nspec:\n  autoprovision:\n    providerid: proxmox\n" }) },
      results: [{ status: "fail", message: /no providerdata/, location: { line: 6, column: 3 } }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("machine-class/providerdata", () => {
  it("follows the provider's JSON schema (fixtures/samples/omni, a copy of the provider's schema.json)", () => {
    const schema = JSON.parse(readFileSync(join(ROOT, "fixtures/samples/omni/proxmox-providerdata-schema.json"), "utf8")) as {
      required: string[];
      properties: Record<string, { type: string; minimum?: number; enum?: string[]; items?: { required: string[]; properties: Record<string, { type: string; minimum?: number; enum?: string[] }> } }>;
    };
    const rules = (p: { type: string; minimum?: number; enum?: readonly string[] }) => ({ type: p.type, minimum: p.minimum, enum: p.enum ? [...p.enum] : undefined });
    expect([...PROVIDERDATA_SCHEMA.required]).toEqual(schema.required);
    expect(Object.keys(PROVIDERDATA_SCHEMA.properties).sort()).toEqual(Object.keys(schema.properties).sort());
    for (const [key, want] of Object.entries(schema.properties)) {
      const ours = PROVIDERDATA_SCHEMA.properties[key]!;
      if (want.items) {
        if (ours.type !== "array") throw new Error(`${key} should be a list`);
        expect([...ours.items.required], key).toEqual(want.items.required);
        for (const [field, w] of Object.entries(want.items.properties)) expect(rules(ours.items.properties[field]!), `${key}.${field}`).toEqual(rules(w));
      } else {
        expect(rules(ours as never), key).toEqual(rules(want));
      }
    }
  });

  it("renames a misspelt key in place, and the result passes", async () => {
    const before = classFile(`${GOOD.replace("storage_selector", "storageSelector")}  # local thin pool`);
    const results = await runWith(check, { machineClasses: classes({ "mc.yaml": before }) });
    const rename = results.find((r) => r.subject === "worker: storageSelector")!.fix!.steps[0]!;
    if (rename.kind !== "edit") throw new Error("expected an edit");
    expect(rename.edit.after).toBe(before.replace("storageSelector", "storage_selector"));
    expect((await runWith(check, { machineClasses: classes({ "mc.yaml": rename.edit.after }) })).map((r) => r.status)).toEqual(["pass"]);
  });
});
