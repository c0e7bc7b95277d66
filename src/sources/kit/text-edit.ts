/**
 * Minimal edits to kit files: replace exactly the characters that are wrong and nothing else, so
 * comments, blank lines and the author's formatting survive byte for byte. Used where a value sits
 * inside a string the YAML library would re-wrap (a `providerdata: |` block, a folded
 * `command: >`) and for env files, which have no syntax tree.
 */
import { isScalar, type Node } from "yaml";
import type { FixStep, Location } from "../../model/result.ts";
import { locationOf, type YamlFile } from "./yaml-file.ts";

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
 * The file with a scalar (a key or a value) replaced, when it is written verbatim where the node
 * starts: plain, or in quotes without escapes (the quotes stay).
 */
export function replacePlainScalar(file: YamlFile, node: Node | null | undefined, replacement: string): string | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE";
  if (node.type !== "PLAIN" && !quoted) return undefined;
  const written = String(node.value);
  const offset = verbatimAt(file.text, locationOf(file, node), quoted ? `${file.text[node.range[0]]}${written}` : written);
  return offset === undefined ? undefined : splice(file.text, offset + (quoted ? 1 : 0), written.length, replacement);
}

/** An edit step for a kit file, or undefined when no exact edit could be made. */
export function editStep(file: { path: string; text: string }, description: string, after: string | undefined): FixStep | undefined {
  if (after === undefined || after === file.text) return undefined;
  return { kind: "edit", description, file: file.path, destructive: false, edit: { file: file.path, before: file.text, after } };
}
