import { describe, expect, it } from "vitest";
import check from "./storage-selector.ts";
import { kitFrom, runWith, testCheck } from "../../test/harness/check-tester.ts";
import { machineClassDocs } from "../../src/sources/kit/machine-classes.ts";
import { machineClassYaml } from "../../test/harness/kit-files.ts";

const classFile = (providerdata: string, id = "worker") => machineClassYaml(id, { comment: "the Matrix workers", providerdata });

const BASE = "cores: 4\nsockets: 1\nmemory: 8192\ndisk_size: 40";
const classes = (files: Record<string, string>) => machineClassDocs(kitFrom(files));

testCheck(check, {
  valid: [
    { name: "name == pool (the README's form)", facts: { machineClasses: classes({ "mc.yaml": classFile(`${BASE}\nstorage_selector: name == "local-lvm"`) }) }, message: /1 storage selector/ },
    {
      name: "storageType, availableSpace with u, and an additional disk",
      facts: {
        machineClasses: classes({
          "mc.yaml": classFile(`${BASE}\nstorage_selector: storageType == "lvmthin" && availableSpace > 100000000000u\nadditional_disks:\n  - disk_size: 100\n    storage_selector: name.startsWith("ssd") && node == "pve2"`),
        }),
      },
      message: /2 storage selector/,
    },
  ],
  invalid: [
    {
      name: "`type` (the kit's troubleshooting page), with the fixed expression as an edit",
      facts: { machineClasses: classes({ "classes/worker.yaml": classFile(`${BASE}\nstorage_selector: type == "rbd" && name == "vm_ssd"`) }) },
      results: [
        {
          status: "fail",
          subject: "worker: storage_selector",
          message: /`type` is not a selector variable/,
          location: { file: "classes/worker.yaml", line: 14, column: 25 },
          evidence: ["undeclared reference to 'type' (in container '')"],
          fix: ["edit", "command"],
          satisfies: (r) => expect(r.fix?.summary).toBe('Use storageType == "rbd" && name == "vm_ssd"'),
        },
      ],
    },
    {
      name: "availableSpace compared with a signed number, inside an additional disk",
      facts: { machineClasses: classes({ "mc.yaml": classFile(`${BASE}\nstorage_selector: name == "local-lvm"\nadditional_disks:\n  - disk_size: 100\n    storage_selector: availableSpace > 100`) }) },
      results: [{ subject: "worker: additional_disks[0].storage_selector", message: /u suffix/, location: { line: 17, column: 44 }, evidence: ["found no matching overload for '_>_' applied to '(uint, int)'"], fix: ["edit", "command"] }],
    },
    {
      name: "empty selector",
      facts: { machineClasses: classes({ "mc.yaml": classFile(`${BASE}\nstorage_selector: ""`) }) },
      results: [{ message: /empty/, evidence: [/Syntax error: mismatched input '<EOF>'/], fix: ["manual", "command"] }],
    },
    {
      name: "the old storage.filter form, written as a block (no verbatim position: a manual fix)",
      facts: { machineClasses: classes({ "mc.yaml": classFile(`${BASE}\nstorage_selector: |\n  storage.filter(s, s.type == "lvmthin" && s.enabled)[0].storage`) }) },
      results: [{ message: /old `storage.filter/, fix: ["manual", "command"], satisfies: (r) => expect(r.fix?.steps[0]?.description).toMatch(/storageType == "lvmthin"/) }],
    },
    {
      name: "a string result",
      facts: { machineClasses: classes({ "mc.yaml": classFile(`${BASE}\nstorage_selector: name`) }) },
      results: [{ message: /evaluates to a string/ }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("machine-class/storage-selector fixes", () => {
  it.each([
    ['type == "rbd" && name == "vm_ssd"', 'storageType == "rbd" && name == "vm_ssd"'],
    ["availableSpace > 100", "availableSpace > 100u"],
  ])("%s becomes %s, nothing else changes, and the result passes", async (selector, fixed) => {
    const before = classFile(`${BASE}\nstorage_selector: ${selector}  # pool on every node\nnetwork_bridge: vmbr0`);
    const [result] = await runWith(check, { machineClasses: classes({ "mc.yaml": before }) });
    const step = result!.fix!.steps[0]!;
    if (step.kind !== "edit") throw new Error("expected an edit");
    expect(step.edit.after).toBe(before.replace(selector, fixed));
    const again = await runWith(check, { machineClasses: classes({ "mc.yaml": step.edit.after }) });
    expect(again.map((r) => r.status)).toEqual(["pass"]);
  });
});
