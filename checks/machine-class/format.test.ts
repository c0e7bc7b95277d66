import { describe, expect, it } from "vitest";
import check from "./format.ts";
import { kitFrom, runWith, testCheck } from "../../test/harness/check-tester.ts";
import { machineClassDocs } from "../../src/sources/kit/machine-classes.ts";
import { machineClassYaml } from "../../test/harness/kit-files.ts";

const classes = (files: Record<string, string>) => machineClassDocs(kitFrom(files));
const GOOD = (id: string) => machineClassYaml(id, { emptyMatchLabels: true, providerdata: "cores: 2" });

const README = `# Extracted from the provider README
apiVersion: infrastructure.omni.siderolabs.io/v1alpha1
kind: MachineClass
metadata:
  name: proxmox-auto
spec:
  type: auto-provision
  provider: proxmox
  config:
    cpu: 4
`;

testCheck(check, {
  valid: [
    { name: "COSI class with an empty matchlabels beside autoprovision (every corpus class does it)", facts: { machineClasses: classes({ "a.yaml": GOOD("a") }) }, message: /1 machine class/ },
    {
      name: "two label-selector classes in one file",
      facts: { machineClasses: classes({ "pk8s.yaml": "metadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n  id: cp\nspec:\n  matchlabels:\n    - omni.sidero.dev/cpu = qemu, pk8s-dev = cp\n---\nmetadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n  id: w\nspec:\n  matchlabels:\n    - pk8s-dev = worker\n" }) },
    },
  ],
  invalid: [
    {
      name: "the provider README's kubectl-style class",
      facts: { machineClasses: classes({ "README.md.snippets/03-machine-class.yaml": README }) },
      results: [{ status: "fail", subject: "proxmox-auto", message: /kubectl-style/, location: { line: 2, column: 1 }, evidence: ["expected 4 elements node, got 8"], fix: ["manual", "command"] }],
    },
    {
      name: "wrong type, no namespace, both selection modes, a misspelt field",
      facts: {
        machineClasses: classes({
          "mc.yaml": "metadata:\n  type: MachineClass\n  id: w\nspec:\n  matchlabels:\n    - a = b\n  autoprovision:\n    providerId: proxmox\n    providerdata: |\n      cores: 2\n",
        }),
      },
      results: [
        { status: "fail", subject: "w: metadata.type", message: /not MachineClasses.omni.sidero.dev/, location: { line: 2, column: 3 }, fix: ["edit", "command"] },
        { status: "warn", subject: "w: metadata.namespace", fix: ["edit", "command"] },
        { status: "fail", subject: "w: spec", evidence: ["can't set both auto provision and match labels at the same time"] },
        { status: "fail", subject: "w: spec.autoprovision.providerId", message: /did you mean providerid/, location: { line: 8, column: 5 }, fix: ["edit", "command"] },
      ],
    },
    {
      name: "no type at all (the skill's examples), neither selection mode",
      facts: { machineClasses: classes({ "ex.yaml": "metadata:\n  id: x\nspec:\n  autoprovision: null\n  matchlabels: []\n" }) },
      results: [{ subject: "x: metadata.type", message: /missing/ }, { subject: "x: metadata.namespace" }, { subject: "x: spec", evidence: ["machine class should either have auto provision or match labels set"] }],
    },
    {
      name: "the same id in two files (Omni-Scale's test class overwrites production)",
      facts: { machineClasses: classes({ "machine-classes/matrix-worker-hotel.yaml": GOOD("matrix-worker-hotel"), "machine-classes/test/test-matrix-worker-hotel.yaml": GOOD("matrix-worker-hotel") }) },
      results: [{ status: "warn", subject: "machine-classes/test/test-matrix-worker-hotel.yaml: matrix-worker-hotel", message: /also defined in machine-classes\/matrix-worker-hotel.yaml/, location: { line: 4, column: 7 } }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("machine-class/format fixes", () => {
  it("sets the type and adds the namespace in place, keeping comments, and the result passes", async () => {
    const before = "# workers\nmetadata:\n  type: MachineClass # wrong\n  id: w\nspec:\n  autoprovision:\n    providerid: proxmox\n";
    const results = await runWith(check, { machineClasses: classes({ "mc.yaml": before }) });
    const typeEdit = results.find((r) => r.subject === "w: metadata.type")!.fix!.steps[0]!;
    if (typeEdit.kind !== "edit") throw new Error("expected an edit");
    expect(typeEdit.edit.after).toBe(before.replace("type: MachineClass #", "type: MachineClasses.omni.sidero.dev #"));
    const nsEdit = (await runWith(check, { machineClasses: classes({ "mc.yaml": typeEdit.edit.after }) }))[0]!.fix!.steps[0]!;
    if (nsEdit.kind !== "edit") throw new Error("expected an edit");
    expect(nsEdit.edit.after).toBe("# workers\nmetadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev # wrong\n  id: w\nspec:\n  autoprovision:\n    providerid: proxmox\n");
    expect((await runWith(check, { machineClasses: classes({ "mc.yaml": nsEdit.edit.after }) })).map((r) => r.status)).toEqual(["pass"]);
  });
});
