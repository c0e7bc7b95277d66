/**
 * The result model: what a check reports and what `--format json` prints.
 * The zod schemas here are the JSON contract of CONTRACT.md; tests validate reports against them.
 */
import { z } from "zod";

export const STATUSES = ["pass", "fail", "warn", "skip", "error"] as const;
export type Status = (typeof STATUSES)[number];

export const SEVERITIES = ["error", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SOURCES = ["files", "omni", "talos", "kube", "pve", "dns", "net"] as const;
export type SourceName = (typeof SOURCES)[number];

export const locationSchema = z.strictObject({
  file: z.string(),
  line: z.number().int().positive(),
  column: z.number().int().positive(),
});
export type Location = z.infer<typeof locationSchema>;

const stepBase = { description: z.string(), destructive: z.boolean() };

export const fixStepSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("command"), ...stepBase, argv: z.array(z.string()).min(1) }),
  z.strictObject({
    kind: z.literal("api"),
    ...stepBase,
    method: z.enum(["GET", "POST", "PUT", "DELETE"]),
    path: z.string(),
    parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    /** The same change as a command to run on the Proxmox node (pvesh/qm). */
    equivalent: z.array(z.string()).optional(),
  }),
  z.strictObject({ kind: z.literal("edit"), ...stepBase, file: z.string() }),
  z.strictObject({ kind: z.literal("manual"), ...stepBase }),
]);
export type FixStepJson = z.infer<typeof fixStepSchema>;

export const fixSchema = z.strictObject({ summary: z.string(), steps: z.array(fixStepSchema) });

export const resultSchema = z.strictObject({
  check: z.string().regex(/^[a-z-]+\/[a-z0-9-]+$/),
  status: z.enum(STATUSES),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  message: z.string(),
  subject: z.string().optional(),
  location: locationSchema.optional(),
  evidence: z.array(z.string()).optional(),
  fix: fixSchema.optional(),
});
export type ResultJson = z.infer<typeof resultSchema>;

export const summarySchema = z.strictObject({
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
});
export type Summary = z.infer<typeof summarySchema>;

export const reportSchema = z
  .strictObject({
    tool: z.literal("omni-doctor"),
    version: z.string(),
    summary: summarySchema,
    results: z.array(resultSchema),
  })
  .check((ctx) => {
    // CONTRACT: a fail is always severity error; a warn is warning or info.
    ctx.value.results.forEach((r, i) => {
      if (r.status === "fail" && r.severity !== "error") {
        ctx.issues.push({ code: "custom", message: "a fail must have severity error", input: r, path: ["results", i] });
      }
      if (r.status === "warn" && r.severity === "error") {
        ctx.issues.push({ code: "custom", message: "a warn must have severity warning or info", input: r, path: ["results", i] });
      }
    });
  });
export type ReportJson = z.infer<typeof reportSchema>;

/** A change to a kit file: the whole text before and after, so a diff can be shown and a stale file refused. */
export interface FileEdit {
  file: string;
  before: string;
  after: string;
}

/** What a step may say beyond the contract fields: how to reverse it, where that exists. */
interface StepExtras {
  undo?: string;
}

/** A fix step as checks produce it. Edit steps carry the edit itself; the JSON report shows only the contract fields. */
export type FixStep =
  | (Extract<FixStepJson, { kind: "command" | "api" | "manual" }> & StepExtras)
  | (Extract<FixStepJson, { kind: "edit" }> & StepExtras & { edit: FileEdit });

export interface Fix {
  summary: string;
  steps: FixStep[];
}

export interface Result {
  check: string;
  status: Status;
  severity: Severity;
  title: string;
  message: string;
  subject?: string;
  location?: Location;
  evidence?: string[];
  fix?: Fix;
  /** Milliseconds the check took, facts included; shown with --verbose, not part of the JSON contract. */
  durationMs?: number;
  /** Why a finding was suppressed (its status is then `skip`); SARIF keeps it as a suppressed result. */
  suppressed?: string;
}

export function summarize(results: readonly Result[]): Summary {
  const summary: Summary = { passed: 0, failed: 0, warnings: 0, skipped: 0, errors: 0 };
  for (const r of results) {
    if (r.status === "pass") summary.passed++;
    else if (r.status === "fail") summary.failed++;
    else if (r.status === "warn") summary.warnings++;
    else if (r.status === "skip") summary.skipped++;
    else summary.errors++;
  }
  return summary;
}

export function toJsonStep(step: FixStep): FixStepJson {
  if (step.kind === "edit") {
    const { edit: _edit, undo: _undo, ...json } = step;
    return json;
  }
  const { undo: _undo, ...json } = step;
  return json;
}

export function toJsonResult(r: Result): ResultJson {
  const json: ResultJson = { check: r.check, status: r.status, severity: r.severity, title: r.title, message: r.message };
  if (r.subject !== undefined) json.subject = r.subject;
  if (r.location) json.location = r.location;
  if (r.evidence && r.evidence.length > 0) json.evidence = r.evidence;
  if (r.fix) json.fix = { summary: r.fix.summary, steps: r.fix.steps.map(toJsonStep) };
  return json;
}
