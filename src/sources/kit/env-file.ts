/**
 * Env files the way Docker Compose reads them (`.env`, `omni.env`, `--env-file`): KEY=VALUE
 * lines, optional `export`, single/double quotes, `#` comments. Positions are kept per key.
 */
import type { Location } from "../../model/result.ts";

export interface EnvEntry {
  key: string;
  value: string;
  location: Location;
}

export interface EnvProblem {
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
}

const LINE = /^(\s*)(export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=(.*)$/;

export function parseEnvFile(path: string, text: string): EnvFile {
  const entries: EnvEntry[] = [];
  const problems: EnvProblem[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    const match = LINE.exec(line);
    if (!match) {
      problems.push({ message: `not a KEY=VALUE line: ${line.trim().slice(0, 60)}`, location: { file: path, line: i + 1, column: 1 } });
      continue;
    }
    const [, indent = "", , key = "", rawValue = ""] = match;
    const location = { file: path, line: i + 1, column: indent.length + 1 };
    const raw = rawValue.trim();
    const quote = raw[0];
    let value: string;
    if (quote === "'" || quote === '"') {
      // A quoted value may span lines until the matching quote.
      let body = raw.slice(1);
      let end = findClosingQuote(body, quote);
      let j = i;
      while (end < 0 && j + 1 < lines.length) {
        j++;
        body += `\n${lines[j]}`;
        end = findClosingQuote(body, quote);
      }
      if (end < 0) {
        // Compose refuses the whole file; what follows cannot be read as entries either.
        problems.push({ message: `${key}: the ${quote === "'" ? "single" : "double"} quote opened here is never closed`, location });
        entries.push({ key, value: raw.slice(1), location });
        break;
      } else {
        value = body.slice(0, end);
        if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\(["\\])/g, "$1");
        i = j;
      }
    } else {
      value = raw.replace(/\s+#.*$/, "");
    }
    entries.push({ key, value, location });
  }
  return { path, text, entries, problems, example: /\.(example|template|sample|dist)$/.test(path) || /(^|\/)env\.template$/.test(path) };
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

export function envValue(file: EnvFile, key: string): string | undefined {
  // Compose: the last definition wins.
  for (let i = file.entries.length - 1; i >= 0; i--) if (file.entries[i]!.key === key) return file.entries[i]!.value;
  return undefined;
}
