/**
 * Suppressions from omni-doctor.yaml: a finding of a given check, about a file or subject matching
 * a glob, is accepted for a stated reason (until an optional expiry day). Suppressed findings stay
 * in the report as skipped, with the reason. An expired suppression, and one that no longer
 * matches anything, are reported themselves, so suppressions cannot rot silently.
 */
import { relative, resolve } from "node:path";
import type { Result } from "../model/result.ts";
import type { LoadedConfig } from "../config/config-file.ts";

export interface Suppression {
  check: string;
  file?: string;
  subject?: string;
  reason: string;
  expires?: string;
  /** `omni-doctor.yaml:LINE:COL`, for messages. */
  where: string;
}

export function suppressionsOf(loaded: LoadedConfig): Suppression[] {
  return (loaded.config.suppressions ?? []).map((s, i) => ({ ...s, where: loaded.where(["suppressions", i]) }));
}

/** Path globs: `**` crosses folders, `*` and `?` do not. */
function pathGlob(glob: string): RegExp {
  let body = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*" && glob[i + 1] === "*") {
      body += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (ch === "*") body += "[^/]*";
    else if (ch === "?") body += "[^/]";
    else body += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${body}$`);
}

const textGlob = (glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".")}$`);

function expired(s: Suppression, now: Date): boolean {
  return s.expires !== undefined && now.getTime() >= new Date(`${s.expires}T00:00:00Z`).getTime() + 86_400_000;
}

export interface SuppressionContext {
  /** The kit folder (suppression file globs are relative to it). */
  kitDir: string;
  now: Date;
  titles: ReadonlyMap<string, string>;
}

export function applySuppressions(results: readonly Result[], suppressions: readonly Suppression[], ctx: SuppressionContext): Result[] {
  const used = new Set<Suppression>();
  const active = suppressions.filter((s) => !expired(s, ctx.now));
  const kitRelative = (file: string) => relative(ctx.kitDir, resolve(process.cwd(), file)).split("\\").join("/");
  const matches = (s: Suppression, r: Result) => {
    if (s.check !== r.check) return false;
    if (s.subject !== undefined && !(r.subject !== undefined && textGlob(s.subject).test(r.subject))) return false;
    if (s.file !== undefined) {
      const file = r.location?.file;
      if (!file || !pathGlob(s.file).test(kitRelative(file))) return false;
    }
    return true;
  };
  const out = results.map((r) => {
    if (r.status !== "fail" && r.status !== "warn") return r;
    const s = active.find((candidate) => matches(candidate, r));
    if (!s) return r;
    used.add(s);
    const { fix: _fix, ...rest } = r;
    return { ...rest, status: "skip" as const, message: `suppressed by ${s.where}: ${s.reason} (finding: ${r.message})`, suppressed: s.reason };
  });
  for (const s of suppressions) {
    const title = ctx.titles.get(s.check) ?? s.check;
    const subject = `suppression at ${s.where}`;
    if (expired(s, ctx.now)) {
      out.push({ check: s.check, status: "warn", severity: "warning", title, subject, message: `expired on ${s.expires}; the findings it accepted are reported again (reason was: ${s.reason})` });
    } else if (!used.has(s)) {
      const ran = results.filter((r) => r.check === s.check);
      // Only when the check fully ran can we say the suppression matches nothing.
      if (ran.length > 0 && ran.every((r) => r.status === "pass" || r.status === "fail" || r.status === "warn")) {
        out.push({ check: s.check, status: "warn", severity: "info", title, subject, message: "matches no finding any more; remove it" });
      }
    }
  }
  return out;
}

