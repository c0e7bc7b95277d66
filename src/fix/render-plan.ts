/** The fix plan as text (human, markdown-ish) or JSON, for `fix --dry-run` and before applying. */
import type { Format } from "../report/report.ts";
import { toJsonStep } from "../model/result.ts";
import type { Style } from "../report/style.ts";
import { stepText } from "../report/fix-text.ts";
import { unifiedDiff } from "./diff.ts";
import type { Plan } from "./plan.ts";

export function renderPlan(plan: Plan, format: Format, style: Style, dryRun: boolean): string {
  if (format === "json") {
    return `${JSON.stringify(
      {
        tool: "omni-doctor",
        dryRun,
        problems: plan.problems.map((p) => ({ ...p, steps: p.steps.map((i) => i + 1) })),
        steps: plan.steps.map((s, i) => ({
          number: i + 1,
          ...toJsonStep(s.step),
          ...(s.step.undo ? { undo: s.step.undo } : {}),
          ...(s.step.kind === "edit" ? { diff: unifiedDiff(s.step.edit.before, s.step.edit.after, s.step.file) } : {}),
          requires: s.requires.map((r) => r + 1),
        })),
      },
      null,
      2,
    )}\n`;
  }
  const c = style.color;
  if (plan.steps.length === 0) return "Nothing to fix: no failing check offers a fix.\n";
  const destructive = plan.steps.filter((s) => s.step.destructive).length;
  const lines = [
    c.bold(`Fix plan${dryRun ? " (dry run: nothing was changed)" : ""}: ${plan.steps.length} step(s) for ${plan.problems.length} problem(s)${destructive ? `, ${destructive} destructive` : ""}`),
  ];
  const shown = new Set<number>();
  for (const problem of plan.problems) {
    lines.push("", `${c.bold(problem.check)}${problem.subject ? `  ${problem.subject}` : ""}`, c.dim(`  ${problem.message}`), `  ${c.green(problem.summary)}`);
    for (const index of problem.steps) {
      const { step, requires } = plan.steps[index]!;
      if (shown.has(index)) {
        lines.push(c.dim(`  ${index + 1}. (shared, listed above) ${stepText(step)}`));
        continue;
      }
      shown.add(index);
      lines.push(`  ${index + 1}. ${stepText(step)}`);
      const notes = [...(requires.length > 0 ? [`needs step ${requires.map((r) => r + 1).join(", ")}`] : []), ...(step.undo ? [`undo: ${step.undo}`] : [])];
      if (notes.length > 0) lines.push(c.dim(`     ${notes.join("; ")}`));
      if (step.kind === "edit") lines.push(...unifiedDiff(step.edit.before, step.edit.after, step.file).split("\n").map((l) => `     ${colorDiff(l, style)}`));
    }
  }
  return `${lines.join("\n")}\n`;
}

function colorDiff(line: string, style: Style): string {
  if (line.startsWith("+") && !line.startsWith("+++")) return style.color.green(line);
  if (line.startsWith("-") && !line.startsWith("---")) return style.color.red(line);
  if (line.startsWith("@@")) return style.color.cyan(line);
  return line;
}
