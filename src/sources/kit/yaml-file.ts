/**
 * YAML with positions. Every kit YAML file is parsed once, keeping the yaml library's Documents
 * (comments, node ranges) so findings can point at file:line:column and fixes can edit in place.
 */
import YAML, { isMap, isScalar, isSeq, LineCounter, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import type { Location } from "../../model/result.ts";

export interface YamlFile {
  /** Path relative to the kit directory, with forward slashes. */
  path: string;
  text: string;
  docs: Document.Parsed[];
  lineCounter: LineCounter;
}

export function parseYamlFile(path: string, text: string): YamlFile {
  const lineCounter = new LineCounter();
  const docs = YAML.parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false }) as Document.Parsed[] | YAML.EmptyStream;
  return { path, text, docs: Array.isArray(docs) ? docs : [], lineCounter };
}

/** The first syntax error of the file, if any. */
export function yamlSyntaxError(file: YamlFile): { message: string; location: Location } | undefined {
  for (const doc of file.docs) {
    const error = doc.errors[0];
    if (error) {
      return { message: error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, ""), location: locationAt(file, error.pos[0]) };
    }
  }
  return undefined;
}

export function locationAt(file: YamlFile, offset: number): Location {
  const { line, col } = file.lineCounter.linePos(offset);
  return { file: file.path, line, column: col };
}

/** Where a node starts; for a pair, where its key starts. */
export function locationOf(file: YamlFile, node: Node | Pair | null | undefined, fallbackDoc?: Document): Location {
  const target = node && "key" in node ? (node.key as Node | null) : node;
  const offset = target?.range?.[0] ?? fallbackDoc?.contents?.range?.[0] ?? 0;
  return locationAt(file, offset);
}

/** The pair for `key` in a mapping, or undefined. */
export function pairOf(map: unknown, key: string): Pair<Node, Node | null> | undefined {
  if (!isMap(map)) return undefined;
  return (map as YAMLMap<Node, Node | null>).items.find((item) => isScalar(item.key) && item.key.value === key);
}

/** Follow a path of keys/indices through the node tree. */
export function nodeAt(root: unknown, path: ReadonlyArray<string | number>): Node | undefined {
  let current: unknown = root;
  for (const step of path) {
    if (typeof step === "number") {
      if (!isSeq(current)) return undefined;
      current = current.items[step];
    } else {
      const pair = pairOf(current, step);
      if (!pair) return undefined;
      current = pair.value;
    }
  }
  return (current ?? undefined) as Node | undefined;
}

/** The key node of the last step of a path (where a setting is written), else the node at the path. */
export function keyNodeAt(root: unknown, path: ReadonlyArray<string | number>): Node | undefined {
  const last = path[path.length - 1];
  if (typeof last !== "string") return nodeAt(root, path);
  return (pairOf(nodeAt(root, path.slice(0, -1)), last)?.key ?? undefined) as Node | undefined;
}

const values = new WeakMap<Document.Parsed, unknown>();

/** The plain JS value of a document, or undefined if it does not parse cleanly. Computed once per document: treat it as read-only. */
export function docValue(doc: Document.Parsed): unknown {
  if (values.has(doc)) return values.get(doc);
  let value: unknown;
  if (doc.errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch {
      value = undefined;
    }
  }
  values.set(doc, value);
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
