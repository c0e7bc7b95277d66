/**
 * JSON as omnictl and talosctl print it: built through a YAML round trip into a generic map, so
 * keys are sorted at every level; Go's encoder with 4-space indent, HTML-escaping <, > and &,
 * one value per Encode call, each followed by a newline (a stream, not an array).
 */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function goJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 4).replace(/[<>&]/g, (ch) => `\\u00${ch.charCodeAt(0).toString(16)}`)}\n`;
}

export function goJsonStream(values: unknown[]): string {
  return values.map(goJson).join("");
}

/** A label/annotation value after YAML → map → JSON: "" → null, "true" → true, "8" → 8. */
export function yamlTyped(value: string): unknown {
  if (value === "") return null;
  if (value === "true" || value === "false") return value === "true";
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

export function typedMap(map: Record<string, string> | undefined): Record<string, unknown> | undefined {
  if (!map || Object.keys(map).length === 0) return undefined;
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, yamlTyped(v)]));
}
