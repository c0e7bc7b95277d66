/**
 * File fixes that leave everything they do not fix byte-identical. Edits are computed from the
 * node ranges of the parsed yaml Documents (keys, values, list items) and applied to the text:
 * remove a key with everything under it (and the parents it leaves empty), insert a key next to
 * another, replace a scalar. Comments, quoting, indentation and blank lines elsewhere survive.
 * YAML held in a block string (`inline: |`) is edited in place through its offset mapping.
 * Flow-style collections (`{a: 1}`) are printed again with the Document API instead.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from "yaml";
import type { NodePath } from "./cluster-templates.ts";
import { locationOf, nodeAt, pairOf, type YamlFile } from "./yaml-file.ts";
import { splice, verbatimAt, type TextEdit } from "./text-edit.ts";

/** A YAML tree in a kit file, and how its offsets map to the file's (they differ inside `inline: |`). */
export interface EditableTree {
  file: YamlFile;
  root: Node;
  toFileOffset(offset: number): number;
}

/** The indentation step a file uses for nested mappings (2 unless it shows another). */
export function indentOf(text: string): number {
  const nested = /^( *)[^\s#-][^\n]*:[ \t]*\n\1( +)[^\s#-]/m.exec(text);
  return nested ? nested[2]!.length : 2;
}

const lineStart = (text: string, offset: number) => text.lastIndexOf("\n", offset - 1) + 1;
const lineEnd = (text: string, offset: number) => {
  const end = text.indexOf("\n", offset);
  return end === -1 ? text.length : end + 1;
};

/** The offsets (in the file) where a pair's key line starts and its value's last line ends. */
function pairSpan(tree: EditableTree, pair: Pair): { from: number; to: number; keyColumn: number } {
  const key = pair.key as Node;
  const value = pair.value as Node | null;
  const keyStart = tree.toFileOffset(key.range![0]);
  const end = tree.toFileOffset(Math.max((value?.range?.[1] ?? key.range![1]) - 1, key.range![0]));
  const from = lineStart(tree.file.text, keyStart);
  return { from, to: lineEnd(tree.file.text, end), keyColumn: keyStart - from };
}

/** Whether a key sits alone on its line (not after `- ` or inside a flow mapping). */
function ownsLine(tree: EditableTree, pair: Pair): boolean {
  const keyStart = tree.toFileOffset((pair.key as Node).range![0]);
  return tree.file.text.slice(lineStart(tree.file.text, keyStart), keyStart).trim() === "";
}

export type RemovalResult = { edits: TextEdit[]; emptiedRoot: boolean } | { needsReprint: true };

/**
 * Remove the keys at `paths` (each ends with a key) and every parent mapping left empty by it,
 * up to `root`. `emptiedRoot` tells the caller the whole tree became empty (so it can remove the
 * patch entry holding it, instead of leaving `{}` behind).
 */
export function removeKeys(tree: EditableTree, paths: readonly NodePath[]): RemovalResult {
  const removed = new Set<Pair>();
  const mapsOf = new Map<Pair, YAMLMap>();
  for (const path of paths) {
    const parent = nodeAt(tree.root, path.slice(0, -1)) ?? (path.length === 1 ? tree.root : undefined);
    const pair = pairOf(parent, String(path[path.length - 1]));
    if (pair && isMap(parent)) {
      removed.add(pair);
      mapsOf.set(pair, parent);
    }
  }
  // Climb: a mapping whose every key goes is removed from its own parent in turn.
  let emptiedRoot = false;
  for (let changed = true; changed; ) {
    changed = false;
    for (const [, map] of [...mapsOf]) {
      if (!map.items.every((p) => removed.has(p))) continue;
      if (map === tree.root) {
        emptiedRoot = true;
        continue;
      }
      const holder = findHolder(tree.root, map);
      if (holder && !removed.has(holder.pair)) {
        removed.add(holder.pair);
        mapsOf.set(holder.pair, holder.map);
        changed = true;
      }
    }
  }
  const top = [...removed].filter((pair) => ![...removed].some((other) => other !== pair && contains(other.value, pair)));
  if (top.some((pair) => !ownsLine(tree, pair) || isFlow(mapsOf.get(pair)))) return { needsReprint: true };
  return { edits: emptiedRoot ? [] : top.map((pair) => ({ ...pairSpan(tree, pair), text: "" })), emptiedRoot };
}

const isFlow = (node: unknown) => (isMap(node) || isSeq(node)) && Boolean((node as YAMLMap).flow);

function contains(node: unknown, pair: Pair): boolean {
  if (isMap(node)) return node.items.some((p) => p === pair || contains(p.value, pair));
  if (isSeq(node)) return node.items.some((item) => contains(item, pair));
  return false;
}

function findHolder(root: unknown, target: YAMLMap): { map: YAMLMap; pair: Pair } | undefined {
  if (isMap(root)) {
    for (const pair of root.items) {
      if (pair.value === target) return { map: root, pair };
      const inner = findHolder(pair.value, target);
      if (inner) return inner;
    }
  } else if (isSeq(root)) {
    for (const item of root.items) {
      const inner = findHolder(item, target);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Remove a list item (`- ...` and everything under it). */
export function removeItem(tree: EditableTree, item: Node): TextEdit {
  const text = tree.file.text;
  const start = tree.toFileOffset(item.range![0]);
  const end = tree.toFileOffset(Math.max(item.range![1] - 1, item.range![0]));
  return { from: lineStart(text, start), to: lineEnd(text, end), text: "" };
}

/**
 * Insert `lines` (already written relative to the key column, e.g. `dhcp: false`) as new keys of
 * the block mapping at `mapPath`, right after the key `after` (or after its last key).
 */
export function insertKeys(tree: EditableTree, mapPath: NodePath, lines: readonly string[], after?: string): TextEdit | { needsReprint: true } {
  const map = mapPath.length === 0 ? tree.root : nodeAt(tree.root, mapPath);
  if (!isMap(map) || map.flow || map.items.length === 0) return { needsReprint: true };
  const anchor = (after ? pairOf(map, after) : undefined) ?? map.items[map.items.length - 1]!;
  const span = pairSpan(tree, anchor as Pair);
  const indent = " ".repeat(span.keyColumn);
  const at = span.to;
  const needsBreak = at > 0 && tree.file.text[at - 1] !== "\n";
  return { from: at, to: at, text: (needsBreak ? "\n" : "") + lines.map((l) => indent + l + "\n").join("") };
}

/** Insert text after a list item (a new item written at the item's own dash column). */
export function insertAfterItem(tree: EditableTree, item: Node, lines: readonly string[]): TextEdit {
  const text = tree.file.text;
  const start = tree.toFileOffset(item.range![0]);
  const dash = text.lastIndexOf("-", start);
  const column = dash - lineStart(text, dash);
  const at = lineEnd(text, tree.toFileOffset(Math.max(item.range![1] - 1, item.range![0])));
  return { from: at, to: at, text: lines.map((l) => " ".repeat(column) + l + "\n").join("") };
}

/** Replace a scalar (a key or a value) with new text. */
export function replaceScalar(tree: EditableTree, node: Node, replacement: string): TextEdit {
  if (!isScalar(node)) throw new Error("only scalars can be replaced");
  return { from: tree.toFileOffset(node.range![0]), to: tree.toFileOffset(node.range![1]), text: replacement };
}

/** The tree of a whole document of a kit file. */
export function documentTree(file: YamlFile, docIndex: number): EditableTree {
  return { file, root: file.docs[docIndex]!.contents as Node, toFileOffset: (offset) => offset };
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
