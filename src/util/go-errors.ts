/**
 * Go error values as Omni builds them, so their text comes out exactly as Go prints it:
 * plain errors, `fmt.Errorf("...: %w")` wrapping, hashicorp/go-multierror lists (with their
 * flattening on Append) and `errors.Join`. Each plain error may carry where in a kit file it
 * comes from, which Go never knew but our findings need.
 */
import type { Location } from "../model/result.ts";

export type GoError =
  | { kind: "plain"; text: string; at?: Location }
  | { kind: "wrapped"; prefix: string; inner: GoError }
  | { kind: "multi"; errors: GoError[] }
  | { kind: "joined"; errors: GoError[] };

export function goError(text: string, at?: Location): GoError {
  return at ? { kind: "plain", text, at } : { kind: "plain", text };
}

/** `fmt.Errorf(prefix + "%w", inner)`. */
export function wrapError(prefix: string, inner: GoError): GoError {
  return { kind: "wrapped", prefix, inner };
}

/**
 * `multierror.Append(base, errs...)`: a multierror among `errs` is flattened into the list; a
 * plain `base` becomes the list's first element. Undefined stands for a nil error.
 */
export function appendErrors(base: GoError | undefined, ...errs: Array<GoError | undefined>): GoError {
  const list: GoError[] = base === undefined ? [] : base.kind === "multi" ? [...base.errors] : [base];
  for (const e of errs) {
    if (e === undefined) continue;
    if (e.kind === "multi") list.push(...e.errors);
    else list.push(e);
  }
  return { kind: "multi", errors: list };
}

/** Omni's `joinErrors(err, errs...)`: Append of the non-nil ones only. */
export function joinNonNil(base: GoError | undefined, ...errs: Array<GoError | undefined>): GoError | undefined {
  return errs.some((e) => e !== undefined) ? appendErrors(base, ...errs) : base;
}

/** `errors.Join(errs...)`: nil when every one is nil. */
export function joinErrors(errs: Array<GoError | undefined>): GoError | undefined {
  const present = errs.filter((e): e is GoError => e !== undefined);
  return present.length === 0 ? undefined : { kind: "joined", errors: present };
}

/** The text Go's `err.Error()` returns. */
export function errorText(error: GoError): string {
  switch (error.kind) {
    case "plain":
      return error.text;
    case "wrapped":
      return error.prefix + errorText(error.inner);
    case "joined":
      return error.errors.map(errorText).join("\n");
    case "multi": {
      // go-multierror's ListFormatFunc.
      if (error.errors.length === 1) return `1 error occurred:\n\t* ${errorText(error.errors[0]!)}\n\n`;
      const points = error.errors.map((e) => `* ${errorText(e)}`);
      return `${error.errors.length} errors occurred:\n\t${points.join("\n\t")}\n\n`;
    }
  }
}

/** The plain errors inside, in order, each with the wrapping text that leads to it. */
export function plainErrors(error: GoError, context = ""): Array<{ text: string; context: string; at?: Location }> {
  switch (error.kind) {
    case "plain":
      return [error.at ? { text: error.text, context, at: error.at } : { text: error.text, context }];
    case "wrapped":
      return plainErrors(error.inner, context + error.prefix);
    case "multi":
    case "joined":
      return error.errors.flatMap((e) => plainErrors(e, context));
  }
}

/** Go's `%q` of a string (strconv.Quote): printable characters as they are, the rest escaped. */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (GO_ESCAPES[ch]) out += GO_ESCAPES[ch];
    else if (/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) out += ch;
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

const GO_ESCAPES: Record<string, string> = { "\u0007": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v" };

/** Go's `%q` of a []string: `["a" "b"]`. */
export function goQuoteList(values: readonly string[]): string {
  return `[${values.map(goQuote).join(" ")}]`;
}
