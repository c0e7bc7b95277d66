/**
 * The offline gate over real configs from public repositories (fixtures/corpus): files the
 * research calls VALID must never get a `fail`, and every listed mistake must be reported.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import YAML from "yaml";
import { z } from "zod";
import { executeRun, prepareRun } from "../src/commands/run.ts";
import type { Result } from "../src/model/result.ts";
import { ROOT } from "./harness/cli.ts";

const CORPUS = join(ROOT, "fixtures/corpus");
const expectations = z
  .object({ files: z.record(z.string(), z.object({ verdict: z.enum(["valid", "mistake", "warn"]), expect: z.array(z.string()) })) })
  .parse(YAML.parse(readFileSync(join(CORPUS, "EXPECTED.yaml"), "utf8"))).files;

const repos = readdirSync(CORPUS).filter((name) => statSync(join(CORPUS, name)).isDirectory());

async function offlineResults(repo: string): Promise<Result[]> {
  const prepared = await prepareRun(join(CORPUS, repo), { offline: true, format: "json", failOn: "error", timeout: "20", concurrency: "8" }, new AbortController().signal);
  return (await executeRun(prepared)).results;
}

/** The corpus-relative file a result is about (its location, else a subject naming a file). */
function fileOf(result: Result): string | undefined {
  const path = result.location?.file ?? (result.subject && /\.(ya?ml|env|example|template|toml|sh|md)$/.test(result.subject) ? result.subject : undefined);
  return path ? relative(CORPUS, join(ROOT, path)).split("\\").join("/") : undefined;
}

describe("corpus", () => {
  it.each(repos)("%s", async (repo) => {
    const results = await offlineResults(repo);
    expect(results.filter((r) => r.status === "error"), "no check may crash or error offline").toEqual([]);
    for (const [file, expectation] of Object.entries(expectations).filter(([f]) => f.startsWith(`${repo}/`))) {
      const about = results.filter((r) => fileOf(r) === file);
      if (expectation.verdict === "valid") {
        expect(about.filter((r) => r.status === "fail").map((r) => `${r.check}: ${r.message}`), `${file} is VALID`).toEqual([]);
      }
      for (const id of expectation.expect) {
        expect(about.some((r) => r.check === id && (r.status === "fail" || r.status === "warn")), `${file}: ${id} should report it`).toBe(true);
      }
    }
  });
});
