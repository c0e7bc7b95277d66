/**
 * RuleTester for checks: a table of healthy (valid), broken (invalid) and source-unavailable
 * cases, run through the real runner with plain fact values instead of sources.
 */
import { describe, expect, it } from "vitest";
import type { Check, CheckContext } from "../../src/engine/check.ts";
import { factOf, isOptional, type Availability, type Fact, type FactSpecs } from "../../src/engine/fact.ts";
import { runCheck, type FactResolver } from "../../src/engine/runner.ts";
import type { Location, Result, SourceName, Status } from "../../src/model/result.ts";
import { SourceError, type SourceErrorKind } from "../../src/sources/source-error.ts";
import { parseKit, type Kit } from "../../src/sources/kit/kit.ts";
import { NEWEST_KNOWN_OMNI } from "../../src/version.ts";

type Facts<S extends FactSpecs> = { [K in keyof S]?: unknown };
type Text = string | RegExp;

export interface Expected {
  status?: Status;
  severity?: Result["severity"];
  subject?: Text;
  message?: Text;
  evidence?: Text[];
  location?: Partial<Location>;
  /** Kinds of the fix steps, in order. */
  fix?: Array<Result extends { fix?: infer F } ? (F extends { steps: Array<infer St> } ? St extends { kind: infer K } ? K : never : never) : never>;
  /** Extra assertions on the whole result. */
  satisfies?: (result: Result) => void;
}

interface BaseCase<S extends FactSpecs> {
  name: string;
  facts: Facts<S>;
  ctx?: Partial<CheckContext>;
}

export interface CheckCases<S extends FactSpecs> {
  valid: Array<BaseCase<S> & { message?: Text }>;
  invalid: Array<BaseCase<S> & { results: Expected[] }>;
  unavailable: Array<{ name: string; source: SourceName; kind: SourceErrorKind; facts?: Facts<S>; status: "skip" | "error" }>;
}

export const TEST_NOW = new Date("2026-11-20T10:00:00Z");

function resolverFor<S extends FactSpecs>(check: Check<S>, facts: Facts<S>, unavailable?: { source: SourceName; kind: SourceErrorKind }): FactResolver {
  const byId = new Map<string, { key: string; optional: boolean }>();
  for (const [key, spec] of Object.entries(check.facts)) byId.set(factOf(spec).id, { key, optional: isOptional(spec) });
  const resolve = async <T>(fact: Fact<T>): Promise<T> => {
    const entry = byId.get(fact.id);
    const given = entry !== undefined && entry.key in facts;
    // With a source unavailable, its facts fail, and so do facts the case leaves out (they would depend on it).
    if (unavailable && (fact.source === unavailable.source || !given)) throw new SourceError(unavailable.source, unavailable.kind, `${unavailable.kind} (test)`);
    if (!entry || !given) {
      if (entry?.optional) throw new SourceError(fact.source, "not-installed", "not given (test)");
      throw new Error(`test case gives no value for fact "${entry?.key ?? fact.id}"`);
    }
    const value = (facts as Record<string, unknown>)[entry.key];
    // A case may give a SourceError as a fact's value: that fact failed that way (e.g. refused credentials).
    if (value instanceof SourceError) throw value;
    return value as T;
  };
  return {
    fact: resolve,
    async tryFact<T>(fact: Fact<T>): Promise<Availability<T>> {
      try {
        return { ok: true, value: await resolve(fact) };
      } catch (error) {
        if (error instanceof SourceError) return { ok: false, error };
        throw error;
      }
    },
  };
}

export async function runWith<S extends FactSpecs>(check: Check<S>, facts: Facts<S>, ctx: Partial<CheckContext> = {}, unavailable?: { source: SourceName; kind: SourceErrorKind }): Promise<Result[]> {
  return runCheck(check as Check, resolverFor(check, facts, unavailable), { now: TEST_NOW, omniVersion: NEWEST_KNOWN_OMNI, ...ctx });
}

function expectText(actual: string | undefined, expected: Text, what: string): void {
  if (expected instanceof RegExp) expect(actual, what).toMatch(expected);
  else expect(actual, what).toBe(expected);
}

export function matchResult(result: Result, expected: Expected): void {
  if (expected.status) expect(result.status, `status of ${result.subject}: ${result.message}`).toBe(expected.status);
  if (expected.severity) expect(result.severity).toBe(expected.severity);
  if (expected.subject !== undefined) expectText(result.subject, expected.subject, "subject");
  if (expected.message !== undefined) expectText(result.message, expected.message, "message");
  if (expected.evidence) expected.evidence.forEach((e, i) => expectText(result.evidence?.[i], e, `evidence[${i}]`));
  if (expected.location) expect(result.location).toMatchObject(expected.location);
  if (expected.fix) expect(result.fix?.steps.map((s) => s.kind)).toEqual(expected.fix);
  expected.satisfies?.(result);
}

export function testCheck<S extends FactSpecs>(check: Check<S>, cases: CheckCases<S>): void {
  describe(check.meta.id, () => {
    it("has a healthy, a broken and a source-unavailable case", () => {
      expect(cases.valid.length, "valid cases").toBeGreaterThan(0);
      expect(cases.invalid.length, "invalid cases").toBeGreaterThan(0);
      expect(cases.unavailable.length, "unavailable cases").toBeGreaterThan(0);
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, async () => {
        const results = await runWith(check, c.facts, c.ctx);
        expect(results.map((r) => `${r.status}: ${r.subject ?? ""} ${r.message}`)).toEqual([expect.stringMatching(/^pass: /)]);
        if (c.message) expectText(results[0]!.message, c.message, "pass message");
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const results = await runWith(check, c.facts, c.ctx);
        expect(results, results.map((r) => `${r.status} ${r.subject}: ${r.message}`).join("\n")).toHaveLength(c.results.length);
        c.results.forEach((expected, i) => matchResult(results[i]!, expected));
      });
    }
    for (const c of cases.unavailable) {
      it(`unavailable: ${c.name}`, async () => {
        const results = await runWith(check, c.facts ?? {}, {}, { source: c.source, kind: c.kind });
        expect(results).toHaveLength(1);
        expect(results[0]!.status).toBe(c.status);
        expect(results[0]!.message).toMatch(new RegExp(c.kind));
      });
    }
  });
}

/** A kit from file texts, parsed exactly as a real one (no disk). */
export function kitFrom(files: Record<string, string>, dir = "."): Kit {
  return parseKit(dir, Object.entries(files).map(([path, text]) => ({ path, text })));
}

/** The text a result's (first) edit step leaves its file with, or undefined when it has none. */
export function editedText(result: Result): string | undefined {
  const step = result.fix?.steps.find((s) => s.kind === "edit");
  return step?.kind === "edit" ? step.edit.after : undefined;
}
