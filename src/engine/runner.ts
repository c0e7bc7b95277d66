/**
 * Runs checks: all at once (their facts are shared and the external calls limited underneath),
 * each isolated, so a check that throws becomes an `error` result and the others go on.
 */
import type { Result, Severity } from "../model/result.ts";
import type { Check, CheckContext, Finding } from "./check.ts";
import { factOf, isOptional, type FactSpecs } from "./fact.ts";
import type { Availability, Fact } from "./fact.ts";
import { isSourceError, type SourceError } from "../sources/source-error.ts";
import { inChain } from "../sources/call-chain.ts";

const statusOf = (severity: Severity) => (severity === "error" ? "fail" : "warn");

export function findingToResult(check: Check, finding: Finding): Result {
  const severity = finding.severity ?? check.meta.severity;
  const result: Result = {
    check: check.meta.id,
    status: finding.status ?? statusOf(severity),
    // CONTRACT: a fail is always severity error, a warn never is.
    severity: finding.status ? check.meta.severity : severity,
    title: check.meta.title,
    message: finding.message,
  };
  if (finding.subject !== undefined) result.subject = finding.subject;
  if (finding.location) result.location = finding.location;
  if (finding.evidence && finding.evidence.length > 0) result.evidence = finding.evidence;
  if (finding.fix && !finding.status) result.fix = finding.fix;
  return result;
}

/** Findings → results: problems and per-subject skips/errors, or exactly one pass. */
export function findingsToResults(check: Check, findings: readonly Finding[]): Result[] {
  const notPass = findings.filter((f) => f.status !== "pass");
  if (notPass.length > 0) return notPass.map((f) => findingToResult(check, f));
  const described = findings.find((f) => f.status === "pass");
  return [findingToResult(check, { status: "pass", message: described?.message ?? "no problem found" })];
}

/** What the runner needs from a run: facts, once each. RunContext is one; tests pass a table of values. */
export interface FactResolver {
  fact<T>(fact: Fact<T>): Promise<T>;
  tryFact<T>(fact: Fact<T>): Promise<Availability<T>>;
}

async function resolveFacts(specs: FactSpecs, ctx: FactResolver): Promise<{ values: Record<string, unknown> } | { unavailable: SourceError }> {
  const entries = Object.entries(specs);
  const settled = await Promise.allSettled(entries.map(([, spec]) => (isOptional(spec) ? ctx.tryFact(spec.optional) : ctx.fact(factOf(spec)))));
  const values: Record<string, unknown> = {};
  const unavailable: SourceError[] = [];
  settled.forEach((outcome, i) => {
    if (outcome.status === "fulfilled") values[entries[i]![0]] = outcome.value;
    else if (isSourceError(outcome.reason)) unavailable.push(outcome.reason);
    else throw outcome.reason;
  });
  if (unavailable.length === 0) return { values };
  // "We asked and could not tell" outweighs "nothing to ask".
  return { unavailable: unavailable.find((e) => e.status === "error") ?? unavailable[0]! };
}

/** `checkContext` may still be settling (Omni's version): only the check's rules wait for it, not its facts. */
export async function runCheck(check: Check, ctx: FactResolver, checkContext: CheckContext | Promise<CheckContext>): Promise<Result[]> {
  const started = performance.now();
  let results: Result[];
  try {
    const facts = await resolveFacts(check.facts, ctx);
    if ("unavailable" in facts) {
      results = [findingToResult(check, { status: facts.unavailable.status, message: facts.unavailable.describe() })];
    } else {
      results = findingsToResults(check, check.run(facts.values as never, await checkContext));
    }
  } catch (error) {
    results = [findingToResult(check, { status: "error", message: `the check itself failed: ${(error as Error)?.message ?? String(error)} (please report this bug)` })];
  }
  const durationMs = Math.round(performance.now() - started);
  return results.map((r) => ({ ...r, durationMs }));
}

/** Run every check at once; `onDone` is told as each finishes (for a progress display). */
export async function runChecks(checks: readonly Check[], ctx: FactResolver, checkContext: CheckContext | Promise<CheckContext>, onDone?: (check: Check) => void): Promise<Result[]> {
  const perCheck = await Promise.all(
    checks.map(async (check) => {
      // Each check starts a chain of its own: checks wait for nothing but their facts.
      const results = await inChain(undefined, () => runCheck(check, ctx, checkContext)).result;
      onDone?.(check);
      return results;
    }),
  );
  return perCheck.flat();
}
