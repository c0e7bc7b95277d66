/** omni-doctor.yaml: validation with positions, suppressions, the generated JSON Schema. */
import { describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, runCli } from "./harness/cli.ts";
import { reportSchema } from "../src/model/result.ts";
import { configSchemaJson } from "../src/config/json-schema.ts";
import { applySuppressions, type Suppression } from "../src/engine/suppressions.ts";
import type { Result } from "../src/model/result.ts";

function demoCopy(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), "omni-doctor-config-"));
  cpSync(join(ROOT, "fixtures/demo-lab"), dir, { recursive: true });
  writeFileSync(join(dir, "omni-doctor.yaml"), config);
  return dir;
}

describe("suppressions", () => {
  it("a matching suppression turns the finding into a skip with its reason; expired and unused ones are reported", async () => {
    const kit = demoCopy(
      [
        "suppressions:",
        "  - check: template/nested-sections",
        "    file: clusters/*.yaml",
        "    reason: migrating this cluster next week",
        "  - check: proxmox/vm-cpu",
        "    subject: VM 107 *",
        "    reason: test VM",
        "    expires: 2026-01-01",
        "  - check: kube/nodes",
        "    subject: node talos-cp-*",
        "    reason: old",
        "",
      ].join("\n"),
    );
    const result = await runCli(["check", kit, "--replay", join(kit, "recording"), "--format", "json"]);
    const report = reportSchema.parse(JSON.parse(result.stdout));
    const nested = report.results.filter((r) => r.check === "template/nested-sections");
    expect(nested).toHaveLength(1);
    expect(nested[0]).toMatchObject({ status: "skip", message: expect.stringMatching(/^suppressed by .*omni-doctor\.yaml:2:5: migrating this cluster next week/) });
    expect(report.results.find((r) => r.check === "proxmox/vm-cpu" && r.subject?.startsWith("VM 107"))!.status).toBe("fail");
    expect(report.results.find((r) => r.check === "proxmox/vm-cpu" && r.subject?.startsWith("suppression at"))).toMatchObject({ status: "warn", severity: "warning", message: expect.stringMatching(/expired on 2026-01-01/) });
    expect(report.results.find((r) => r.check === "kube/nodes" && r.subject?.startsWith("suppression at"))).toMatchObject({ status: "warn", severity: "info", message: expect.stringMatching(/matches no finding/) });
  });

  it("a suppression needs a reason and a real check id, reported with file, line and column", async () => {
    const noReason = await runCli(["check", demoCopy("suppressions:\n  - check: kube/nodes\n")]);
    expect(noReason.exitCode).toBe(2);
    expect(noReason.stderr).toMatch(/omni-doctor\.yaml:2:5: suppressions\.0\.reason: /);
    const unknown = await runCli(["check", demoCopy("suppressions:\n  - check: kube/nodez\n    reason: typo\n")]);
    expect(unknown.stderr).toMatch(/omni-doctor\.yaml:2:5: no check "kube\/nodez"/);
  });

  it("file globs are relative to the kit; ** crosses folders", () => {
    const r: Result = { check: "a/b", status: "fail", severity: "error", title: "t", message: "m", location: { file: "kit/deep/x/y.yaml", line: 1, column: 1 } };
    const s = (file: string): Suppression => ({ check: "a/b", file, reason: "r", where: "omni-doctor.yaml:1:1" });
    const ctx = { kitDir: join(process.cwd(), "kit"), now: new Date(), titles: new Map() };
    expect(applySuppressions([r], [s("deep/*.yaml")], ctx)[0]!.status).toBe("fail");
    expect(applySuppressions([r], [s("deep/**/*.yaml")], ctx)[0]!.status).toBe("skip");
    expect(applySuppressions([r], [s("**/y.yaml")], ctx)[0]!.status).toBe("skip");
  });
});

describe("JSON Schema of omni-doctor.yaml", () => {
  it("is generated from the zod schema and up to date (node scripts/gen-config-schema.ts)", () => {
    expect(readFileSync(join(ROOT, "schemas/omni-doctor.schema.json"), "utf8")).toBe(configSchemaJson());
  });
});
