/**
 * Split a stream of concatenated JSON values (what `omnictl get -o json` and `talosctl get -o json`
 * print: pretty-printed objects one after another, not an array) into parsed values.
 */
export class JsonStreamError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = "JsonStreamError";
    this.offset = offset;
  }
}

export function parseJsonStream(text: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      if (depth === 0) throw new JsonStreamError("a top-level string is not a resource", i);
    } else if (ch === "{" || ch === "[") {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === "}" || ch === "]") {
      depth--;
      if (depth < 0) throw new JsonStreamError(`unbalanced '${ch}'`, i);
      if (depth === 0) {
        try {
          values.push(JSON.parse(text.slice(start, i + 1)));
        } catch (error) {
          throw new JsonStreamError((error as Error).message, start);
        }
      }
    } else if (depth === 0 && ch !== undefined && !/\s/.test(ch)) {
      throw new JsonStreamError(`unexpected '${ch}' between values`, i);
    }
  }
  if (depth !== 0 || inString) throw new JsonStreamError("truncated JSON", text.length);
  return values;
}
