/**
 * Cluster templates read the way Omni reads them, once per run, for every template check: the
 * documents by kind, the machine sets with their sizes, and every config patch at every level
 * (inline mappings, lists of documents, `inline: |` strings, `file:` references) parsed into
 * documents whose paths map back to file positions, plus the Talos patch files of the kit.
 *
 * `file:` references are resolved both ways Omni has done it: against the template's folder
 * (v1.8+) and against the working directory (older releases; we take the kit root). Files the
 * kit did not read are looked up through the `readFile` callback (the fact reads the disk; tests
 * leave it out).
 */
import { posix } from "node:path";
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap } from "yaml";
import type { Location } from "../../model/result.ts";
import type { Kit, KitYamlFile } from "./kit.ts";
import { docValue, isRecord, locationAt, locationOf, nodeAt, pairOf, parseYamlFile, yamlSyntaxError, type YamlFile } from "./yaml-file.ts";
import { templateDocs, templateFiles, type TemplateDoc } from "./templates.ts";
import { embeddedYaml } from "./embedded-yaml.ts";
import { goYamlMarshal } from "./go-yaml.ts";
import { documentTree, type EditableTree } from "./yaml-edit.ts";

export type NodePath = Array<string | number>;

/** One Talos config document of a patch. */
export interface ConfigPatchDoc {
  node: Node;
  /** Its plain value; undefined when it does not parse cleanly. */
  value: unknown;
  /** The line Talos names for it (`(line N)`), counted in the bytes Omni hands to Talos. */
  talosLine: number;
  /** Where a path inside the document is (a key's own position for the last key). */
  locate(path: NodePath): Location;
  /** The document as editable text; undefined inside a quoted string, whose escapes we do not rewrite. */
  tree: EditableTree | undefined;
}

/** What a patch holds: its documents, or the YAML error that stops Talos from reading them. */
export interface PatchContent {
  form: "mapping" | "list" | "text" | "file";
  /** Where it starts: the `inline:` value, or the patch file's first line. */
  location: Location;
  docs: ConfigPatchDoc[];
  syntaxError?: { message: string; location: Location };
  /** The text has no document at all (Talos: config not found). */
  empty: boolean;
}

export interface ResolvedFile {
  /** The path as kit paths are shown (relative to the working directory). */
  path: string;
  state: "file" | "directory" | "missing";
  /** The file's text when the kit walk did not parse it (parsed only if a patch names it). */
  text?: string;
  /** The file, parsed (`file` state; for a file read from disk, once a patch names it). */
  yaml?: YamlFile;
  /** Its config documents, when a patch names it. */
  content?: PatchContent;
}

export interface FileRef {
  /** The path as written in the template. */
  ref: string;
  location: Location;
  /** Joined to the template's folder (Omni v1.8+). */
  fromTemplate: ResolvedFile;
  /** Relative to the kit root (older Omni opened it from the working directory). */
  fromKitRoot: ResolvedFile;
  /** The path relative to the template's folder, as Go's filepath.Rel computes it for os.Root. */
  rootRelative: string;
}

export type PatchLevel = "cluster" | "controlplane" | "workers" | "machine";

export interface TemplatePatch {
  owner: TemplateDocument;
  level: PatchLevel;
  index: number;
  /** The patch entry (`- name: ... inline: ...`). */
  entry: YAMLMap;
  /** Where the entry is, and its path in the owner document. */
  location: Location;
  path: NodePath;
  name: string;
  idOverride: string;
  /** Omni's display name: `name`, else `file`. */
  displayName: string;
  inline?: PatchContent;
  file?: FileRef;
}

export interface TemplateDocument extends TemplateDoc {
  locate(path: NodePath): Location;
  tree: EditableTree;
}

export interface MachineSetSize {
  /** A count, `unlimited`, or `invalid` (Omni refuses the text). */
  kind: "count" | "unlimited" | "invalid";
  count: number;
  text: string;
  location: Location;
}

export interface MachineSet {
  doc: TemplateDocument;
  role: "controlplane" | "workers";
  /** As written (Omni's default Workers set has none). */
  name: string;
  machineClass?: { name: string; location: Location; size: MachineSetSize };
  machines: string[];
  patches: TemplatePatch[];
}

