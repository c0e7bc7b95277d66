import { expect } from "vitest";
import check from "./etcd-backup.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { templatesFrom } from "../../test/harness/template-kit.ts";

const template = (body: string) => `kind: Cluster\nname: prod\ntalos:\n    version: v1.12.4\n${body}---\nkind: ControlPlane\n`;
const facts = (text: string) => ({ clusterTemplates: templatesFrom({ "t.yaml": text }) });
const edited = (expected: string) => (r: { fix?: { steps: Array<{ kind: string; edit?: { after: string } }> } }) => expect(r.fix!.steps[0]!.edit?.after).toBe(expected);

testCheck(check, {
  valid: [{ name: "backups every 12 hours", facts: facts(template("features:\n    backupConfiguration:\n        interval: 12h0m0s\n")), message: /1 cluster\(s\) back etcd up/ }],
  invalid: [
    {
      name: "no features at all: the block goes after talos, in the file's indentation",
      facts: facts(template("patches: []\n")),
      results: [{ status: "warn", severity: "info", location: { file: "t.yaml", line: 2, column: 1 }, fix: ["edit", "manual"], satisfies: edited(template("features:\n    backupConfiguration:\n        interval: 12h\npatches: []\n")) }],
    },
    {
      name: "features without backups",
      facts: facts(template("features:\n    enableWorkloadProxy: true\n")),
      results: [{ status: "warn", location: { line: 5, column: 1 }, satisfies: edited(template("features:\n    enableWorkloadProxy: true\n    backupConfiguration:\n        interval: 12h\n")) }],
    },
    { name: "an interval of 0 turns backups off", facts: facts(template("features:\n    backupConfiguration:\n        interval: 0s\n")), results: [{ status: "warn", evidence: ["features.backupConfiguration.interval: 0s"], fix: ["manual", "manual"] }] },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});
