/**
 * Applying a fix plan: step by step, each confirmed unless --yes, destructive ones refused unless
 * --allow-destructive (and still confirmed unless --yes), a failed step leaving its dependents
 * undone, Ctrl-C stopping cleanly. Commands run as argv (never a shell) with the checks' timeout;
 * API steps go through the Proxmox client; edits refuse a file that changed since the check read it.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { execa } from "execa";
import type { FixStep } from "../model/result.ts";
import { locateProgram } from "../sources/live-transport.ts";
import { firstErrorLine } from "../sources/exec-output.ts";
import { stepText } from "../report/fix-text.ts";
import type { AuditLog } from "./audit.ts";
import type { Plan } from "./plan.ts";

export type StepStatus = "done" | "failed" | "refused" | "skipped" | "declined" | "not-run" | "interrupted";

export interface StepOutcome {
  index: number;
  status: StepStatus;
  detail: string;
}

/** Talks to the outside world for `apply`; tests use the real one against the harness. */
export interface StepExecutor {
  api(method: "GET" | "POST" | "PUT" | "DELETE", path: string, parameters: Record<string, string | number | boolean>): Promise<void>;
}

export interface ApplyOptions {
  yes: boolean;
  allowDestructive: boolean;
  /** --offline: only file edits may run. */
  offline: boolean;
  timeoutMs: number;
  signal: AbortSignal;
  ask(question: string): Promise<boolean>;
  waitForManual(description: string): Promise<boolean>;
  print(line: string): void;
  executor: StepExecutor;
  audit: AuditLog;
}

export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  const succeeded = new Set<number>();
  for (let index = 0; index < plan.steps.length; index++) {
    const { step, requires, problems } = plan.steps[index]!;
    const label = `${index + 1}. ${stepText(step)}`;
    const record = (status: StepStatus, detail: string, extra: { exitCode?: number; durationMs?: number; backup?: string } = {}) => {
      outcomes.push({ index, status, detail });
      if (status === "done") succeeded.add(index);
      options.print(`   ${status === "done" ? "✓" : status === "failed" ? "✗" : "-"} ${status}${detail ? `: ${detail}` : ""}`);
      if (status === "done" || status === "failed" || status === "refused") {
        options.audit.append({
          time: new Date().toISOString(),
          check: [...new Set(problems.map((p) => plan.problems[p]!.check))],
          step: index + 1,
          kind: step.kind,
          description: step.description,
          ...(step.kind === "command" ? { argv: step.argv } : {}),
          ...(step.kind === "api" ? { api: { method: step.method, path: step.path, parameters: step.parameters } } : {}),
          ...(step.kind === "edit" ? { file: step.file } : {}),
          outcome: status,
          durationMs: extra.durationMs ?? 0,
          ...(extra.exitCode !== undefined ? { exitCode: extra.exitCode } : {}),
          ...(detail ? { detail } : {}),
          ...(extra.backup ? { backup: extra.backup } : {}),
        });
      }
    };
    options.print(label);
    if (options.signal.aborted) {
      record("interrupted", "not started (interrupted)");
      continue;
    }
    const missing = requires.filter((r) => !succeeded.has(r));
    if (missing.length > 0) {
      record("skipped", `left undone: step ${missing.map((m) => m + 1).join(", ")} did not succeed`);
      continue;
    }
    if (options.offline && step.kind !== "edit" && step.kind !== "manual") {
      record("not-run", "--offline applies file edits only");
      continue;
    }
    if (step.destructive && !options.allowDestructive) {
      record("refused", "destructive; run again with --allow-destructive to permit it");
      continue;
    }
    if (step.kind === "manual") {
      if (options.yes) record("done", "not waited for (--yes): do it yourself");
      else if (await options.waitForManual(step.description)) record("done", "confirmed done");
      else record("declined", "not confirmed");
      continue;
    }
    if (!options.yes && !(await options.ask(`${step.destructive ? "Run this DESTRUCTIVE step" : "Run this step"}? [y/N] `))) {
      record("declined", "not confirmed");
      continue;
    }
    const started = performance.now();
    try {
      const result = await execute(step, options);
      record(result.ok ? "done" : "failed", result.detail, { durationMs: Math.round(performance.now() - started), ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}), ...(result.backup ? { backup: result.backup } : {}) });
    } catch (error) {
      record(options.signal.aborted ? "interrupted" : "failed", (error as Error).message, { durationMs: Math.round(performance.now() - started) });
    }
  }
  return outcomes;
}

async function execute(step: FixStep, options: ApplyOptions): Promise<{ ok: boolean; detail: string; exitCode?: number; backup?: string }> {
  switch (step.kind) {
    case "command": {
      const [program = "", ...args] = step.argv;
      const path = program === "omnictl" || program === "talosctl" || program === "kubectl" ? (locateProgram(program) ?? program) : program;
      const result = await execa(path, args, { reject: false, stdin: "ignore", timeout: options.timeoutMs, cancelSignal: options.signal, forceKillAfterDelay: 1000 });
      if (result.isCanceled) throw new Error("interrupted");
      if (result.timedOut) return { ok: false, detail: `no answer within ${options.timeoutMs / 1000}s (killed)` };
      if (result.failed && result.exitCode === undefined) return { ok: false, detail: result.shortMessage ?? `${program} could not run` };
      const output = String(result.stdout).trim().split("\n").pop() ?? "";
      return result.exitCode === 0 ? { ok: true, detail: output, exitCode: 0 } : { ok: false, detail: `exit ${result.exitCode}: ${firstErrorLine(String(result.stderr))}`, exitCode: result.exitCode ?? -1 };
    }
    case "api":
      await options.executor.api(step.method, step.path, step.parameters);
      return { ok: true, detail: `${step.method} ${step.path}` };
    case "edit": {
      const path = resolve(step.edit.file);
      const current = readFileSync(path, "utf8");
      if (current !== step.edit.before) return { ok: false, detail: `${step.file} changed since it was checked; run omni-doctor again` };
      const backup = options.audit.backup(path, current, new Date());
      const temp = `${path}.omni-doctor-tmp`;
      writeFileSync(temp, step.edit.after);
      renameSync(temp, path);
      return { ok: true, detail: `${step.file} written (previous content kept in ${backup})`, backup };
    }
    case "manual":
      return { ok: true, detail: "" };
  }
}