export interface ClusterTemplate {
  file: KitYamlFile;
  /** The template's folder, shown like kit paths. */
  dir: string;
  documents: TemplateDocument[];
  cluster?: TemplateDocument;
  machineSets: MachineSet[];
  /** `kind: Machine` documents by machine ID. */
  machines: Map<string, TemplateDocument>;
  /** Every patch of every document, in document order. */
  patches: TemplatePatch[];
  /** Every `file:` of patches, manifests and health checks, by the text written. */
  fileRefs: Map<string, FileRef>;
  talosVersion?: { text: string; location: Location };
  kubernetesVersion?: { text: string; location: Location };
}

/** A Talos patch file: referenced by templates, or found in the kit on its own. */
export interface PatchFile {
  path: string;
  yaml: YamlFile;
  content: PatchContent;
  /** The template patches that name it (either way of resolving). */
  references: TemplatePatch[];
}

export interface ClusterTemplates {
  templates: ClusterTemplate[];
  patchFiles: PatchFile[];
}

export interface BuildOptions {
  /** The absolute directory kit paths are relative to (the working directory: kit paths are shown as typed from there). */
  cwd?: string;
  /** Reads a file the kit did not (another extension, a skipped folder, outside the kit). */
  readFile?: (absolutePath: string) => { state: "file"; text: string } | { state: "directory" | "missing" };
}

const LEVEL: Record<string, PatchLevel> = { Cluster: "cluster", ControlPlane: "controlplane", Workers: "workers", Machine: "machine" };

export function buildClusterTemplates(kit: Kit, options: BuildOptions = {}): ClusterTemplates {
  const cwd = options.cwd ?? "/cwd";
  const kitFiles = new Map(kit.yaml.map((f) => [f.path, f]));
  const readCache = new Map<string, ResolvedFile>();
  const patchFiles = new Map<string, PatchFile>();
  const absolute = (path: string) => posix.resolve(cwd, path);
  const shown = (absolutePath: string) => posix.relative(cwd, absolutePath) || ".";

  const read = (absolutePath: string): ResolvedFile => {
    const path = shown(absolutePath);
    let resolved = readCache.get(path);
    if (resolved) return resolved;
    const inKit = kitFiles.get(path);
    if (inKit) resolved = { path, state: "file", yaml: inKit };
    else {
      const answer = options.readFile?.(absolutePath) ?? { state: "missing" as const };
      resolved = answer.state === "file" ? { path, state: "file", text: answer.text } : { path, state: answer.state };
    }
    readCache.set(path, resolved);
    return resolved;
  };

  const resolveRef = (dir: string, ref: string, location: Location): FileRef => {
    const templateDir = absolute(dir);
    const target = posix.resolve(templateDir, ref);
    return {
      ref,
      location,
      fromTemplate: read(target),
      fromKitRoot: read(posix.resolve(absolute(kit.dir), ref)),
      rootRelative: posix.relative(templateDir, target) || ".",
    };
  };

  const patchFileFor = (resolved: ResolvedFile): PatchFile | undefined => {
    if (resolved.state !== "file") return undefined;
    const yaml = (resolved.yaml ??= parseYamlFile(resolved.path, resolved.text ?? ""));
    let patchFile = patchFiles.get(resolved.path);
    if (!patchFile) {
      patchFile = { path: resolved.path, yaml, content: fileContent(yaml), references: [] };
      patchFiles.set(resolved.path, patchFile);
    }
    resolved.content = patchFile.content;
    return patchFile;
  };

  const templates = templateFiles(kit).map((file) => {
    const dir = posix.dirname(file.path);
    const documents: TemplateDocument[] = templateDocs(file).map((td) => ({
      ...td,
      locate: (path) => locateIn(file, td.doc.contents, path, td.doc),
      tree: documentTree(file, td.index),
    }));
    const template: ClusterTemplate = { file, dir, documents, machineSets: [], machines: new Map(), patches: [], fileRefs: new Map() };
    const refFor = (value: unknown, location: Location) => {
      if (typeof value !== "string" || value === "") return undefined;
      let ref = template.fileRefs.get(value);
      if (!ref) {
        ref = resolveRef(dir, value, location);
        template.fileRefs.set(value, ref);
      }
      return ref;
    };
    for (const document of documents) {
      const level = document.kind === undefined ? undefined : LEVEL[document.kind];
      if (!level || !isMap(document.doc.contents)) continue;
      const value = document.value ?? {};
      if (level === "cluster" && !template.cluster) {
        template.cluster = document;
        template.talosVersion = versionAt(document, ["talos", "version"]);
        template.kubernetesVersion = versionAt(document, ["kubernetes", "version"]);
        for (const list of ["manifests", "healthchecks"]) {
          const items = nodeAt(document.doc.contents, ["kubernetes", list]);
          if (!isSeq(items)) continue;
          items.items.forEach((item, i) => {
            const fileNode = nodeAt(item, ["file"]);
            if (isScalar(fileNode)) refFor(fileNode.value, document.locate(["kubernetes", list, i, "file"]));
          });
        }
      }
      const patches = parsePatches(document, level, (patch, fileValue) => {
        const ref = refFor(fileValue, document.locate([...patch.path, "file"]));
        if (!ref) return;
        patch.file = ref;
        for (const resolved of [ref.fromTemplate, ref.fromKitRoot]) {
          const patchFile = patchFileFor(resolved);
          if (patchFile && !patchFile.references.includes(patch)) patchFile.references.push(patch);
        }
      });
      template.patches.push(...patches);
      if (level === "controlplane" || level === "workers") {
        template.machineSets.push({
          doc: document,
          role: level,
          name: typeof value.name === "string" ? value.name : "",
          ...machineClassOf(document),
          machines: Array.isArray(value.machines) ? value.machines.map(String) : [],
          patches,
        });
      } else if (level === "machine" && typeof value.name === "string") {
        template.machines.set(value.name, document);
      }
    }
    return template;
  });

  for (const file of kit.yaml) {
    if (file.kind === "talos-patch") patchFileFor({ path: file.path, state: "file", yaml: file });
  }
  return { templates, patchFiles: [...patchFiles.values()].sort((a, b) => a.path.localeCompare(b.path)) };
}

