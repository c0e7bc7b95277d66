/** Turn results into the chosen format. One canonical result model, many renderers. */
import { reportSchema, summarize, toJsonResult, type ReportJson, type Result } from "../model/result.ts";
import { redact } from "../sources/redact.ts";
import { renderHuman } from "./human.ts";
import type { Style } from "./style.ts";

export const FORMATS = ["human", "json", "sarif", "junit", "github", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportContext {
  version: string;
  /** One line under the title: kit, replay/offline mode. */
  header?: string;
  verbose: boolean;
  elapsedMs?: number;
  style?: Style;
}

export function jsonReport(results: readonly Result[], version: string): ReportJson {
  return reportSchema.parse({ tool: "omni-doctor", version, summary: summarize(results), results: results.map(toJsonResult) });
}

export type Renderer = (results: readonly Result[], ctx: ReportContext & { style: Style }) => string;

const renderers: Partial<Record<Format, Renderer>> = {
  human: (results, ctx) => renderHuman(results, ctx, ctx.style),
  json: (results, ctx) => `${JSON.stringify(jsonReport(results, ctx.version), null, 2)}\n`,
};

export function supportedFormats(): Format[] {
  return FORMATS.filter((f) => renderers[f]);
}

/** The report text, redacted: no secret reaches a report whatever a check put in its message. */
export function render(format: Format, results: readonly Result[], ctx: ReportContext & { style: Style }): string {
  const renderer = renderers[format];
  if (!renderer) throw new Error(`format ${format} is not available yet`);
  return redact(renderer(results, ctx));
}
