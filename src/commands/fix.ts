/**
 * `omni-doctor fix [DIR]`: check, plan the fixes, and with --dry-run print the plan and change
 * nothing; otherwise apply it step by step, then re-run the checks the plan came from and print
 * before → after. Exit 0 only when those checks now pass.
 */
import { createInterface } from "node:readline/promises";
import { executeRun, prepareRun, type CommonOptions } from "./run.ts";
import { interruptible, startProgress, writeReport } from "./output.ts";
import { buildPlan } from "../fix/plan.ts";
import { renderPlan } from "../fix/render-plan.ts";
import { applyPlan, type StepOutcome } from "../fix/apply.ts";
import { AuditLog, auditLogPath } from "../fix/audit.ts";
import { detectStyle } from "../report/style.ts";
import { redact } from "../sources/redact.ts";
import type { Result, Status } from "../model/result.ts";
import { UsageError } from "./usage-error.ts";

export interface FixOptions extends CommonOptions {
  dryRun?: boolean;
  yes?: boolean;
  allowDestructive?: boolean;
}

const RANK: Record<Status, number> = { pass: 0, skip: 1, warn: 2, error: 3, fail: 4 };

function worst(results: Result[], check: string): Status | "absent" {
  const mine = results.filter((r) => r.check === check);
  if (mine.length === 0) return "absent";
  return mine.reduce<Status>((w, r) => (RANK[r.status] > RANK[w] ? r.status : w), "pass");
}

/** Questions on stdin (a TTY or a pipe); end of input means no. */
function prompter() {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const next = async (question: string) => {
    process.stderr.write(question);
    const line = await lines.next();
    return line.done ? undefined : line.value.trim();
  };
  return {
    ask: async (question: string) => /^y(es)?$/i.test((await next(question)) ?? ""),
    waitForManual: async (description: string) => {
      const answer = await next(`   do this, then press enter (or type "skip"): ${description}\n   > `);
      return answer !== undefined && !/^skip$/i.test(answer);
    },
    close: () => rl.close(),
  };
}

export async function fixCommand(dir: string, options: FixOptions): Promise<number> {
  if (!options.dryRun && options.replay) throw new UsageError("fixes cannot be applied to a replayed recording: use --dry-run to see the plan, or drop --replay");
  if (options.dryRun && (options.yes || options.allowDestructive)) throw new UsageError("--dry-run changes nothing, so --yes and --allow-destructive have no meaning with it");
  const interrupt = interruptible();
  const opened: Array<{ close(): Promise<void> }> = [];
  try {
    const prepared = await prepareRun(dir, options, interrupt.signal);
    opened.push(prepared);
    const progress = await startProgress("checking");
    const before = await executeRun(prepared, progress.update);
    progress.stop();
    const plan = buildPlan(before.results);
    const style = detectStyle(options.output ? { isTTY: false } : process.stdout);
    const planText = renderPlan(plan, prepared.format === "json" ? "json" : "human", style, Boolean(options.dryRun));
    if (options.dryRun || plan.steps.length === 0) {
      writeReport(redact(planText), options.output);
      return 0;
    }
    process.stdout.write(redact(planText));
    const out = (line: string) => process.stdout.write(`${redact(line)}\n`);
    out("");
    const audit = new AuditLog(auditLogPath());
    const questions = prompter();
    let outcomes: StepOutcome[];
    try {
      outcomes = await applyPlan(plan, {
        yes: Boolean(options.yes),
        allowDestructive: Boolean(options.allowDestructive),
        offline: Boolean(options.offline),
        timeoutMs: prepared.ctx.options.timeoutMs,
        signal: interrupt.signal,
        ask: questions.ask,
        waitForManual: questions.waitForManual,
        print: out,
        executor: { api: async (method, path, parameters) => void (await prepared.ctx.pve.change(method, path, parameters)) },
        audit,
      });
    } finally {
      questions.close();
    }
    const undone = outcomes.filter((o) => o.status !== "done");
    out("");
    out(`${outcomes.length - undone.length} of ${outcomes.length} step(s) done; audit log: ${audit.path}`);
    for (const o of undone) out(`  left undone: step ${o.index + 1} (${o.status}): ${o.detail}`);
    if (interrupt.signal.aborted) return 130;

    // Verify: the checks the plan came from, asked again from scratch.
    const again = await prepareRun(dir, { ...options, only: plan.checks.join(","), skip: undefined, record: undefined }, interrupt.signal);
    opened.push(again);
    const after = await executeRun(again);
    out("");
    out("verification:");
    let allPass = true;
    for (const check of plan.checks) {
      const was = worst(before.results, check);
      const now = worst(after.results, check);
      if (now !== "pass") allPass = false;
      out(`  ${check}: ${was} → ${now}`);
    }
    return allPass && undone.length === 0 ? 0 : 1;
  } finally {
    await Promise.all(opened.map((p) => p.close()));
    interrupt.dispose();
  }
}
