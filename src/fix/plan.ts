/**
 * The fix plan: every step of every failing or warning result, in an order where causes come
 * before the symptoms they produce (the kit and the network before recreating machines), with
 * identical steps merged, edits of one file chained, and each step knowing which earlier steps it
 * needs. `fix --dry-run` prints it and changes nothing; `fix` applies it step by step.
 */
import type { FixStep, Result } from "../model/result.ts";
import { toJsonStep } from "../model/result.ts";
import { EditChain } from "./edit-chain.ts";

/** Where a domain's problems are fixed: configuration and infrastructure first, then what runs on it. */
export const FIX_ORDER = ["kit", "template", "machine-class", "manifest", "network", "proxmox", "omni", "talos", "kube"] as const;
/** Domains whose fixes address causes; fixes of the other domains need them done first. */
const CAUSE_DOMAINS = new Set(["kit", "template", "machine-class", "manifest", "network", "proxmox"]);

export interface PlanProblem {
  check: string;
  subject?: string;
  message: string;
  summary: string;
  /** Indices into plan.steps, in the order they run for this problem. */
  steps: number[];
}

export interface PlanStep {
  step: FixStep;
  /** Indices of the problems it serves (more than one when merged). */
  problems: number[];
  /** Indices of steps that must have succeeded before this one runs. */
  requires: number[];
}

export interface Plan {
  problems: PlanProblem[];
  steps: PlanStep[];
  /** The checks whose results produced the plan (re-run to verify). */
  checks: string[];
}

const domainRank = (check: string) => {
  const i = (FIX_ORDER as readonly string[]).indexOf(check.split("/")[0]!);
  return i < 0 ? FIX_ORDER.length : i;
};

export function stepKey(step: FixStep): string {
  return JSON.stringify(toJsonStep(step));
}

export function buildPlan(results: readonly Result[]): Plan {
  const fixable = results
    .filter((r) => (r.status === "fail" || r.status === "warn") && r.fix && r.fix.steps.length > 0)
    .sort((a, b) => domainRank(a.check) - domainRank(b.check) || a.check.localeCompare(b.check) || (a.subject ?? "").localeCompare(b.subject ?? ""));
  const plan: Plan = { problems: [], steps: [], checks: [] };
  const byKey = new Map<string, number>();
  const causeSteps: number[] = [];
  const edits = new EditChain();
  for (const r of fixable) {
    const problemIndex = plan.problems.length;
    const problem: PlanProblem = { check: r.check, message: r.message, summary: r.fix!.summary, steps: [] };
    if (r.subject !== undefined) problem.subject = r.subject;
    plan.problems.push(problem);
    if (!plan.checks.includes(r.check)) plan.checks.push(r.check);
    const isCause = CAUSE_DOMAINS.has(r.check.split("/")[0]!);
    for (const step of r.fix!.steps) {
      const key = stepKey(step);
      let index = byKey.get(key);
      if (index === undefined) {
        index = plan.steps.length;
        byKey.set(key, index);
        const requires = isCause ? [] : [...causeSteps];
        let planned = step;
        if (step.kind === "edit") {
          const chained = edits.add(step.edit, index);
          planned = { ...step, edit: chained.edit };
          if (chained.after !== undefined && !requires.includes(chained.after)) requires.push(chained.after);
        }
        plan.steps.push({ step: planned, problems: [], requires });
        if (isCause) causeSteps.push(index);
      }
      const planStep = plan.steps[index]!;
      planStep.problems.push(problemIndex);
      // Within a problem, each step needs the ones before it.
      for (const earlier of problem.steps) if (earlier !== index && !planStep.requires.includes(earlier)) planStep.requires.push(earlier);
      problem.steps.push(index);
    }
  }
  return plan;
}
