/**
 * Credentials written in plain text where they get committed: compose files (whose secrets
 * belong in a git-ignored env file), example env and config files (committed on purpose), and
 * scripts or docs. Live env files and the provider's own config.yaml are where secrets belong
 * and are not searched. Placeholders and SOPS ciphertext are not secrets.
 */
import type { Location } from "../../model/result.ts";
import type { Kit } from "./kit.ts";
import { filesOfKind } from "./kit.ts";
import { commandArguments, composeServices, serviceEnvironment } from "./compose.ts";
import { envValueLocation } from "./env-file.ts";
import { isPlaceholder } from "./placeholders.ts";
import { docValue, isRecord, locationOf, nodeAt } from "./yaml-file.ts";

export interface PlaintextSecret {
  location: Location;
  /** What holds it: `TS_AUTHKEY`, `--omni-service-account-key`, `proxmox.tokenSecret`. */
  holder: string;
  /** What it looks like: "a Tailscale auth key", "a password". */
  kind: string;
  place: "compose" | "example" | "text";
  value: string;
}

/** Token shapes that are credentials wherever they appear. */
const SHAPES: Array<[RegExp, string]> = [
  [/\btskey-(?:auth|client|api|scim|webhook)-[A-Za-z0-9]+-[A-Za-z0-9]{8,}/, "a Tailscale key"],
  [/\beyJ[A-Za-z0-9_-]{30,}={0,2}/, "a base64 key (an Omni service account or infra provider key, or a JWT)"],
  [/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----/, "a private key"],
];

/** Names whose value is a credential. */
const SECRET_NAME = /(secret|password|passwd|token|authkey|auth[-_]key|api[-_]key|account[-_]key|provider[-_]key|private[-_]key)$/i;

export const isSecretName = (name: string) => SECRET_NAME.test(name.replace(/^-+/, ""));

function classify(holder: string, value: string): { kind: string; value: string } | undefined {
  if (isPlaceholder(value) || /^ENC\[/.test(value) || value.includes("$")) return undefined;
  for (const [shape, kind] of SHAPES) {
    const match = shape.exec(value);
    if (match && !isPlaceholder(match[0])) return { kind, value: match[0] };
  }
  // A path names where the secret is (`--key=/tls.key`), not the secret.
  const isPath = /^(\/|\.\.?\/|~\/|file:\/\/)/.test(value);
  if (isSecretName(holder) && !isPath && value.trim().length >= 8 && !/^(true|false)$/i.test(value)) {
    return { kind: /pass/i.test(holder) ? "a password" : "a secret", value: value.trim() };
  }
  return undefined;
}

export function findPlaintextSecrets(kit: Kit): PlaintextSecret[] {
  const found: PlaintextSecret[] = [];
  const add = (holder: string, value: string | undefined, location: Location, place: PlaintextSecret["place"]) => {
    const secret = value === undefined ? undefined : classify(holder, value);
    if (secret) found.push({ location, holder, kind: secret.kind, place, value: secret.value });
  };
  for (const service of composeServices(kit)) {
    if (service.file.example) continue;
    for (const entry of serviceEnvironment(service)) add(entry.key, entry.value, entry.location, "compose");
    const args = commandArguments(service);
    args.forEach((arg, i) => {
      const eq = arg.value.indexOf("=");
      if (arg.value.startsWith("-") && eq > 0) add(arg.value.slice(0, eq), arg.value.slice(eq + 1), arg.location, "compose");
      else if (arg.value.startsWith("-") && args[i + 1] && !args[i + 1]!.value.startsWith("-")) add(arg.value, args[i + 1]!.value, args[i + 1]!.location, "compose");
    });
  }
  for (const env of kit.env.filter((e) => e.example)) {
    for (const entry of env.entries) add(entry.key, entry.value, envValueLocation(env, entry), "example");
  }
  for (const file of filesOfKind(kit, "provider-config").filter((f) => f.example)) {
    for (const doc of file.docs) {
      const value = docValue(doc);
      if (!isRecord(value) || !isRecord(value.proxmox)) continue;
      for (const key of ["tokenSecret", "password"]) {
        const v = value.proxmox[key];
        if (typeof v === "string") add(`proxmox.${key}`, v, locationOf(file, nodeAt(doc.contents, ["proxmox", key])), "example");
      }
    }
  }
  for (const file of kit.text) {
    const lines = file.text.split("\n");
    lines.forEach((line, i) => {
      for (const [shape] of SHAPES) {
        const match = shape.exec(line);
        if (match) add("text", match[0], { file: file.path, line: i + 1, column: match.index + 1 }, "text");
      }
    });
  }
  return found;
}
