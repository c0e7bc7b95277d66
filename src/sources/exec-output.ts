/**
 * Shared handling of what omnictl, talosctl and kubectl print: JSON streams validated with zod,
 * and the first meaningful line of an error for messages.
 */
import { z } from "zod";
import { parseJsonStream } from "../util/json-stream.ts";
import { SourceError } from "./source-error.ts";
import type { SourceName } from "../model/result.ts";

/** klog lines (`E1121 20:09:24.963720  4587 memcache.go:265] ...`) repeat the real error noisily. */
const KLOG = /^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ \S+:\d+\]/;

/** The first non-empty stderr line that is not a warning or log noise, trimmed to a readable length. */
export function firstErrorLine(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/^WARNING:/i.test(l) && !KLOG.test(l));
  const line = (lines.find((l) => !/^\d+ errors? occurred:$/.test(l)) ?? lines[0] ?? "").replace(/^\*\s*/, "").replace(/^Error:\s*/, "");
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** Parse a concatenated-JSON stream and validate every value; unreadable output is a SourceError. */
export function parseStream<T>(source: SourceName, what: string, stdout: string, schema: z.ZodType<T>): T[] {
  let values: unknown[];
  try {
    values = parseJsonStream(stdout);
  } catch (error) {
    throw new SourceError(source, "unexpected-output", `${what}: the output is not a JSON stream (${(error as Error).message})`);
  }
  return values.map((value, index) => parseValue(source, `${what}: object ${index + 1}`, value, schema));
}

export function parseValue<T>(source: SourceName, what: string, value: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SourceError(source, "unexpected-output", `${what}: ${issue.path.join(".") || "(top)"}: ${issue.message}`, "a newer or older program version may print a different shape; please report it with --record");
  }
  return parsed.data;
}

/** A zod string field that accepts null (empty YAML values become null in these JSON outputs). */
export const looseString = z.union([z.string(), z.null()]).transform((v) => v ?? "");

/** Label and annotation values are typed by a YAML round trip ("8" → 8, "" → null): bring them back to strings. */
export const stringMap = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((m) => Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, v === null || v === undefined ? "" : String(v)])));

/** The metadata both omnictl and talosctl print for a COSI resource; Omni's adds its own fields. */
export const cosiMetadata = z.object({
  namespace: z.string(),
  type: z.string(),
  id: z.string(),
  version: z.union([z.number(), z.string()]).optional(),
  phase: z.string().default("running"),
  labels: stringMap,
});
