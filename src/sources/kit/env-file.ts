/**
 * Env files the way Docker Compose reads them (`.env`, `omni.env`, `--env-file`): KEY=VALUE
 * lines, optional `export`, single/double quotes (which may span lines), `#` comments, leading
 * blanks ignored. Positions are kept per key and per value, so findings point at the value and
 * fixes can edit it in place. `*.example`/`*.template` files are kept too: they hold
 * placeholders, so they are judged for syntax and names, never for their values.
 */
import type { Location } from "../../model/result.ts";
import { locationIn } from "./text-edit.ts";

export interface EnvEntry {
  key: string;
  value: string;
  location: Location;
  /** Offset in the file's text where the value starts (after an opening quote). */
  valueOffset: number;
  /** The value as written in the file: quotes make a value one piece, escapes differ. */
  quote: "'" | '"' | undefined;
  /** A SOPS ciphertext (`ENC[AES256_GCM,...]`): the real value is not in the file. */
  encrypted: boolean;
}

export interface EnvProblem {
  /** `syntax`: Compose reads something else than meant (or refuses the file); `duplicate`: a key set twice. */
  kind: "syntax" | "duplicate";
  message: string;
  location: Location;
}

export interface EnvFile {
  path: string;
  text: string;
  entries: EnvEntry[];
  problems: EnvProblem[];
  /** True for `*.example` / `*.template` files: placeholders, not live settings. */
  example: boolean;
  /** Encrypted with SOPS: values are ciphertext. */
  sops: boolean;
}

const LINE = /^(\s*)(export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=(.*)$/;
const SOPS_VALUE = /^ENC\[[A-Z0-9_]+,/;

function isExampleEnvPath(path: string): boolean {
  return /\.(example|template|sample|dist)$/.test(path) || /(^|\/)env\.template$/.test(path);
}

export function parseEnvFile(path: string, text: string): EnvFile {
  const entries: EnvEntry[] = [];
  const problems: EnvProblem[] = [];
  const lines = text.split("\n");
  const lineStarts: number[] = [];
  lines.reduce((offset, line) => (lineStarts.push(offset), offset + line.length + 1), 0);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, "");
    if (/^\s*(#|$)/.test(line)) continue;
    const match = LINE.exec(line);
    if (!match) {
      problems.push({ kind: "syntax", message: `not a KEY=VALUE line: ${line.trim().slice(0, 60)}`, location: { file: path, line: i + 1, column: 1 } });
      continue;
    }
    const [, indent = "", , key = "", rawValue = ""] = match;
    const location = { file: path, line: i + 1, column: indent.length + 1 };
    const valueColumn = line.length - rawValue.trimStart().length;
    const raw = rawValue.trim();
    const quote = raw[0] === "'" || raw[0] === '"' ? raw[0] : undefined;
    const valueOffset = lineStarts[i]! + valueColumn + (quote ? 1 : 0);
    let value: string;
    if (quote) {
      // A quoted value may span lines until the matching quote.
      let body = raw.slice(1);
      let end = findClosingQuote(body, quote);
      let j = i;
      while (end < 0 && j + 1 < lines.length) {
        j++;
        body += `\n${lines[j]!.replace(/\r$/, "")}`;
        end = findClosingQuote(body, quote);
      }
      const kind = quote === "'" ? "single" : "double";
      if (end < 0) {
        // Compose refuses the whole file; what follows cannot be read as entries either.
        problems.push({ kind: "syntax", message: `${key}: the ${kind} quote opened here is never closed`, location });
        entries.push({ key, value: raw.slice(1), location, valueOffset, quote, encrypted: false });
        break;
      }
      const swallowed = lines.slice(i + 1, j + 1).filter((l) => /^\s*#/.test(l));
      if (swallowed.length > 0) {
        problems.push({
          kind: "syntax",
          message: `${key}: the ${kind} quote opened here closes only on line ${j + 1}, so the value swallows ${swallowed.length} comment line(s) in between`,
          location,
        });
      }
      const after = body.slice(end + 1).split("\n")[0]!.trim();
      if (after !== "" && !after.startsWith("#") && swallowed.length === 0) {
        problems.push({ kind: "syntax", message: `${key}: text after the closing quote on line ${j + 1} (${after.slice(0, 40)})`, location: { file: path, line: j + 1, column: 1 } });
      }
      value = body.slice(0, end);
      if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\(["\\])/g, "$1");
      i = j;
    } else {
      value = raw.replace(/\s+#.*$/, "");
    }
    entries.push({ key, value, location, valueOffset, quote, encrypted: SOPS_VALUE.test(value) });
  }
  const seen = new Map<string, EnvEntry>();
  for (const entry of entries) {
    const first = seen.get(entry.key);
    if (first) problems.push({ kind: "duplicate", message: `${entry.key} is set again (first on line ${first.location.line}); Compose keeps the last value`, location: entry.location });
    else seen.set(entry.key, entry);
  }
  return { path, text, entries, problems, example: isExampleEnvPath(path), sops: entries.some((e) => e.key === "sops_version" || e.encrypted) };
}

function findClosingQuote(body: string, quote: string): number {
  for (let k = 0; k < body.length; k++) {
    if (body[k] === "\\" && quote === '"') {
      k++;
      continue;
    }
    if (body[k] === quote) return k;
  }
  return -1;
}

export function envEntry(file: EnvFile, key: string): EnvEntry | undefined {
  // Compose: the last definition wins.
  for (let i = file.entries.length - 1; i >= 0; i--) if (file.entries[i]!.key === key) return file.entries[i];
  return undefined;
}

export function envValue(file: EnvFile, key: string): string | undefined {
  return envEntry(file, key)?.value;
}

/** Where a character of an entry's value is in the file (for a flag inside `AUTH='--a --b'`); exact for values without escapes. */
export function envValueLocation(file: EnvFile, entry: EnvEntry, indexInValue = 0): Location {
  return locationIn(file.path, file.text, entry.valueOffset + indexInValue);
}
