/**
 * omni-doctor.yaml: settings for a kit (Proxmox endpoint, suppressions). Validated with zod;
 * every problem is reported as one line with file, line and column.
 */
import { readFileSync } from "node:fs";
import YAML, { isMap, isSeq, type Document, type Node } from "yaml";
import { z } from "zod";
import { formatYamlError, offsetToPosition } from "../util/yaml-error.ts";

export const CONFIG_FILE = "omni-doctor.yaml";

export const configSchema = z.strictObject({
  proxmox: z
    .strictObject({
      url: z.string().optional(),
      tokenID: z.string().optional(),
      tokenSecret: z.string().optional(),
      username: z.string().optional(),
      password: z.string().optional(),
      realm: z.string().optional(),
      ca: z.string().optional().describe("path of a PEM file with the CA or server certificate to trust"),
      fingerprint: z.string().optional().describe("SHA-256 fingerprint of the server certificate"),
      insecure: z.boolean().optional(),
    })
    .optional(),
});
export type DoctorConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Parse a config text; `file` is how the path is shown in errors. */
export function parseConfig(file: string, text: string): DoctorConfig {
  const doc = YAML.parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) throw new ConfigError(formatYamlError(file, text, doc.errors[0]!));
  const parsed = configSchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path;
  const { line, col } = offsetToPosition(text, nodeOffset(doc, path as Array<string | number>));
  const where = path.length > 0 ? `${path.join(".")}: ` : "";
  const message = issue.code === "unrecognized_keys" ? `unknown key "${issue.keys[0]}"` : issue.message;
  throw new ConfigError(`${file}:${line}:${col}: ${where}${message}`);
}

/** Offset of the deepest node on `path` that exists (a key's own position for unknown keys). */
function nodeOffset(doc: Document, path: Array<string | number>): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown })?.value === step);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof step === "number") {
      node = node.items[step];
      offset = (node as Node | undefined)?.range?.[0] ?? offset;
    } else break;
  }
  return offset;
}

export function readConfig(path: string, shownAs: string): DoctorConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`${shownAs}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseConfig(shownAs, text);
}