function versionAt(document: TemplateDocument, path: NodePath): { text: string; location: Location } | undefined {
  const node = nodeAt(document.doc.contents, path);
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return { text: String(node.value), location: document.locate(path) };
}

/** Omni's Size: a count, `unlimited` (also `Unlimited`, `infinity`, `∞`), `Static` (0); omitted means 0. */
function parseMachineSetSize(text: string): { kind: MachineSetSize["kind"]; count: number } {
  if (["unlimited", "Unlimited", "infinity", "∞"].includes(text)) return { kind: "unlimited", count: 0 };
  if (text === "Static") return { kind: "count", count: 0 };
  return /^[0-9]+$/.test(text) && Number(text) <= 0xffffffff ? { kind: "count", count: Number(text) } : { kind: "invalid", count: 0 };
}

function machineClassOf(document: TemplateDocument): Pick<MachineSet, "machineClass"> {
  const classNode = nodeAt(document.doc.contents, ["machineClass"]);
  if (!isMap(classNode)) return {};
  const name = nodeAt(classNode, ["name"]);
  const sizeNode = nodeAt(classNode, ["size"]);
  const sizeText = isScalar(sizeNode) && sizeNode.value !== null ? String(sizeNode.value) : "0";
  return {
    machineClass: {
      name: isScalar(name) && name.value !== null ? String(name.value) : "",
      location: document.locate(["machineClass", "name"]),
      size: { ...parseMachineSetSize(sizeText), text: sizeText, location: document.locate(isScalar(sizeNode) ? ["machineClass", "size"] : ["machineClass"]) },
    },
  };
}

function parsePatches(document: TemplateDocument, level: PatchLevel, withFile: (patch: TemplatePatch, file: unknown) => void): TemplatePatch[] {
  const list = nodeAt(document.doc.contents, ["patches"]);
  if (!isSeq(list)) return [];
  const patches: TemplatePatch[] = [];
  list.items.forEach((item, index) => {
    if (!isMap(item)) return;
    const path: NodePath = ["patches", index];
    const text = (key: string) => {
      const node = nodeAt(item, [key]);
      return isScalar(node) && typeof node.value === "string" ? node.value : "";
    };
    const name = text("name");
    const file = text("file");
    const patch: TemplatePatch = {
      owner: document,
      level,
      index,
      entry: item,
      location: document.locate(path),
      path,
      name,
      idOverride: text("idOverride"),
      displayName: name || file,
    };
    const inline = pairOf(item, "inline");
    if (inline?.value) {
      const content = inlineContent(document, [...path, "inline"], inline.value);
      if (content) patch.inline = content;
    }
    withFile(patch, file);
    patches.push(patch);
  });
  return patches;
}

