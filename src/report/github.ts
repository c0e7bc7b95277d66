/**
 * GitHub Actions workflow commands: each problem becomes an annotation on the file and line it is
 * about (error for fail, warning/notice for warn, error for a check that could not run), plus a
 * one-line summary as a notice.
 */
import { summarize, type Result } from "../model/result.ts";
import type { ReportContext } from "./report.ts";

/** Workflow command escaping: data escapes %, CR, LF; property values also : and ,. */
const escapeData = (s: string) => s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
const escapeProperty = (s: string) => escapeData(s).replaceAll(":", "%3A").replaceAll(",", "%2C");

function command(r: Result): string | undefined {
  const kind = r.status === "fail" || r.status === "error" ? "error" : r.status === "warn" ? (r.severity === "info" ? "notice" : "warning") : undefined;
  if (!kind) return undefined;
  const props = [`title=${escapeProperty(`${r.check}${r.subject ? ` ${r.subject}` : ""}`)}`];
  if (r.location) props.unshift(`file=${escapeProperty(r.location.file)}`, `line=${r.location.line}`, `col=${r.location.column}`);
  const text = [r.status === "error" ? `could not check: ${r.message}` : r.message, ...(r.fix ? [`Fix: ${r.fix.summary}`] : [])].join("\n");
  return `::${kind} ${props.join(",")}::${escapeData(text)}`;
}

export function renderGithub(results: readonly Result[], ctx: ReportContext): string {
  const lines = results.map(command).filter((l): l is string => Boolean(l));
  const s = summarize(results);
  lines.push(`::notice title=omni-doctor ${escapeProperty(ctx.version)}::${escapeData(`${s.failed} failed, ${s.warnings} warnings, ${s.passed} passed, ${s.skipped} skipped, ${s.errors} errors`)}`);
  return `${lines.join("\n")}\n`;
}
