/** A Markdown report to paste into an issue or a pull request: summary table, problems with evidence and fixes, skips folded. */
import { summarize, type Result } from "../model/result.ts";
import type { ReportContext } from "./report.ts";
import { stepText } from "./fix-text.ts";
import { quoteCommand } from "../util/shell-quote.ts";
import { DOMAINS } from "../engine/registry.ts";

const ICON: Record<Result["status"], string> = { pass: "✅", fail: "❌", warn: "⚠️", skip: "⏭️", error: "❓" };

const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");

function fence(text: string): string {
  const ticks = text.includes("```") ? "````" : "```";
  return `${ticks}\n${text}\n${ticks}`;
}

export function renderMarkdown(results: readonly Result[], ctx: ReportContext): string {
  const s = summarize(results);
  const out = [
    `## omni-doctor ${ctx.version} report`,
    "",
    ctx.header ? `_${ctx.header}_\n` : "",
    "| failed | warnings | passed | skipped | errors |",
    "| --- | --- | --- | --- | --- |",
    `| ${s.failed} | ${s.warnings} | ${s.passed} | ${s.skipped} | ${s.errors} |`,
  ];
  const problems = results.filter((r) => r.status === "fail" || r.status === "warn" || r.status === "error");
  const domains = [...new Set(problems.map((r) => r.check.split("/")[0]!))].sort((a, b) => (DOMAINS as readonly string[]).indexOf(a) - (DOMAINS as readonly string[]).indexOf(b));
  for (const domain of domains) {
    out.push("", `### ${domain}`);
    for (const r of problems.filter((p) => p.check.startsWith(`${domain}/`))) {
      out.push("", `${ICON[r.status]} **${r.check}**${r.subject ? ` — ${cell(r.subject)}` : ""}`, "");
      if (r.location) out.push(`\`${r.location.file}:${r.location.line}:${r.location.column}\``, "");
      out.push(r.message);
      if (r.evidence?.length) out.push("", fence(r.evidence.join("\n")));
      if (r.fix) {
        out.push("", `**Fix:** ${r.fix.summary}`, "");
        r.fix.steps.forEach((step, i) =>
          out.push(`${i + 1}. ${step.kind === "command" ? `\`${quoteCommand(step.argv)}\`${step.destructive ? " (destructive)" : ""} — ${step.description}` : stepText(step)}`),
        );
      }
    }
  }
  const skipped = results.filter((r) => r.status === "skip");
  if (skipped.length > 0) {
    out.push("", `<details><summary>${skipped.length} skipped</summary>`, "", "| check | reason |", "| --- | --- |");
    for (const r of skipped) out.push(`| ${r.check}${r.subject ? ` ${cell(r.subject)}` : ""} | ${cell(r.message)} |`);
    out.push("", "</details>");
  }
  const passed = results.filter((r) => r.status === "pass");
  if (passed.length > 0) out.push("", `<details><summary>${passed.length} passed</summary>`, "", ...passed.map((r) => `- ${r.check}: ${r.message}`), "", "</details>");
  return `${out.filter((l, i, a) => !(l === "" && a[i - 1] === "")).join("\n")}\n`;
}
