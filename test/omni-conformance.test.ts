/**
 * Omni conformance: every template of Omni's own test data (fixtures/omni-testdata) is accepted or
 * rejected by template/schema as INDEX.md says, and the evidence carries Omni's exact text
 * (expected/*.txt, compared trimmed like Omni's test). The data sits where Omni's TestValidate
 * runs it: patch and manifest paths resolve against the templates' folder, which is the os.Root.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import check from "../checks/template/schema.ts";
import { runWith } from "./harness/check-tester.ts";
import { talosSchemasForTests } from "./harness/template-kit.ts";
import { parseKit, readKitFiles, type Kit } from "../src/sources/kit/kit.ts";
import { buildClusterTemplates } from "../src/sources/kit/cluster-templates.ts";
import type { Result } from "../src/model/result.ts";
import { ROOT } from "./harness/cli.ts";

const DIR = join(ROOT, "fixtures/omni-testdata");

interface Row {
  file: string;
  rejectedAt?: "load" | "validate";
}

/** The rows of INDEX.md's table that name a template (not the `*-resources.yaml` translations or patches). */
function indexRows(): Row[] {
  const rows: Row[] = [];
  for (const line of readFileSync(join(DIR, "INDEX.md"), "utf8").split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const file = cells[1];
    if (!file || !/^cluster[\w-]*\.yaml$/.test(file) || file.endsWith("-resources.yaml")) continue;
    const rejectedAt = cells[2] === "ERROR" ? "load" : cells[3] === "ERROR" ? "validate" : undefined;
    rows.push(rejectedAt ? { file, rejectedAt } : { file });
  }
  return rows;
}

/** The test data as a kit, run from its own folder. Files with an unknown or no kind are not templates to a kit scan; Omni's test loads them anyway. */
function testdataKit(templatesToo: string[] = []): Kit {
  const kit = parseKit(".", readKitFiles(DIR));
  return { ...kit, yaml: kit.yaml.map((f) => (templatesToo.includes(f.path) ? { ...f, kind: "template" as const } : f)) };
}

async function schemaResults(kit: Kit, omniVersion = "1.10.4"): Promise<Result[]> {
  const facts = { clusterTemplates: buildClusterTemplates(kit, { cwd: DIR }), talosSchemas: talosSchemasForTests() };
  return runWith(check, facts, { omniVersion });
}

const rows = indexRows();
let testdataResults: Promise<Result[]> | undefined;
const expectedText = (row: Row) => readFileSync(join(DIR, "expected", `${row.file.replace(/\.yaml$/, "")}.${row.rejectedAt}.txt`), "utf8").trim();

describe("Omni conformance (fixtures/omni-testdata, Omni 1.10.4)", () => {
  it("INDEX.md lists every template of the test data", () => {
    expect(rows.map((r) => r.file)).toHaveLength(19);
    for (const row of rows) expect(existsSync(join(DIR, row.file)), row.file).toBe(true);
  });

  it.each(rows)("$file: accepted or rejected as Omni's tests say, with Omni's own text", async (row) => {
    testdataResults ??= schemaResults(testdataKit(rows.map((r) => r.file)));
    const results = await testdataResults;
    const about = results.filter((r) => r.subject === row.file || r.location?.file === row.file);
    if (!row.rejectedAt) {
      expect(about.filter((r) => r.status === "fail").map((r) => r.evidence?.[0])).toEqual([]);
      return;
    }
    expect(about.map((r) => r.status)).toEqual(["fail"]);
    expect(about[0]!.evidence?.[0]).toBe(expectedText(row));
  });

  it("the extra templates (docs example, exported templates) are accepted", async () => {
    const results = await schemaResults(testdataKit());
    for (const file of ["extra/docs-example-cluster1.yaml", "extra/export-cluster-template.yaml", "extra/export-cluster-template-with-kernel-args.yaml"]) {
      expect(results.filter((r) => r.subject === file && r.status === "fail"), file).toEqual([]);
    }
  });
});

describe("Omni conformance across releases", () => {
  it("words strict-decoding errors as each release's YAML library does", async () => {
    const kit = testdataKit();
    const wording = async (omniVersion: string) => (await schemaResults(kit, omniVersion)).find((r) => r.subject === "cluster-bad-yaml1.yaml")!.evidence![0];
    const field = "line 7: field containerd not found in type models.Cluster";
    expect(await wording("1.5.3")).toBe(`error decoding document at line 1:1: yaml: unmarshal errors:\n  ${field}`);
    expect(await wording("1.9.3")).toBe(`error decoding document at line 1:1: yaml: construct errors:\n  ${field}`);
    expect(await wording("1.10.4")).toBe(`error decoding document at line 1:1: yaml: construct errors: ${field}`);
  });

  it("before 1.8 patch files were opened without os.Root", async () => {
    const results = await schemaResults(testdataKit(), "1.7.2");
    const invalid1 = results.find((r) => r.subject === "cluster-invalid1.yaml")!;
    expect(invalid1.evidence![0]).toContain(`failed to access "does-not-exist.yaml": open does-not-exist.yaml: no such file or directory`);
  });

  it("Omni 1.10.4 rejects the main branch's install.diskSelector; main accepts it", async () => {
    const main = readFileSync(join(DIR, "_main-branch/cluster2.yaml"), "utf8");
    const kit = testdataKit();
    // Placed where Omni's test data lives, so its patch paths resolve.
    const withMain: Kit = { ...kit, yaml: [...kit.yaml, ...parseKit(".", [{ path: "main-cluster2.yaml", text: main }]).yaml] };
    const released = (await schemaResults(withMain, "1.10.4")).find((r) => r.subject === "main-cluster2.yaml")!;
    expect(released.status).toBe("fail");
    expect(released.evidence![0]).toMatch(/^error decoding document at line \d+:1: yaml: construct errors: line 4: field diskSelector not found in type models\.MachineInstall$/);
    const onMain = (await schemaResults(withMain, "1.11.0")).filter((r) => r.subject === "main-cluster2.yaml");
    expect(onMain.filter((r) => r.status === "fail")).toEqual([]);
  });

  it("a patch outside the template's folder is refused like Go's os.Root refuses it (v1.8+), and read before 1.8", async () => {
    const template = [
      "kind: Cluster",
      "name: parent-dir",
      "kubernetes:",
      "  version: v1.30.0",
      "talos:",
      "  version: v1.7.0",
      "patches:",
      "  - file: ../extra/parent-patch.yaml",
      "---",
      "kind: ControlPlane",
      "machines:",
      "  - aaaaaaaa-1111-2222-3333-444444444444",
      "",
    ].join("\n");
    const kit = testdataKit();
    const withTemplate: Kit = { ...kit, yaml: [...kit.yaml, ...parseKit(".", [{ path: "nested/parent.yaml", text: template }]).yaml] };
    const refused = (await schemaResults(withTemplate, "1.10.4")).find((r) => r.subject === "nested/parent.yaml")!;
    expect(refused.evidence![0]).toBe(
      [
        "1 error occurred:",
        '\t* error validating cluster "parent-dir": 1 error occurred:',
        '\t* patch "../extra/parent-patch.yaml" is invalid: 1 error occurred:',
        '\t* failed to access "../extra/parent-patch.yaml": openat ../extra/parent-patch.yaml: path escapes from parent',
      ].join("\n"),
    );
    expect(refused.location).toEqual({ file: "nested/parent.yaml", line: 8, column: 5 });
    const old = (await schemaResults(withTemplate, "1.7.2")).filter((r) => r.subject === "nested/parent.yaml");
    expect(old.filter((r) => r.status === "fail")).toEqual([]);
  });
});