/** An `inline:` value: a mapping, a list of mappings, or (v1.8+) a string holding YAML. */
function inlineContent(document: TemplateDocument, path: NodePath, node: Node): PatchContent | undefined {
  const file = document.file;
  const tree = (root: Node): EditableTree => ({ file, root, toFileOffset: (offset) => offset });
  const location = document.locate(path);
  if (isMap(node)) {
    return { form: "mapping", location, empty: false, docs: [patchDoc(node, 1, (p) => document.locate([...path, ...p]), tree(node))] };
  }
  if (isSeq(node)) {
    // Omni re-encodes the list as a YAML stream; each document's first line is where Talos counts from.
    let line = 1;
    const docs = node.items.map((item, i) => {
      const doc = patchDoc(item as Node, line, (p) => document.locate([...path, i, ...p]), tree(item as Node));
      line += goYamlMarshal(doc.value ?? null).split("\n").length; // its lines plus the `---` separator
      return doc;
    });
    return { form: "list", location, empty: docs.length === 0, docs };
  }
  if (isScalar(node) && typeof node.value === "string") {
    const embedded = embeddedYaml(file, node as Scalar<string>, `${document.index}:${path.join(".")}`);
    const toFileOffset = embedded.toFileOffset;
    return streamContent("text", embedded.inner, location, (offset) => embedded.toFile(offset), (root) => (toFileOffset ? { file, root, toFileOffset } : undefined));
  }
  return undefined;
}

/** A patch file's content. */
function fileContent(yaml: YamlFile): PatchContent {
  return streamContent("file", yaml, locationAt(yaml, 0), (offset) => locationAt(yaml, offset), (root) => ({ file: yaml, root, toFileOffset: (offset) => offset }));
}

function streamContent(form: "text" | "file", yaml: YamlFile, location: Location, toFile: (offset: number) => Location, tree: (root: Node) => EditableTree | undefined): PatchContent {
  const syntax = yamlSyntaxError(yaml);
  const content: PatchContent = { form, location, docs: [], empty: yaml.docs.every((d) => d.contents === null || (isScalar(d.contents) && d.contents.value === null)) };
  if (syntax) {
    const offset = yaml.docs.flatMap((d) => d.errors)[0]?.pos[0] ?? 0;
    content.syntaxError = { message: syntax.message, location: toFile(offset) };
    return content;
  }
  for (const doc of yaml.docs) {
    const root = doc.contents;
    if (!root || (isScalar(root) && root.value === null)) continue;
    const line = yaml.lineCounter.linePos(root.range?.[0] ?? 0).line;
    content.docs.push(patchDoc(root, line, (p) => toFile(offsetIn(root, p, doc)), tree(root), doc));
  }
  return content;
}

function patchDoc(node: Node, talosLine: number, locate: (path: NodePath) => Location, tree: EditableTree | undefined, doc?: Document.Parsed): ConfigPatchDoc {
  let value: unknown;
  try {
    value = doc ? docValue(doc) : node.toJSON();
  } catch {
    value = undefined;
  }
  return { node, value, talosLine, locate, tree };
}

/** The offset of a path's key (or item) inside a node tree. */
function offsetIn(root: Node, path: NodePath, doc?: Document): number {
  const target = targetAt(root, path);
  return (target && "key" in target ? (target.key as Node | null)?.range?.[0] : (target as Node | undefined)?.range?.[0]) ?? doc?.contents?.range?.[0] ?? 0;
}

/** The pair (for a key) or node (for an index) a path ends at; the nearest existing ancestor otherwise. */
function targetAt(root: unknown, path: NodePath): Node | Pair | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const last = path[depth - 1]!;
    const parent = nodeAt(root, path.slice(0, depth - 1));
    if (typeof last === "string") {
      const pair = pairOf(parent, last);
      if (pair) return pair;
    } else if (isSeq(parent) && parent.items[last]) {
      return parent.items[last] as Node;
    }
  }
  return root as Node | undefined;
}

