/**
 * The fix plan: the steps of every failing or warning result, grouped by problem, in the order
 * the catalog's domains go (kit and hypervisor causes before the symptoms they produce), with
 * identical steps merged. `fix --dry-run` prints it and changes nothing.
 */
import type { FixStep, Result } from "../model/result.ts";
import { compareIds } from "../engine/registry.ts";
import { stepText } from "../report/fix-text.ts";
import type { Format } from "../report/report.ts";
import { toJsonStep } from "../model/result.ts";
import type { Style } from "../report/style.ts";
import { unifiedDiff } from "./diff.ts";

export interface PlanGroup {
  check: string;
  subject?: string;
  problem: string;
  summary: string;
  steps: FixStep[];
}

export interface Plan {
  groups: PlanGroup[];
}

function stepKey(step: FixStep): string {
  return JSON.stringify(toJsonStep(step));
}

export function buildPlan(results: readonly Result[]): Plan {
  const seen = new Set<string>();
  const groups: PlanGroup[] = [];
  const withFixes = results.filter((r) => (r.status === "fail" || r.status === "warn") && r.fix).sort((a, b) => compareIds(a.check, b.check));
  for (const r of withFixes) {
    const steps = r.fix!.steps.filter((step) => {
      const key = stepKey(step);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (steps.length === 0) continue;
    const group: PlanGroup = { check: r.check, problem: r.message, summary: r.fix!.summary, steps };
    if (r.subject !== undefined) group.subject = r.subject;
    groups.push(group);
  }
  return { groups };
}

export function renderPlan(plan: Plan, format: Format, style: Style): string {
  if (format === "json") {
    return `${JSON.stringify({ tool: "omni-doctor", plan: plan.groups.map((g) => ({ ...g, steps: g.steps.map(toJsonStep) })) }, null, 2)}\n`;
  }
  const c = style.color;
  if (plan.groups.length === 0) return "Nothing to fix.\n";
  const lines = [c.bold(`Fix plan (dry run: nothing was changed), ${plan.groups.length} problem(s):`)];
  let n = 0;
  for (const group of plan.groups) {
    lines.push("", `${c.bold(group.check)}${group.subject ? `  ${group.subject}` : ""}`, c.dim(`  ${group.problem}`), `  ${c.green(group.summary)}`);
    for (const step of group.steps) {
      lines.push(`  ${++n}. ${stepText(step)}`);
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
