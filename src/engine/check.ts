/**
 * A check: declarative meta plus one pure function from facts to findings (the shape of an
 * ESLint rule). Checks live in `checks/<domain>/<name>.ts` beside their runbook page `<name>.md`.
 */
import type { Fix, Location, Severity, SourceName } from "../model/result.ts";
import type { FactSpecs, FactValues } from "./fact.ts";
import { factOf, isOptional } from "./fact.ts";

export interface CheckMeta {
  /** Stable id `domain/kebab-name`; equals the file's path under checks/. Never renamed. */
  id: string;
  /** What the check is about, as a heading ("Cluster template uses nested sections"). */
  title: string;
  /** Severity of what it finds: error → fail, warning/info → warn. A finding may override it. */
  severity: Severity;
  /** Systems it reads: at least its required facts' sources, at most what its facts may consult. */
  sources: SourceName[];
  /** Error strings a user would paste into `omni-doctor why`; `<placeholders>` match anything. */
  symptoms: string[];
  /** Kinds of fix step it can offer. */
  fixable?: Array<Fix["steps"][number]["kind"]>;
}

/** What a check says about one subject. No status means "a problem at the check's severity". */
export interface Finding {
  /** `pass` describes what was verified; `skip`/`error` mean this subject could not be judged. */
  status?: "pass" | "skip" | "error";
  severity?: Severity;
  subject?: string;
  message: string;
  location?: Location;
  evidence?: string[];
  fix?: Fix;
}

/** Everything a check may know besides facts. Plain data, so tests pass plain objects. */
export interface CheckContext {
  /** The moment the facts describe: now, or when a replayed recording was made. */
  now: Date;
  /** Omni release the rules assume (`--omni-version`, detected, or the newest known). */
  omniVersion: string;
  /** `--cluster`, when given. */
  cluster?: string;
}

export interface CheckDefinition<S extends FactSpecs> {
  meta: CheckMeta;
  facts: S;
  run(facts: FactValues<S>, ctx: CheckContext): Finding[];
}

export interface Check<S extends FactSpecs = FactSpecs> extends CheckDefinition<S> {
  readonly domain: string;
}

export function defineCheck<S extends FactSpecs>(definition: CheckDefinition<S>): Check<S> {
  const { meta } = definition;
  const domain = meta.id.split("/")[0]!;
  const required = Object.values(definition.facts).filter((s) => !isOptional(s)).map((s) => factOf(s).source);
  const all = Object.values(definition.facts).flatMap((s) => [factOf(s).source, ...(factOf(s).alsoReads ?? [])]);
  const missing = required.filter((s) => !meta.sources.includes(s));
  const unused = meta.sources.filter((s) => !all.includes(s));
  if (missing.length > 0 || unused.length > 0) {
    throw new Error(`${meta.id}: meta.sources [${meta.sources}] must cover its facts' sources [${[...new Set(all)]}]`);
  }
  return { ...definition, domain };
}

export function skip(message: string, subject?: string): Finding {
  return subject === undefined ? { status: "skip", message } : { status: "skip", message, subject };
}

export function pass(message: string): Finding {
  return { status: "pass", message };
}
