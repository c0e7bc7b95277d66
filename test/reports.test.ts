/** The report formats: SARIF validated against the OASIS schema, JUnit, GitHub annotations, Markdown, and the human report's folding. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { ROOT, runCli } from "./harness/cli.ts";
import { renderGithub } from "../src/report/github.ts";
import { renderHuman } from "../src/report/human.ts";
import { detectStyle } from "../src/report/style.ts";
import type { Result } from "../src/model/result.ts";

const DEMO_REPLAY = ["check", "fixtures/demo-lab", "--replay", "fixtures/demo-lab/recording"];

describe("sarif", () => {
  it("validates against the SARIF 2.1.0 schema, one rule per check with help, results at file positions", async () => {
    const result = await runCli([...DEMO_REPLAY, "--format", "sarif"]);
    expect(result.exitCode).toBe(1);
    const sarif = JSON.parse(result.stdout);
    const ajv = new Ajv({ strict: false, allErrors: true });
    // ajv-formats is CommonJS: under Node's ESM interop its function is the module's `default`.
    (addFormatsModule as unknown as { default: (ajv: Ajv) => void }).default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, "fixtures/schemas/sarif-schema-2.1.0.json"), "utf8")));
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const run = sarif.runs[0];
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === "template/nested-sections");
    expect(rule.helpUri).toBe("https://github.com/omni-doctor/omni-doctor/blob/main/checks/template/nested-sections.md");
    expect(rule.help.markdown).toMatch(/## Fix/);
    const finding = run.results.find((r: { ruleId: string }) => r.ruleId === "template/nested-sections");
    expect(finding.level).toBe("error");
    expect(finding.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "fixtures/demo-lab/clusters/lab.yaml" }, region: { startLine: 21, startColumn: 1 } });
    expect(run.results.every((r: { ruleIndex: number; ruleId: string }) => ids[r.ruleIndex] === r.ruleId)).toBe(true);
  });
});

describe("junit", () => {
  it("one suite per domain, failures for fails, skipped for skips, well-formed", async () => {
    const xml = (await runCli([...DEMO_REPLAY, "--format", "junit"])).stdout;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(xml).toMatch(/<testsuite name="template" tests="\d+" failures="[1-9]\d*" errors="0" skipped="\d+"/);
    expect(xml).toMatch(/<failure type="error" message="controlPlane and workers are nested/);
    const opened = (xml.match(/<(testsuites|testsuite|testcase|failure|error)\b[^>]*[^/]>/g) ?? []).length;
    const closed = (xml.match(/<\/(testsuites|testsuite|testcase|failure|error)>/g) ?? []).length;
    expect(opened).toBe(closed);
    expect(xml).not.toMatch(/&(?!amp;|lt;|gt;|quot;)/);
  });
});

describe("github", () => {
  it("annotations with file, line and column, escaped", async () => {
    const out = (await runCli([...DEMO_REPLAY, "--format", "github"])).stdout;
    expect(out).toMatch(/^::error file=fixtures\/demo-lab\/clusters\/lab\.yaml,line=21,col=1,title=template\/nested-sections fixtures\/demo-lab\/clusters\/lab\.yaml::controlPlane and workers/m);
    expect(out.trimEnd().split("\n").pop()).toMatch(/^::notice title=omni-doctor .*::\d+ failed/);
    for (const line of out.trimEnd().split("\n")) expect(line).toMatch(/^::(error|warning|notice) /);
  });
  it("escapes %, newlines, and : , in properties", () => {
    const r: Result = { check: "kit/x", status: "fail", severity: "error", title: "t", message: "100% broken\nreally", subject: "a:b,c", location: { file: "k,1.yaml", line: 2, column: 3 } };
    expect(renderGithub([r], { version: "1", verbose: false }).split("\n")[0]).toBe("::error file=k%2C1.yaml,line=2,col=3,title=kit/x a%3Ab%2Cc::100%25 broken%0Areally");
  });
});

describe("markdown", () => {
  it("a summary table, problems with fixes, skips folded", async () => {
    const md = (await runCli([...DEMO_REPLAY, "--format", "markdown"])).stdout;
    expect(md).toMatch(/^## omni-doctor .* report$/m);
    expect(md).toMatch(/^\| failed \| warnings \| passed \| skipped \| errors \|$/m);
    expect(md).toMatch(/^❌ \*\*template\/nested-sections\*\*/m);
    expect(md).toMatch(/^1\. `omnictl delete clustermachine 7c1d5e2a-0013-4b3c-9d8e-0f1a2b3c4d5e` \(destructive\) — /m);
  });
});

describe("human", () => {
  const style = detectStyle({ isTTY: false }, { LANG: "C.UTF-8" });
  const couldNotRun = (check: string): Result => ({ check, status: "error", severity: "error", title: "t", message: "omnictl: Omni login expired" });

  it("checks that could not run for the same reason fold into one entry; other errors stay apart", () => {
    const results: Result[] = [couldNotRun("omni/etcd-backup"), couldNotRun("omni/state-drift"), { ...couldNotRun("omni/auth"), message: "omnictl timed out" }, couldNotRun("omni/cluster-health")];
    const out = renderHuman(results, { version: "1", verbose: false }, style);
    expect(out).toContain("? 3 could not run (etcd-backup, state-drift, cluster-health)\n      omnictl: Omni login expired\n");
    expect(out.match(/Omni login expired/g)).toHaveLength(1);
    expect(out).toContain("? omni/auth\n      omnictl timed out\n");
  });

  it("--verbose shows each one", () => {
    const out = renderHuman([couldNotRun("omni/etcd-backup"), couldNotRun("omni/state-drift")], { version: "1", verbose: true }, style);
    expect(out.match(/Omni login expired/g)).toHaveLength(2);
  });
});
