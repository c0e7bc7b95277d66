import { expect } from "vitest";
import check from "./reserved-labels.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { templatesFrom } from "../../test/harness/template-kit.ts";

const template = (labels: string, patchLabels = "") =>
  `kind: Cluster\nname: prod\nlabels:\n${labels}patches:\n  - name: p\n    inline:\n      machine: {}\n${patchLabels}---\nkind: ControlPlane\n`;
const facts = (text: string) => ({ clusterTemplates: templatesFrom({ "t.yaml": text }) });

testCheck(check, {
  valid: [{ name: "labels of our own", facts: facts(template("  example.com/env: prod\n  team: infra\n")) }],
  invalid: [
    {
      name: "a reserved label on the Cluster and a reserved annotation on a patch, renamed",
      facts: facts(template("  omni.sidero.dev/env: prod\n", "    annotations:\n      omni.sidero.dev/owner: me\n")),
      results: [
        {
          status: "fail",
          message: "omni.sidero.dev/env, omni.sidero.dev/owner use the prefix omni.sidero.dev/, which Omni keeps for its own labels: it rejects the template",
          location: { file: "t.yaml", line: 4, column: 3 },
          evidence: ['label "omni.sidero.dev/env" is invalid: prefix "omni.sidero.dev/" is reserved for internal use', 'annotation "omni.sidero.dev/owner" is invalid: prefix "omni.sidero.dev/" is reserved for internal use'],
          fix: ["edit"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            expect(step.kind === "edit" && step.edit.after).toBe(template("  env: prod\n", "    annotations:\n      owner: me\n"));
          },
        },
      ],
    },
    { name: "the short name is taken: fixed by hand", facts: facts(template("  env: dev\n  omni.sidero.dev/env: prod\n")), results: [{ status: "fail", fix: ["manual"] }] },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});
