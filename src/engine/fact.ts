/**
 * Facts are the typed things checks reason about ("the ClusterMachineStatuses", "each Proxmox
 * node's resolvers"). A fact is resolved at most once per run, by its source, from the answers
 * of external queries. Checks declare the facts they need and never see a source.
 */
import type { SourceName } from "../model/result.ts";
import type { SourceError } from "../sources/source-error.ts";
import type { RunContext } from "./context.ts";

export interface Fact<T> {
  /** Unique, `source.name`, e.g. `omni.clusterMachineStatuses`. */
  readonly id: string;
  /** The source whose absence makes this fact unavailable. */
  readonly source: SourceName;
  /** Other sources it consults when they are there (fallbacks, enrichment). */
  readonly alsoReads?: SourceName[];
  resolve(ctx: RunContext): Promise<T>;
}

export function defineFact<T>(fact: Fact<T>): Fact<T> {
  return fact;
}

/** A fact the check can do without: it receives an Availability instead of the value. */
export interface OptionalFact<T> {
  readonly optional: Fact<T>;
}

export function optional<T>(fact: Fact<T>): OptionalFact<T> {
  return { optional: fact };
}

export type Availability<T> = { ok: true; value: T } | { ok: false; error: SourceError };

export type FactSpec = Fact<unknown> | OptionalFact<unknown>;
export type FactSpecs = Record<string, FactSpec>;

export type FactValues<S extends FactSpecs> = {
  [K in keyof S]: S[K] extends OptionalFact<infer T> ? Availability<T> : S[K] extends Fact<infer T> ? T : never;
};

export function isOptional(spec: FactSpec): spec is OptionalFact<unknown> {
  return "optional" in spec;
}

export function factOf(spec: FactSpec): Fact<unknown> {
  return isOptional(spec) ? spec.optional : spec;
}
