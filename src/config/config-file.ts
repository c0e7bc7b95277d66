/**
 * omni-doctor.yaml: settings for a kit (Proxmox endpoint, suppressions). Validated with zod;
 * every problem is reported as one line with file, line and column. Its JSON Schema for editors
 * (schemas/omni-doctor.schema.json) is generated from the same zod schema.
 */
import { readFileSync } from "node:fs";
import YAML, { isMap, isSeq, type Document, type Node } from "yaml";
import { z } from "zod";
import { formatYamlError, offsetToPosition } from "../util/yaml-error.ts";

export const CONFIG_FILE = "omni-doctor.yaml";

export const suppressionSchema = z.strictObject({
  check: z
    .string()
    .regex(/^[a-z-]+\/[a-z0-9-]+$/, "must be a check id such as template/protected-node-labels")
    .describe("the check id whose findings this suppresses"),
  file: z.string().optional().describe("glob of the kit file the finding is about, relative to the kit folder (e.g. clusters/legacy/*.yaml)"),
  subject: z.string().optional().describe("glob of the finding's subject (e.g. 'VM 1* on pve2')"),
  reason: z.string().min(1, "a suppression needs a reason").describe("why this finding is accepted; shown wherever it is suppressed"),
  expires: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
    .optional()
    .describe("after this day the suppression stops working and is reported"),
});

export const configSchema = z.strictObject({
  proxmox: z
    .strictObject({
      url: z.string().optional().describe("https://<host>:8006/api2/json"),
      tokenID: z.string().optional().describe("USER@REALM!TOKENID"),
      tokenSecret: z.string().optional().describe("prefer the PROXMOX_TOKEN_SECRET environment variable"),
      username: z.string().optional(),
      password: z.string().optional().describe("prefer the PROXMOX_PASSWORD environment variable"),
      realm: z.string().optional(),
      ca: z.string().optional().describe("path of a PEM file with the CA or server certificate to trust"),
      fingerprint: z.string().optional().describe("SHA-256 fingerprint of the server certificate"),
      insecure: z.boolean().optional(),
    })
    .optional(),
  suppressions: z.array(suppressionSchema).optional().describe("findings to accept, by check id and file or subject glob"),
});
export type DoctorConfig = z.infer<typeof configSchema>;

export interface LoadedConfig {
  /** How the file is shown in messages. */
  file: string;
  config: DoctorConfig;
  /** `file:line:column` of a path in the file (the deepest node that exists). */
  where(path: Array<string | number>): string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export const EMPTY_CONFIG: LoadedConfig = { file: CONFIG_FILE, config: {}, where: () => CONFIG_FILE };

/** Parse a config text; `file` is how the path is shown in errors. */
export function parseConfig(file: string, text: string): LoadedConfig {
  const doc = YAML.parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) throw new ConfigError(formatYamlError(file, text, doc.errors[0]!));
  const where = (path: Array<string | number>) => {
    const { line, col } = offsetToPosition(text, nodeOffset(doc, path));
    return `${file}:${line}:${col}`;
  };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // e.g. an alias to an anchor that does not exist (`*a`)
    throw new ConfigError(`${where([])}: ${(error as Error).message}`);
  }
  const parsed = configSchema.safeParse(value ?? {});
  if (parsed.success) return { file, config: parsed.data, where };
  const issue = parsed.error.issues[0]!;
  const path = (issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path) as Array<string | number>;
  const at = path.length > 0 ? `${path.join(".")}: ` : "";
  const message = issue.code === "unrecognized_keys" ? `unknown key "${issue.keys[0]}"` : issue.message;
  throw new ConfigError(`${where(path)}: ${at}${message}`);
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

export function readConfig(path: string, shownAs: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`${shownAs}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseConfig(shownAs, text);
}
