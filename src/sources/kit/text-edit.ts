/**
 * Minimal edits to kit files, at the level of text: replace exactly the characters that are wrong
 * and nothing else, so comments, blank lines and the author's formatting survive byte for byte,
 * and turn the result into a fix step. yaml-edit.ts computes such edits from YAML syntax trees;
 * values inside strings the YAML library would re-wrap (a `providerdata: |` block, a folded
 * `command: >`) and env files, which have no syntax tree, are edited here directly.
 */
import type { FixStep, Location } from "../../model/result.ts";

/** The offset of a 1-based line and column in a text. */
export function offsetAt(text: string, location: Pick<Location, "line" | "column">): number {
  let offset = 0;
  for (let line = 1; line < location.line; line++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset + location.column - 1;
}

export function locationIn(file: string, text: string, offset: number): Location {
  const before = text.slice(0, offset);
  return { file, line: before.split("\n").length, column: offset - before.lastIndexOf("\n") };
}

/** Where `written` stands verbatim at a location, or undefined when the text there differs (quoted, wrapped). */
export function verbatimAt(text: string, location: Pick<Location, "line" | "column">, written: string): number | undefined {
  const offset = offsetAt(text, location);
  return text.startsWith(written, offset) ? offset : undefined;
}

/** Replace file.text[from, to) with text. */
export interface TextEdit {
  from: number;
  to: number;
  text: string;
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.from - a.from || b.to - a.to);
  let out = text;
  let limit = Infinity;
  for (const edit of sorted) {
    if (edit.to > limit) continue; // overlaps an edit already applied (a parent's removal covers its children)
    out = out.slice(0, edit.from) + edit.text + out.slice(edit.to);
    limit = edit.from;
  }
  return out;
}

export function splice(text: string, offset: number, length: number, replacement: string): string {
  return text.slice(0, offset) + replacement + text.slice(offset + length);
}

/**
 * Add `key: value` as the first entry of a block mapping whose first key is written at `first`
 * (same indentation as its siblings), leaving every other byte alone.
 */
export function insertFirstKey(text: string, first: Pick<Location, "line" | "column">, entry: string): string {
  const lineStart = offsetAt(text, { line: first.line, column: 1 });
  const indent = " ".repeat(first.column - 1);
  const atKey = offsetAt(text, first);
  // `- key: v` (a mapping inside a list item) keeps its dash on the first line.
  if (text.slice(lineStart, atKey).trim() !== "") return splice(text, atKey, 0, `${entry}\n${indent}`);
  return splice(text, lineStart, 0, `${indent}${entry}\n`);
}

/**
 * The edit step that turns a kit file into `after` (its new text, or edits to apply to it), or
 * undefined when no exact edit could be made or it would change nothing: callers then fall back to
 * a manual step.
 */
export function editStep(file: { path: string; text: string }, description: string, change: string | readonly TextEdit[] | undefined): FixStep | undefined {
  const after = typeof change === "string" || change === undefined ? change : applyTextEdits(file.text, change);
  if (after === undefined || after === file.text) return undefined;
  return { kind: "edit", description, file: file.path, destructive: false, edit: { file: file.path, before: file.text, after } };
}
