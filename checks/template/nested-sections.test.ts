import { describe, expect, it } from "vitest";
import check, { splitNestedSections } from "./nested-sections.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { templateFiles } from "../../src/sources/kit/templates.ts";
import type { Result } from "../../src/model/result.ts";

const NESTED = `# prod
kind: Cluster
name: prod
kubernetes:
  version: v1.34.2
talos:
  version: v1.12.0
# three control planes
controlPlane:
  machineClass:
    name: control-plane # pinned
    size: 3
workers:
  - name: big
    machineClass:
      name: worker
      size: 2
`;

const SPLIT = `kind: Cluster
name: prod
kubernetes:
  version: v1.34.2
talos:
  version: v1.12.0
---
kind: ControlPlane
machineClass:
  name: control-plane
  size: 3
`;

const templates = (files: Record<string, string>) => templateFiles(kitFrom(files));

testCheck(check, {
  valid: [
    { name: "multi-document template", facts: { templates: templates({ "clusters/prod.yaml": SPLIT }) }, message: /1 template file/ },
    { name: "a Cluster with a Workers document", facts: { templates: templates({ "t.yaml": "kind: Cluster\nname: a\n---\nkind: Workers\nname: w\n" }) } },
  ],
  invalid: [
    {
      name: "controlPlane and workers nested (the seed's example)",
      facts: { templates: templates({ "clusters/prod.yaml": NESTED }) },
      results: [
        {
          status: "fail",
          subject: "clusters/prod.yaml",
          message: /controlPlane and workers are nested/,
          location: { file: "clusters/prod.yaml", line: 9, column: 1 },
          evidence: ["error decoding document at line 2:1: yaml: construct errors: line 8: field controlPlane not found in type models.Cluster; line 12: field workers not found in type models.Cluster"],
          fix: ["edit", "command"],
        },
      ],
    },
    {
      name: "nested in a later document: positions count in that document",
      facts: { templates: templates({ "t.yaml": "kind: Machine\nname: 430d882a-51a8-48b3-ae00-90c5b0b5b0b0\n---\nkind: Cluster\nname: a\nworkers:\n  machineClass:\n    name: w\n" }) },
      results: [{ status: "fail", location: { line: 6, column: 1 }, evidence: ["error decoding document at line 3:1: yaml: construct errors: line 3: field workers not found in type models.Cluster"] }],
    },
    {
      name: "wording of Omni 1.7 (construct errors on separate lines)",
      facts: { templates: templates({ "t.yaml": "kind: Cluster\nname: a\ncontrolPlane: {}\n" }) },
      ctx: { omniVersion: "1.7.2" },
      results: [{ evidence: ["error decoding document at line 1:1: yaml: construct errors:\n  line 3: field controlPlane not found in type models.Cluster"] }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("template/nested-sections fix", () => {
  it("splits into separate documents, keeping comments, and the result passes", async () => {
    const [file] = templates({ "clusters/prod.yaml": NESTED });
    const after = splitNestedSections(file!, file!.docs[0]!, 0);
    expect(after).toBe(`# prod
kind: Cluster
name: prod
kubernetes:
  version: v1.34.2
talos:
  version: v1.12.0
---
# three control planes
kind: ControlPlane
machineClass:
  name: control-plane # pinned
  size: 3
---
kind: Workers
name: big
machineClass:
  name: worker
  size: 2
`);
    const { runWith } = await import("../../test/harness/check-tester.ts");
    const results: Result[] = await runWith(check, { templates: templates({ "clusters/prod.yaml": after }) });
    expect(results.map((r) => r.status)).toEqual(["pass"]);
  });

  it("leaves the other documents of the file byte-identical", () => {
    const text = `kind: Machine # keep me\nname:   430d882a-51a8-48b3-ae00-90c5b0b5b0b0\n---\nkind: Cluster\nname: a\nworkers:\n  machineClass: {name: w, size: 1}\n---\nkind: Machine\nname: x\n`;
    const [file] = templates({ "t.yaml": text });
    const after = splitNestedSections(file!, file!.docs[1]!, 1);
    expect(after.startsWith("kind: Machine # keep me\nname:   430d882a-51a8-48b3-ae00-90c5b0b5b0b0\n---\n")).toBe(true);
    expect(after.endsWith("---\nkind: Machine\nname: x\n")).toBe(true);
  });
});
