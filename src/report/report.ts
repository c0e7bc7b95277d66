/** Turn results into the chosen format. One canonical result model, many renderers. */
import { reportSchema, summarize, toJsonResult, type ReportJson, type Result } from "../model/result.ts";
import { redact } from "../sources/redact.ts";
import { renderHuman } from "./human.ts";
import { renderSarif } from "./sarif.ts";
import { renderJunit } from "./junit.ts";
import { renderGithub } from "./github.ts";
import { renderMarkdown } from "./markdown.ts";
import type { Style } from "./style.ts";
import type { ReportRule } from "./rules.ts";
import type { FailOn } from "../engine/exit-code.ts";

export const FORMATS = ["human", "json", "sarif", "junit", "github", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportContext {
  version: string;
  /** One line under the title: kit, replay/offline mode. */
  header?: string;
  verbose: boolean;
  elapsedMs?: number;
  style?: Style;
  /** The checks that ran, for formats that describe them (SARIF rules). */
  rules?: ReportRule[];
  failOn?: FailOn;
}

export function jsonReport(results: readonly Result[], version: string): ReportJson {
  return reportSchema.parse({ tool: "omni-doctor", version, summary: summarize(results), results: results.map(toJsonResult) });
}

export type Renderer = (results: readonly Result[], ctx: ReportContext & { style: Style }) => string;

const renderers: Record<Format, Renderer> = {
  human: (results, ctx) => renderHuman(results, ctx, ctx.style),
  json: (results, ctx) => `${JSON.stringify(jsonReport(results, ctx.version), null, 2)}\n`,
  sarif: renderSarif,
  junit: renderJunit,
  github: renderGithub,
  markdown: renderMarkdown,
};

/** The report text, redacted: no secret reaches a report whatever a check put in its message. */
export function render(format: Format, results: readonly Result[], ctx: ReportContext & { style: Style }): string {
  return redact(renderers[format](results, ctx));
}
