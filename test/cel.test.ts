import { describe, expect, it } from "vitest";
import { compileSelector, firstMatch, type StorageCandidate } from "../src/cel/storage-selector.ts";
import { machineClassDocs } from "../src/sources/kit/machine-classes.ts";
import { kitFrom } from "./harness/check-tester.ts";

const storages: StorageCandidate[] = [
  { name: "local", node: "pve1", storageType: "dir", availableSpace: 50_000_000_000n },
  { name: "local-lvm", node: "pve1", storageType: "lvmthin", availableSpace: 400_000_000_000n },
  { name: "fast-lvm", node: "pve1", storageType: "lvmthin", availableSpace: 900_000_000_000n },
];

describe("storage selector", () => {
  it("evaluates per storage in PVE's order, first match wins", () => {
    const selector = compileSelector('storageType == "lvmthin" && availableSpace > 100000000000u');
    if (!selector.ok) throw new Error(selector.problem.message);
    const { match, all } = firstMatch(selector, storages);
    expect(match?.name).toBe("local-lvm");
    expect(all.map((s) => s.name)).toEqual(["local-lvm", "fast-lvm"]);
  });

  it.each([
    ['type == "rbd" && name == "vm_ssd"', "undeclared", 'storageType == "rbd" && name == "vm_ssd"'],
    ["availableSpace > 100", "overload", "availableSpace > 100u"],
    ["", "empty", 'name == "local-lvm"'],
    ['storage.filter(s, s.type == "lvmthin" && s.enabled)[0].storage', "legacy", 'storageType == "lvmthin"'],
    ["name", "not-bool", 'name == "local-lvm"'],
    ['name == "a" &&', "syntax", undefined],
    ["name == 5", "overload", undefined],
  ])("%j is refused (%s) with the fix %j", (expression, kind, fixed) => {
    const selector = compileSelector(expression);
    expect(selector.ok).toBe(false);
    if (selector.ok) return;
    expect(selector.problem.kind).toBe(kind);
    expect(selector.problem.fixed).toBe(fixed);
    if (fixed) expect(compileSelector(fixed).ok).toBe(true);
  });

  it.each([
    ["availableSpace > 100", 15],
    ['name == "a" && availableSpace >= 5', 30],
    ['name == "x" && type == "rbd"', 15],
  ])("%j: the problem is placed at offset %i", (expression, offset) => {
    const selector = compileSelector(expression);
    expect(selector.ok ? undefined : selector.problem.offset).toBe(offset);
  });

  it("accepts the forms the corpus uses", () => {
    for (const e of ['name == "local-lvm"', 'name == "nvme0-vmstore"', 'name.startsWith("ssd") && node == "pve2"', 'size(name) > 3']) expect(compileSelector(e).ok, e).toBe(true);
  });
});

describe("machine classes", () => {
  it("maps providerdata positions back to the file, later documents included", () => {
    const text = [
      "metadata:",
      "  type: MachineClasses.omni.sidero.dev",
      "  id: a",
      "spec: {}",
      "---",
      "metadata:",
      "  namespace: default",
      "  type: MachineClasses.omni.sidero.dev",
      "  id: worker",
      "spec:",
      "  autoprovision:",
      "    providerid: proxmox",
      "    providerdata: |",
      "      cores: 4",
      "      storage_selector: availableSpace > 100",
      "",
    ].join("\n");
    const [, worker] = machineClassDocs(kitFrom({ "classes.yaml": text }));
    expect(worker).toMatchObject({ id: "worker", form: "cosi", providerId: "proxmox" });
    expect(worker!.providerData!.value).toEqual({ cores: 4, storage_selector: "availableSpace > 100" });
    expect(worker!.providerData!.locate(["storage_selector"])).toEqual({ file: "classes.yaml", line: 15, column: 25 });
    expect(worker!.locate(["spec", "autoprovision", "providerid"])).toEqual({ file: "classes.yaml", line: 12, column: 17 });
  });

  it("recognises the kubectl-style form omnictl rejects", () => {
    const [doc] = machineClassDocs(kitFrom({ "mc.yaml": "apiVersion: infrastructure.omni.siderolabs.io/v1alpha1\nkind: MachineClass\nmetadata:\n  name: small\nspec:\n  config:\n    cpu: 2\n" }));
    expect(doc).toMatchObject({ id: "small", form: "kubectl" });
  });
});
