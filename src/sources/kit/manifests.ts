/**
 * Kubernetes manifests in the kit (a GitOps tree): every document with apiVersion, kind and a
 * name, found again by kind, namespace and name so a live object can be traced to its file, and
 * edited in place with the yaml Document API (comments and the file's other documents untouched).
 */
import { isMap, type Document } from "yaml";
import type { z } from "zod";
import type { FixStep, Location } from "../../model/result.ts";
import { editStep } from "./text-edit.ts";
import { filesOfKind, type Kit, type KitYamlFile } from "./kit.ts";
import { docValue, isRecord, locationOf, nodeAt, pairOf } from "./yaml-file.ts";

export interface ManifestDoc {
  file: KitYamlFile;
  doc: Document.Parsed;
  /** 0-based position of the document in its file. */
  index: number;
  apiVersion: string;
  kind: string;
  name: string;
  /** As written; absent when the namespace comes from kustomize or `kubectl -n`. */
  namespace?: string;
  value: Record<string, unknown>;
}

/** Every object of the kit's manifest files (documents without a name are not objects). */
export function manifestDocs(kit: Kit): ManifestDoc[] {
  return filesOfKind(kit, "manifest").flatMap((file) =>
    file.docs.flatMap((doc, index) => {
      const value = docValue(doc);
      if (!isRecord(value) || typeof value.apiVersion !== "string" || typeof value.kind !== "string") return [];
      const metadata = isRecord(value.metadata) ? value.metadata : {};
      if (typeof metadata.name !== "string") return [];
      const found: ManifestDoc = { file, doc, index, apiVersion: value.apiVersion, kind: value.kind, name: metadata.name, value };
      if (typeof metadata.namespace === "string") found.namespace = metadata.namespace;
      return [found];
    }),
  );
}

/** The manifests of one kind that read as that kind's object (malformed ones are left to other checks). */
export function manifestObjects<S extends z.ZodType>(docs: readonly ManifestDoc[], kind: string, schema: S): Array<{ manifest: ManifestDoc; object: z.infer<S> }> {
  return docs
    .filter((m) => m.kind === kind)
    .flatMap((manifest) => {
      const parsed = schema.safeParse(manifest.value);
      return parsed.success ? [{ manifest, object: parsed.data }] : [];
    });
}

/** The manifest an object came from: same kind and name, and the same namespace unless the file leaves it out. */
export function findManifest(docs: readonly ManifestDoc[], kind: string, name: string, namespace: string | undefined): ManifestDoc | undefined {
  return docs.find((m) => m.kind === kind && m.name === name && (m.namespace === undefined || namespace === undefined || m.namespace === namespace));
}

/** Where a field of a manifest is written (its key); when it is absent, its nearest written parent. */
export function manifestLocation(m: ManifestDoc, path: ReadonlyArray<string>): Location {
  for (let length = path.length; length > 0; length--) {
    const pair = pairOf(nodeAt(m.doc.contents, path.slice(0, length - 1)), path[length - 1]!);
    if (pair) return locationOf(m.file, pair);
  }
  return locationOf(m.file, undefined, m.doc);
}

/** Set `key` in the mapping at `path`; a new key goes before `before` (where people expect it) when that key is there. */
export function setField(doc: Document, path: readonly string[], key: string, value: unknown, before?: string): void {
  const map = doc.getIn(path);
  const next = before === undefined ? undefined : pairOf(map, before);
  if (!isMap(map) || map.has(key) || !next) doc.setIn([...path, key], value);
  else map.items.splice(map.items.indexOf(next), 0, doc.createPair(key, value));
}

/** How the document is laid out, so the edited one is printed the same way. */
function layoutOf(text: string): { indent: number; indentSeq: boolean; flowCollectionPadding: boolean } {
  const lines = text.split("\n");
  const nested = lines.find((line, i) => i > 0 && /^ +\S/.test(line) && /:\s*$/.test(lines[i - 1]!) && !/^\s/.test(lines[i - 1]!));
  const indent = nested ? /^ +/.exec(nested)![0].length : 2;
  const sequenceAfterKey = lines.findIndex((line, i) => i > 0 && /^\s*- /.test(line) && /:\s*$/.test(lines[i - 1]!));
  const indentSeq = sequenceAfterKey < 0 || /^ */.exec(lines[sequenceAfterKey]!)![0].length > /^ */.exec(lines[sequenceAfterKey - 1]!)![0].length;
  return { indent: indent === 4 ? 4 : 2, indentSeq, flowCollectionPadding: !/[{[][^\s}\]]/.test(text) || /[{[] /.test(text) };
}

/** The edit step changing one document of a manifest file by `change`; the text around that document is kept as it is. */
export function editManifest(m: ManifestDoc, description: string, change: (doc: Document) => void): FixStep | undefined {
  const { text } = m.file;
  const [start, , end] = m.doc.range;
  const edited = m.doc.clone();
  change(edited);
  const printed = edited.toString({ lineWidth: 0, ...layoutOf(text.slice(start, end)) });
  // The first document prints the comments that precede it itself; later ones start at their `---`.
  const before = m.index === 0 ? "" : text.slice(0, start);
  return editStep(m.file, description, before + printed + text.slice(end));
}
