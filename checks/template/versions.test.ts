import { expect } from "vitest";
import check from "./versions.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { templatesFrom } from "../../test/harness/template-kit.ts";
import type { Result } from "../../src/model/result.ts";

const template = (kubernetes: string, talos: string) => `# prod\nkind: Cluster\nname: prod\nkubernetes:\n  version: ${kubernetes} # pinned\ntalos:\n  version: ${talos}\n---\nkind: ControlPlane\n`;
const facts = (kubernetes: string, talos: string) => ({ clusterTemplates: templatesFrom({ "t.yaml": template(kubernetes, talos) }) });
const edited = (kubernetes: string, talos: string) => (r: Result) => {
  const step = r.fix!.steps[0]!;
  expect(step.kind === "edit" && step.edit.after).toBe(template(kubernetes, talos));
};

testCheck(check, {
  valid: [
    { name: "Talos 1.12 with Kubernetes 1.35", facts: facts("v1.35.1", "v1.12.4"), message: /1 template\(s\) pair/ },
    { name: "Kubernetes without a v (Omni accepts it)", facts: facts("1.33.1", "v1.10.2") },
    { name: "the oldest Kubernetes Talos 1.13 runs", facts: facts("v1.31.0", "v1.13.7") },
    { name: "a ${VAR} placeholder filled in before sync is not judged", facts: facts("${KUBERNETES_VERSION}", "v1.13.7") },
  ],
  invalid: [
    {
      name: "Kubernetes too new for the Talos minor: the nearest pair keeps Talos",
      facts: facts("v1.36.0", "v1.12.4"),
      results: [
        {
          status: "fail",
          message: "Kubernetes 1.36.0 does not run on Talos 1.12, which supports Kubernetes 1.30 to 1.35",
          location: { file: "t.yaml", line: 5, column: 3 },
          evidence: ['invalid kubernetes version "1.36.0": is not compatible with talos version "1.12.4"'],
          fix: ["edit"],
          satisfies: edited("v1.35.0", "v1.12.4"),
        },
      ],
    },
    {
      name: "an incomplete Kubernetes version",
      facts: facts("v1.35", "v1.12.0"),
      results: [{ status: "fail", message: /kubernetes\.version v1\.35 is not a full version/, satisfies: edited("v1.35.0", "v1.12.0") }],
    },
    {
      name: "a Talos version without its v",
      facts: facts("v1.35.0", "1.12.0"),
      results: [{ status: "fail", message: /talos\.version 1\.12\.0 is not a full version with a leading v/, location: { line: 7, column: 3 }, satisfies: edited("v1.35.0", "v1.12.0") }],
    },
    {
      name: "Talos newer than the release supports",
      facts: facts("v1.37.0", "v1.14.0"),
      results: [{ status: "fail", evidence: ['talos version "1.14.0" is not supported by this Omni release'], satisfies: edited("v1.36.0", "v1.13.0") }],
    },
    {
      name: "Talos older than the release's minimum: a warning (existing clusters keep it)",
      facts: facts("v1.18.2", "v1.5.0"),
      results: [{ status: "warn", severity: "warning", evidence: ['talos version "1.5.0" is no longer supported'], satisfies: edited("v1.27.0", "v1.9.0") }],
    },
    {
      name: "the minimum follows --omni-version",
      facts: facts("v1.30.0", "v1.7.4"),
      ctx: { omniVersion: "1.6.0" },
      results: [{ status: "warn", message: /older than Omni 1\.6\.0's minimum 1\.8\.0/ }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});