function locateIn(file: YamlFile, root: unknown, path: NodePath, doc: Document): Location {
  return locationOf(file, targetAt(root, path), doc);
}

/** Patches that reach a machine set's machines: the cluster's, the set's own, and its machines' own. */
export function patchesOfSet(template: ClusterTemplate, set: MachineSet): TemplatePatch[] {
  const machinePatches = set.machines.flatMap((id) => template.patches.filter((p) => p.level === "machine" && p.owner === template.machines.get(id)));
  return [...template.patches.filter((p) => p.level === "cluster"), ...set.patches, ...machinePatches];
}

/**
 * The file a `file:` reference reads: joined to the template's folder (Omni v1.8+), or, for older
 * releases that opened it from the working directory, whichever of the template's folder and the
 * kit root has it.
 */
export function resolvedFile(ref: FileRef, followTemplate: boolean): ResolvedFile {
  if (followTemplate || ref.fromTemplate.state === "file") return ref.fromTemplate;
  return ref.fromKitRoot;
}

/** A patch with the documents it holds: inline, or the file it names. */
export interface AppliedPatch {
  patch: TemplatePatch;
  content: PatchContent;
}

/**
 * Every patch with its documents. A `file:` patch reads the file next to the template, else the
 * one from the kit root: checks about what patches say look at the file meant, while
 * template/patch-files reports a path the release would not follow.
 */
export function appliedPatches(template: ClusterTemplate): AppliedPatch[] {
  return template.patches.flatMap((patch) => {
    const content = patch.inline ?? (patch.file ? resolvedFile(patch.file, false).content : undefined);
    return content ? [{ patch, content }] : [];
  });
}

/** The machine sets a patch reaches: all of them for a cluster patch, the sets listing the machine for a Machine patch. */
export function setsReachedBy(template: ClusterTemplate, patch: TemplatePatch): MachineSet[] {
  if (patch.level === "cluster") return template.machineSets;
  if (patch.level === "machine") {
    const id = typeof patch.owner.value?.name === "string" ? patch.owner.value.name : "";
    return template.machineSets.filter((set) => set.machines.includes(id));
  }
  return template.machineSets.filter((set) => set.doc === patch.owner);
}

/** The template's Talos minor (`1.12`), when its version parses. */
export function talosMinorOf(template: ClusterTemplate): string | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(template.talosVersion?.text.trim() ?? "");
  return match ? `${Number(match[1])}.${Number(match[2])}` : undefined;
}

/** The legacy v1alpha1 document of a patch (`machine:`/`cluster:`, no `kind`). */
export function isLegacyConfig(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && value.kind === undefined;
}

/** A config document and the template patches that apply it (none for a patch file no template names). */
export interface PatchDocUse {
  doc: ConfigPatchDoc;
  content: PatchContent;
  uses: Array<{ template: ClusterTemplate; patch: TemplatePatch }>;
}

/** Every config document of the kit once, with its uses: a patch file named by several templates is one place to fix. */
export function patchDocuments(kit: ClusterTemplates): PatchDocUse[] {
  const byDoc = new Map<ConfigPatchDoc, PatchDocUse>();
  for (const template of kit.templates) {
    for (const { patch, content } of appliedPatches(template)) {
      for (const doc of content.docs) {
        const entry = byDoc.get(doc) ?? { doc, content, uses: [] };
        entry.uses.push({ template, patch });
        byDoc.set(doc, entry);
      }
    }
  }
  for (const patchFile of kit.patchFiles) {
    for (const doc of patchFile.content.docs) if (!byDoc.has(doc)) byDoc.set(doc, { doc, content: patchFile.content, uses: [] });
  }
  return [...byDoc.values()];
}

/** How many machines a set gets: its class size, `unlimited`, or the machines it lists. */
export function machineCount(set: MachineSet): number | "unlimited" {
  const size = set.machineClass?.size;
  if (size) return size.kind === "unlimited" ? "unlimited" : size.count;
  return set.machines.length;
}
