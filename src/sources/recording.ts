/**
 * Recordings: every external answer of a run, redacted, in a folder a person can read and a user
 * can attach to a bug report. `--record DIR` writes one; `--replay DIR` answers every query from it.
 *
 * Layout (format 1):
 *   DIR/recording.yaml            what was recorded: tool version, time, options, source settings
 *   DIR/<source>/<slug>.yaml      one question and its answer (or the error it ended with)
 * The slug is the question's key made file-safe plus a short hash, so re-recording the same lab
 * rewrites the same files.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { z } from "zod";
import YAML from "yaml";
import { SOURCES, type SourceName } from "../model/result.ts";
import { redactDeep } from "./redact.ts";
import { abortKind } from "./abort.ts";
import { answerSchemas, requestKey, TransportError, type AnswerOf, type Transport, type TransportAnswer, type TransportRequest } from "./transport.ts";
import { formatYamlError } from "../util/yaml-error.ts";

export const RECORDING_FORMAT = 1;
export const MANIFEST_FILE = "recording.yaml";

const errorKinds = z.enum([
  "offline",
  "not-installed",
  "not-configured",
  "not-recorded",
  "cancelled",
  "timeout",
  "auth",
  "unreachable",
  "unexpected-output",
  "failed",
]);

export const entrySchema = z.object({
  source: z.enum(SOURCES),
  key: z.string(),
  answer: z.record(z.string(), z.unknown()).optional(),
  error: z.object({ kind: errorKinds, message: z.string() }).optional(),
});
export type RecordingEntry = z.infer<typeof entrySchema>;

export const manifestSchema = z.object({
  format: z.literal(RECORDING_FORMAT),
  tool: z.string(),
  version: z.string(),
  recordedAt: z.string(),
  /** Settings of sources that need one to be asked at all (e.g. the Proxmox endpoint). Never credentials. */
  sources: z
    .object({
      pve: z.object({ url: z.string(), auth: z.enum(["token", "password"]), tls: z.string() }).optional(),
      kube: z.object({ context: z.string().optional() }).optional(),
    })
    .default({}),
  options: z.record(z.string(), z.unknown()).default({}),
});
export type RecordingManifest = z.infer<typeof manifestSchema>;

function slug(source: SourceName, key: string): string {
  const readable = key
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  const hash = createHash("sha256").update(`${source}\u0000${key}`).digest("hex").slice(0, 8);
  return `${readable}-${hash}.yaml`;
}

function entryPath(dir: string, source: SourceName, key: string): string {
  return join(dir, source, slug(source, key));
}

const yamlOptions = { lineWidth: 0, blockQuote: "literal" as const };

export function writeEntry(dir: string, entry: RecordingEntry): void {
  const path = entryPath(dir, entry.source, entry.key);
  mkdirSync(join(dir, entry.source), { recursive: true });
  writeFileSync(path, YAML.stringify(redactDeep(entry), yamlOptions));
}

export function writeManifest(dir: string, manifest: RecordingManifest): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MANIFEST_FILE), YAML.stringify(redactDeep(manifest), yamlOptions));
}

export class RecordingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecordingError";
  }
}

export interface Recording {
  manifest: RecordingManifest;
  entries: Map<string, RecordingEntry>;
}

/** Read a recording folder. Throws RecordingError with file, line and column on bad input. */
export function readRecording(dir: string): Recording {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) throw new RecordingError(`${manifestPath}: not a recording (no ${MANIFEST_FILE})`);
  const manifest = parseYamlFile(manifestPath, manifestSchema);
  const entries = new Map<string, RecordingEntry>();
  for (const source of SOURCES) {
    const sourceDir = join(dir, source);
    if (!existsSync(sourceDir)) continue;
    for (const name of readdirSync(sourceDir).sort()) {
      if (!name.endsWith(".yaml")) continue;
      const entry = parseYamlFile(join(sourceDir, name), entrySchema);
      entries.set(`${entry.source}\u0000${entry.key}`, entry);
    }
  }
  return { manifest, entries };
}

function parseYamlFile<T>(path: string, schema: z.ZodType<T>): T {
  return parseRecordingText(relative(process.cwd(), path) || path, readFileSync(path, "utf8"), schema);
}

/** Parse one recording file's text (`shown` names it in errors); throws RecordingError on bad input. */
export function parseRecordingText<T>(shown: string, text: string, schema: z.ZodType<T>): T {
  const doc = YAML.parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) throw new RecordingError(formatYamlError(shown, text, doc.errors[0]!));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new RecordingError(`${shown}: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RecordingError(`${shown}: ${issue.path.join(".") || "(top)"}: ${issue.message}`);
  }
  return parsed.data;
}

/** Answers every question from a recording; a question it does not hold is "not recorded". */
export class ReplayTransport implements Transport {
  readonly mode = "replay" as const;
  readonly recording: Recording;

  constructor(recording: Recording) {
    this.recording = recording;
  }

  async ask<R extends TransportRequest>(request: R): Promise<AnswerOf<R>> {
    const key = requestKey(request);
    const entry = this.recording.entries.get(`${request.source}\u0000${key}`);
    if (!entry) throw new TransportError("not-recorded", `the recording has no answer for: ${key}`);
    if (entry.error) throw new TransportError(entry.error.kind, entry.error.message);
    const answer = answerSchemas[request.kind].safeParse(entry.answer);
    if (!answer.success) throw new TransportError("unexpected-output", `the recorded answer for "${key}" is not a ${request.kind} answer: ${answer.error.issues[0]?.message}`);
    return answer.data as AnswerOf<R>;
  }
}

/** Wraps a transport and writes every answer (or failure) into a recording folder, redacted. */
export class RecordingTransport implements Transport {
  readonly inner: Transport;
  readonly dir: string;

  constructor(inner: Transport, dir: string) {
    this.inner = inner;
    this.dir = dir;
  }

  get mode() {
    return this.inner.mode;
  }

  async ask<R extends TransportRequest>(request: R, signal: AbortSignal): Promise<AnswerOf<R>> {
    const key = requestKey(request);
    try {
      const answer = await this.inner.ask(request, signal);
      writeEntry(this.dir, { source: request.source, key, answer: answer as unknown as Record<string, unknown> });
      return answer;
    } catch (error) {
      const kind = signal.aborted ? abortKind(signal) : error instanceof TransportError ? error.kind : "failed";
      if (kind !== "cancelled") writeEntry(this.dir, { source: request.source, key, error: { kind, message: (error as Error).message } });
      throw error;
    }
  }
}

export type { TransportAnswer };
