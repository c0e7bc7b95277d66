/**
 * The human report: grouped by domain, one mark per result, the fix under each problem, passes
 * and skips folded into a line each so a healthy run stays short (and checks that could not run
 * for the same reason into one entry), then a summary line.
 */
import type { Result } from "../model/result.ts";
import { summarize } from "../model/result.ts";
import { DOMAINS } from "../engine/registry.ts";
import { mark, type Style } from "./style.ts";
import { stepText } from "./fix-text.ts";
import type { ReportContext } from "./report.ts";

const domainOf = (r: Result) => r.check.split("/")[0]!;

export function renderHuman(results: readonly Result[], ctx: ReportContext, style: Style): string {
  const c = style.color;
  const lines: string[] = [c.bold(`omni-doctor ${ctx.version}`) + c.dim(ctx.header ? ` · ${ctx.header}` : "")];
  const domains = [...new Set(results.map(domainOf))].sort((a, b) => rank(a) - rank(b));
  for (const domain of domains) {
    const inDomain = results.filter((r) => domainOf(r) === domain);
    lines.push("", c.bold(domain));
    // Checks that could not run for one and the same reason (an expired login, a missing program)
    // fold into one line, like skips: the reason matters once, not once per check.
    const foldable = (r: Result) => r.status === "error" && !ctx.verbose && !r.subject && !r.location && !r.evidence?.length && !r.fix;
    const folded = new Map<string, string[]>();
    for (const r of inDomain.filter(foldable)) folded.set(r.message, [...(folded.get(r.message) ?? []), r.check.slice(domain.length + 1)]);
    for (const r of inDomain.filter((r) => r.status === "fail" || r.status === "warn" || r.status === "error")) {
      const ids = foldable(r) ? folded.get(r.message) : undefined;
      if (!ids || ids.length === 1) lines.push(...problem(r, style, ctx.verbose));
      else if (ids[0] === r.check.slice(domain.length + 1)) lines.push(`  ${mark(style, "error", "error")} ${c.bold(`${ids.length} could not run`)} (${ids.join(", ")})`, `      ${r.message}`);
    }
    const passed = inDomain.filter((r) => r.status === "pass");
    if (passed.length > 0) {
      if (ctx.verbose) for (const r of passed) lines.push(`  ${mark(style, "pass", r.severity)} ${r.check}  ${c.dim(r.message)}${timing(r, ctx)}`);
      else lines.push(`  ${mark(style, "pass", "info")} ${passed.length} passed${c.dim(`: ${passed.map((r) => r.check.slice(domain.length + 1)).join(", ")}`)}`);
    }
    const skipped = inDomain.filter((r) => r.status === "skip");
    const byReason = new Map<string, string[]>();
    for (const r of skipped) byReason.set(r.message, [...(byReason.get(r.message) ?? []), r.check.slice(domain.length + 1)]);
    for (const [reason, ids] of byReason) lines.push(`  ${mark(style, "skip", "info")} ${c.dim(`${ids.length} skipped (${ids.join(", ")}): ${reason}`)}`);
  }
  lines.push("", summaryLine(results, style, ctx));
  const s = summarize(results);
  if (s.failed + s.warnings > 0) {
    lines.push(c.dim("Next: `omni-doctor fix --dry-run` shows the fix plan; `omni-doctor explain <check>` the runbook page."));
  }
  return `${lines.join("\n")}\n`;
}

function rank(domain: string): number {
  const i = (DOMAINS as readonly string[]).indexOf(domain);
  return i < 0 ? DOMAINS.length : i;
}

function timing(r: Result, ctx: ReportContext): string {
  return ctx.verbose && r.durationMs !== undefined ? ` ${ctx.style?.color.dim(`[${r.durationMs}ms]`) ?? `[${r.durationMs}ms]`}` : "";
}

function problem(r: Result, style: Style, verbose: boolean): string[] {
  const c = style.color;
  const where = r.location ? `${r.location.file}:${r.location.line}:${r.location.column}` : undefined;
  const head = `  ${mark(style, r.status, r.severity)} ${c.bold(r.check)}${r.subject ? `  ${r.subject}` : ""}`;
  const out = [head];
  if (where && where !== r.subject) out.push(`      ${c.cyan(where)}`);
  out.push(`      ${r.message}`);
  for (const e of (r.evidence ?? []).slice(0, verbose ? undefined : 4)) out.push(c.dim(`      ${style.unicode ? "›" : ">"} ${e}`));
  if (!verbose && (r.evidence?.length ?? 0) > 4) out.push(c.dim(`      … ${r.evidence!.length - 4} more (--verbose)`));
  if (r.fix) {
    out.push(`      ${c.green("fix:")} ${r.fix.summary}`);
    r.fix.steps.forEach((step, i) => out.push(`        ${i + 1}. ${stepText(step)}`));
  }
  return out;
}

export function summaryLine(results: readonly Result[], style: Style, ctx: ReportContext): string {
  const s = summarize(results);
  const c = style.color;
  const parts = [
    `${mark(style, "fail", "error")} ${s.failed} failed`,
    `${mark(style, "warn", "warning")} ${s.warnings} warning${s.warnings === 1 ? "" : "s"}`,
    `${mark(style, "pass", "info")} ${s.passed} passed`,
    `${mark(style, "skip", "info")} ${s.skipped} skipped`,
    `${mark(style, "error", "error")} ${s.errors} error${s.errors === 1 ? "" : "s"}`,
  ];
  const elapsed = ctx.elapsedMs === undefined ? "" : ctx.elapsedMs < 1000 ? `${Math.round(ctx.elapsedMs)}ms` : `${(ctx.elapsedMs / 1000).toFixed(1)}s`;
  const seconds = elapsed ? c.dim(`  (${elapsed})`) : "";
  return parts.join(c.dim(" · ")) + seconds;
}
