import { expect } from "vitest";
import check from "./control-plane-size.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { templatesFrom } from "../../test/harness/template-kit.ts";

const template = (controlPlane: string) => `kind: Cluster\nname: prod\n---\nkind: ControlPlane\n${controlPlane}`;
const facts = (text: string) => ({ clusterTemplates: templatesFrom({ "t.yaml": text }) });

testCheck(check, {
  valid: [
    { name: "three control planes from a class", facts: facts(template("machineClass:\n  name: cp\n  size: 3\n")), message: /1 control plane set/ },
    { name: "one listed machine", facts: facts(template("machines:\n  - 430d882a-51a8-48b3-ae00-90c5b0b5b0b0\n")) },
  ],
  invalid: [
    {
      name: "size 2, edited to 3",
      facts: facts(template("machineClass:\n  name: cp\n  size: 2 # two nodes\n")),
      results: [
        {
          status: "warn",
          severity: "warning",
          message: "2 control planes: etcd needs 2 of them for quorum, so it survives 0 failure(s), no more than 1 would",
          location: { file: "t.yaml", line: 7, column: 3 },
          fix: ["edit"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            expect(step.kind === "edit" && step.edit.after).toBe(template("machineClass:\n  name: cp\n  size: 3 # two nodes\n"));
          },
        },
      ],
    },
    { name: "four listed machines", facts: facts(template("machines:\n  - a\n  - b\n  - c\n  - d\n")), results: [{ status: "warn", message: /^4 control planes/, fix: ["manual"] }] },
    { name: "no size: no control plane", facts: facts(template("machineClass:\n  name: cp\n")), results: [{ status: "warn", message: /gets no machines/ }] },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});
