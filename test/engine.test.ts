import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadRegistry, DOMAINS } from "../src/engine/registry.ts";
import { selectChecks, SelectionError } from "../src/engine/selection.ts";
import { exitCodeFor } from "../src/engine/exit-code.ts";
import { why } from "../src/engine/why.ts";
import { defineCheck, type Check } from "../src/engine/check.ts";
import { defineFact } from "../src/engine/fact.ts";
import { runChecks, type FactResolver } from "../src/engine/runner.ts";
import { RUNBOOK_DIR } from "../src/paths.ts";
import { SOURCES, type Result } from "../src/model/result.ts";
import { SourceError } from "../src/sources/source-error.ts";
import { TEST_NOW } from "./harness/check-tester.ts";

const registry = await loadRegistry();

describe("registry", () => {
  it("finds every check, ids matching their files, in domain order", () => {
    expect(registry.checks.length).toBeGreaterThanOrEqual(6);
    const ids = registry.checks.map((c) => c.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const check of registry.checks) {
      expect(check.meta.id).toMatch(/^[a-z-]+\/[a-z0-9-]+$/);
      expect(DOMAINS).toContain(check.domain);
      expect(existsSync(join(RUNBOOK_DIR, check.domain, `${check.meta.id.split("/")[1]}.ts`))).toBe(true);
    }
  });

  it("every check has a runbook page with symptom, cause, detection and fix, and symptom strings", () => {
    for (const check of registry.checks) {
      const page = readFileSync(join(RUNBOOK_DIR, `${check.meta.id}.md`), "utf8");
      expect(page, check.meta.id).toMatch(/^# .+/);
      for (const section of ["Symptom", "Cause", "Detection", "Fix"]) expect(page, `${check.meta.id}: ## ${section}`).toMatch(new RegExp(`^## ${section}$`, "m"));
      expect(check.meta.symptoms.length, check.meta.id).toBeGreaterThan(0);
      for (const source of check.meta.sources) expect(SOURCES).toContain(source);
    }
  });

  it("every check has its table test beside it", () => {
    for (const check of registry.checks) expect(existsSync(join(RUNBOOK_DIR, `${check.meta.id}.test.ts`)), check.meta.id).toBe(true);
  });

  it("rejects meta.sources that do not cover the facts", () => {
    const fact = defineFact({ id: "omni.x", source: "omni", resolve: async () => 1 });
    expect(() => defineCheck({ meta: { id: "omni/x", title: "x", severity: "error", sources: ["files"], symptoms: ["x"] }, facts: { fact }, run: () => [] })).toThrow(/must cover/);
  });
});

describe("selection", () => {
  const checks = registry.checks;
  it("selects by id, domain and glob; skip wins", () => {
    expect(selectChecks(checks, ["template/nested-sections"], []).map((c) => c.meta.id)).toEqual(["template/nested-sections"]);
    expect(selectChecks(checks, ["kube"], []).every((c) => c.domain === "kube")).toBe(true);
    const picked = selectChecks(checks, ["*/dual-ip", "proxmox/*"], []).map((c) => c.meta.id);
    expect(picked).toContain("proxmox/vm-cpu");
    expect(picked.filter((id) => !id.startsWith("proxmox/"))).toEqual(["talos/dual-ip"]);
    expect(selectChecks(checks, [], ["kube", "talos/*"]).some((c) => c.domain === "kube" || c.domain === "talos")).toBe(false);
  });
  it("an item that matches nothing is an error, not an empty run", () => {
    expect(() => selectChecks(checks, ["tmplate"], [])).toThrow(SelectionError);
  });
});

describe("exit codes", () => {
  const r = (status: Result["status"], severity: Result["severity"] = "error"): Result => ({ check: "a/b", status, severity, title: "t", message: "m" });
  it.each([
    [[r("pass")], "error", 0],
    [[r("warn", "warning")], "error", 0],
    [[r("warn", "warning")], "warning", 1],
    [[r("warn", "info")], "warning", 0],
    [[r("fail")], "error", 1],
    [[r("fail"), r("error")], "error", 2],
    [[r("skip")], "error", 0],
    [[r("fail"), r("error")], "never", 0],
  ] as const)("%j with --fail-on %s exits %i", (results, failOn, code) => {
    expect(exitCodeFor(results, failOn)).toBe(code);
  });
});

describe("why", () => {
  it("ranks the entry whose symptom the text contains first", () => {
    const matches = why(registry.entries, "Error: error loading template: error decoding document at line 1:1: yaml: construct errors: line 8: field controlPlane not found in type models.Cluster");
    expect(matches[0]!.entry.id).toBe("template/nested-sections");
    expect(matches[0]!.exact).toBe(true);
  });
  it("matches placeholders and partial overlap", () => {
    expect(why(registry.entries, "[talos] [initramfs] x86_64 microarchitecture level 2 or higher is required, halting")[0]!.entry.id).toBe("proxmox/vm-cpu");
    expect(why(registry.entries, "kubelet says: node IP skipped, use nodeIP")[0]!.entry.id).toBe("talos/dual-ip");
  });
  it("returns nothing for unrelated text", () => {
    expect(why(registry.entries, "the weather is lovely today")).toEqual([]);
  });
});

describe("runner", () => {
  const ok = defineFact({ id: "files.ok", source: "files", resolve: async () => 1 });
  const make = (id: string, run: () => never | []) => defineCheck({ meta: { id, title: id, severity: "error", sources: ["files"], symptoms: ["x"] }, facts: { ok }, run });
  const resolver: FactResolver = { fact: async () => 1 as never, tryFact: async () => ({ ok: true, value: 1 as never }) };
  const ctx = { now: TEST_NOW, omniVersion: "1.10.4" };

  it("a check that throws becomes an error result and the others still report", async () => {
    const boom = make("template/boom", () => {
      throw new TypeError("cannot read properties of undefined");
    });
    const fine = make("template/fine", () => []);
    const results = await runChecks([boom, fine] as Check[], resolver, ctx);
    expect(results.map((r) => [r.check, r.status])).toEqual([
      ["template/boom", "error"],
      ["template/fine", "pass"],
    ]);
    expect(results[0]!.message).toMatch(/the check itself failed: cannot read properties of undefined/);
  });

  it("an unavailable source becomes skip or error by kind, with its advice", async () => {
    const needsOmni = defineCheck({ meta: { id: "omni/x", title: "x", severity: "error", sources: ["omni"], symptoms: ["x"] }, facts: { v: defineFact({ id: "omni.v", source: "omni", resolve: async () => 1 }) }, run: () => [] });
    const failing = (kind: "not-installed" | "timeout"): FactResolver => ({
      fact: async () => {
        throw new SourceError("omni", kind, "why", "do this");
      },
      tryFact: async () => ({ ok: false, error: new SourceError("omni", kind, "why") }),
    });
    expect((await runChecks([needsOmni as Check], failing("not-installed"), ctx))[0]).toMatchObject({ status: "skip", message: "omnictl: why (do this)" });
    expect((await runChecks([needsOmni as Check], failing("timeout"), ctx))[0]).toMatchObject({ status: "error" });
  });
});
