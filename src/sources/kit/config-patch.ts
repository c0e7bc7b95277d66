/**
 * Config patches checked the way Omni checks them (`omni.ValidateConfigPatch`): first Talos'
 * config loader with patch deletes allowed (documents by kind, strict keys, `$patch: delete`
 * stripped first), then Omni's own refusals (fields, whole documents, list elements), per release.
 * Talos stops at the first document it cannot decode; Omni lists all of its refusals. The key
 * check uses the Talos machine-config schemas (src/schema/talos-schemas.ts).
 *
 * A second view asks what the template's own Talos minor would refuse: keys or kinds it does
 * not know yet, and values outside an enum or pattern. Omni accepts those (it decodes with newer
 * machinery); the node refuses them when the config is applied.
 */
import type { Location } from "../../model/result.ts";
import type { SchemaPath, SchemaProblem } from "../../schema/json-schema.ts";
import type { TalosConfigSchema, TalosSchemas } from "../../schema/talos-schemas.ts";
import { appendErrors, goError, goQuote, type GoError } from "../../util/go-errors.ts";
import type { ConfigPatchDoc, PatchContent } from "./cluster-templates.ts";
import { goYamlMarshal } from "./go-yaml.ts";
import {
  checksEveryPatchDocument,
  FORBIDDEN_DOCUMENT_FIELDS,
  FORBIDDEN_ELEMENTS,
  FORBIDDEN_PATCH_DOCUMENTS,
  forbiddenPatchFields,
  omniTalosMachineryMinor,
} from "./omni-releases.ts";
import { goYamlConstructErrors } from "./templates.ts";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A decoded Talos document: what is left after `$patch: delete`, and how Talos identifies it. */
interface TalosDocument {
  doc: ConfigPatchDoc;
  value: Record<string, unknown>;
  apiVersion: string;
  /** `""` for the legacy v1alpha1 document. */
  kind: string;
  name: string;
}

type Loaded = { ok: true; documents: TalosDocument[] } | { ok: false; error: GoError };

const verdicts = new WeakMap<PatchContent, Map<string, GoError | undefined>>();

/** Omni's verdict on a patch: undefined when it accepts it, else the error it returns (located). A file many templates name is judged once. */
export function omniPatchError(content: PatchContent, omniVersion: string, schemas: TalosSchemas): GoError | undefined {
  let byVersion = verdicts.get(content);
  if (!byVersion) verdicts.set(content, (byVersion = new Map()));
  if (!byVersion.has(omniVersion)) {
    const loaded = talosLoad(content, schemas.forMinor(omniTalosMachineryMinor(omniVersion)), omniVersion);
    byVersion.set(omniVersion, loaded.ok ? omniRefusals(content, omniVersion) : loaded.error);
  }
  return byVersion.get(omniVersion);
}

/** What the template's Talos minor would refuse that Omni lets through. */
export function talosMinorProblems(content: PatchContent, schema: TalosConfigSchema): Array<{ message: string; location: Location }> {
  const problems: Array<{ message: string; location: Location }> = [];
  for (const doc of content.docs) {
    if (!isRecord(doc.value)) continue;
    const stripped = stripDeletes(doc.value);
    if (stripped.error || !stripped.value) continue;
    const { apiVersion, kind } = documentKind(stripped.value);
    const target = kind === "" ? schema.legacy : schema.documents.get(kind);
    if (!target) {
      if (apiVersion !== "") problems.push({ message: `Talos ${schema.minor} has no ${kind} document`, location: doc.locate(["kind"]) });
      continue;
    }
    for (const problem of schema.walker.validate(stripped.value, target.schema)) {
      const message = describeProblem(problem, schema.minor);
      if (message) problems.push({ message, location: doc.locate(problem.path) });
    }
  }
  return problems;
}

function describeProblem(problem: SchemaProblem, minor: string): string | undefined {
  const where = problem.path.join(".");
  switch (problem.kind) {
    case "unknown-key":
      return `Talos ${minor} does not know ${where}`;
    case "enum":
      return `Talos ${minor} accepts only ${problem.allowed.map((a) => JSON.stringify(a)).join(", ")} for ${where}`;
    case "pattern":
      return `Talos ${minor} refuses the value of ${where} (it must match ${problem.pattern})`;
    case "type":
    case "no-match":
      return `Talos ${minor} cannot decode ${where}: ${problem.kind === "type" ? `a ${problem.actual} where it expects ${problem.expected.join(" or ")}` : "no allowed form matches"}`;
    case "required":
      return undefined; // patches are partial documents
  }
}

/** Talos' config loader (configloader.NewFromBytes with patch deletes allowed). */
function talosLoad(content: PatchContent, schema: TalosConfigSchema, omniVersion = "1.10.0"): Loaded {
  if (content.syntaxError) {
    return { ok: false, error: goError(`decode error: yaml: ${content.syntaxError.message}`, content.syntaxError.location) };
  }
  const documents: TalosDocument[] = [];
  const seen = new Set<string>();
  let manifests = 0;
  for (const doc of content.docs) {
    if (!isRecord(doc.value)) {
      if (doc.value === null || doc.value === undefined) continue;
      return { ok: false, error: goError(`expected a YAML document at line ${doc.talosLine}`, doc.locate([])) };
    }
    const stripped = stripDeletes(doc.value);
    if (stripped.error) return { ok: false, error: goError(`error processing patch delete statements at line ${doc.talosLine}: ${stripped.error}`, doc.locate([])) };
    manifests += stripped.deletes;
    if (stripped.value === undefined) continue;
    manifests++;
    const value = stripped.value;
    const { apiVersion, kind } = documentKind(value);
    const id = `${str(value.apiVersion)}/${str(value.kind) || "v1alpha1"}/${str(value.name)}`;
    if (seen.has(id)) return { ok: false, error: goError(`duplicate document ${id} is not allowed (line ${doc.talosLine})`, doc.locate([])) };
    seen.add(id);
    const prefix = `error decoding document ${id} (line ${doc.talosLine}): `;
    const fail = (text: string, path: SchemaPath = []): Loaded => ({ ok: false, error: goError(prefix + text, doc.locate(path)) });
    let target;
    if (apiVersion === "v1alpha1" && kind === "") target = schema.legacy;
    else if (kind === "") return fail("missing kind");
    else if (apiVersion === "") return fail("missing apiVersion");
    else {
      target = schema.documents.get(kind);
      if (!target || !target.apiVersions.includes(apiVersion)) return fail(`${goQuote(kind)} ${goQuote(apiVersion)}: not registered`);
    }
    const problems = schema.walker.validate(value, target.schema);
    // Talos decodes first (type errors), then looks for unknown keys.
    const typeErrors = problems.filter((p) => p.kind === "type" || p.kind === "no-match");
    if (typeErrors.length > 0) {
      const items = typeErrors.map((p) => ({ line: talosLineOf(doc, content.form, p.path), text: constructError(valueAt(value, p.path), p) }));
      return fail(`error decoding ${kind} to ${target.goType}: ${goYamlConstructErrors(omniVersion, items)}`, typeErrors[0]!.path);
    }
    const unknown = problems.filter((p) => p.kind === "unknown-key");
    if (unknown.length > 0) {
      const tree = unknownTree(value, unknown.map((p) => p.path));
      const text = goYamlMarshal(tree, { sortKeys: content.form === "mapping" || content.form === "list" });
      return fail(`unknown keys found during decoding:\n${text}`, unknown[0]!.path);
    }
    documents.push({ doc, value, apiVersion, kind, name: str(value.name) });
  }
  if (manifests === 0) return { ok: false, error: goError("config not found", content.docs[0]?.locate([]) ?? content.location) };
  return { ok: true, documents };
}

const str = (v: unknown) => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));

/**
 * How Talos tells the document kind: `apiVersion` and `kind` keys, while `machine`, `cluster`,
 * `debug` or `persist` keys make it the legacy v1alpha1 document.
 */
function documentKind(value: Record<string, unknown>): { apiVersion: string; kind: string } {
  let apiVersion = "";
  let kind = "";
  for (const [key, v] of Object.entries(value)) {
    if (key === "kind") kind = str(v);
    else if (key === "apiVersion") apiVersion = str(v);
    else if (["machine", "cluster", "debug", "persist"].includes(key)) apiVersion = "v1alpha1";
  }
  return { apiVersion, kind };
}

interface Stripped {
  value: Record<string, unknown> | undefined;
  deletes: number;
  error?: string;
}

/**
 * `$patch: delete` handling: a mapping holding it is removed (and becomes a delete selector), a
 * parent emptied by that removal goes too, and a document left with only version/kind/name keys
 * is dropped.
 */
function stripDeletes(document: Record<string, unknown>): Stripped {
  let deletes = 0;
  let error: string | undefined;
  const DELETE = Symbol("delete");
  const isDelete = (v: unknown) => isRecord(v) && v.$patch === "delete";
  const walk = (value: unknown, path: string[], inSequence: boolean): unknown => {
    if (isDelete(value)) {
      const hasApiVersion = str(document.apiVersion) !== "";
      const hasKind = str(document.kind) !== "";
      if (!inSequence && path.some((p) => p.startsWith("["))) error ??= `cannot delete an inner key in '${path.join(".")}'`;
      else if (path.length === 0 && !hasApiVersion) error ??= "missing apiVersion in document for which $patch: delete is used";
      else if (path.length === 0 && !hasKind) error ??= "missing kind in document for which $patch: delete is used";
      else if (hasApiVersion !== hasKind) error ??= `kind and apiVersion must be both set for path ${path.join(".")}`;
      deletes++;
      return DELETE;
    }
    if (isRecord(value)) {
      const out: Record<string, unknown> = {};
      let removed = false;
      for (const [key, child] of Object.entries(value)) {
        const next = walk(child, [...path, key], false);
        if (next === DELETE) removed = true;
        else out[key] = next;
      }
      return removed && Object.keys(out).length === 0 ? DELETE : out;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      let removed = false;
      value.forEach((item, i) => {
        const next = walk(item, [...path, `[${i}]`], true);
        if (next === DELETE) removed = true;
        else out.push(next);
      });
      return removed && out.length === 0 ? DELETE : out;
    }
    return value;
  };
  const result = walk(document, [], false);
  if (error) return { value: undefined, deletes, error };
  if (result === DELETE) return { value: undefined, deletes };
  const value = result as Record<string, unknown>;
  const onlyMeta = Object.entries(value).every(([k, v]) => ["version", "kind", "name"].includes(k) && !isRecord(v) && !Array.isArray(v));
  return { value: onlyMeta ? undefined : value, deletes };
}

function valueAt(value: unknown, path: SchemaPath): unknown {
  let current = value;
  for (const step of path) current = isRecord(current) || Array.isArray(current) ? (current as Record<string | number, unknown>)[step] : undefined;
  return current;
}

/** Line of a path in the bytes Talos reads (exact for file and string patches; Omni re-encodes mappings). */
function talosLineOf(doc: ConfigPatchDoc, form: PatchContent["form"], path: SchemaPath): number {
  if (form === "mapping" || form === "list") return doc.talosLine;
  return doc.talosLine + doc.locate(path).line - doc.locate([]).line;
}

const GO_TYPE: Record<string, string> = { string: "string", integer: "int", boolean: "bool", number: "float64", object: "map[string]interface {}", array: "[]interface {}" };

/** go-yaml's type mismatch text: `cannot construct !!str \`abc\` into int` (values over 10 characters cut to 7 and `...`). */
function constructError(value: unknown, problem: SchemaProblem): string {
  const tag = Array.isArray(value) ? "!!seq" : isRecord(value) ? "!!map" : typeof value === "string" ? "!!str" : typeof value === "boolean" ? "!!bool" : Number.isInteger(value) ? "!!int" : "!!float";
  const text = tag === "!!seq" || tag === "!!map" ? "" : String(value);
  const shown = text === "" ? "" : text.length > 10 ? ` \`${text.slice(0, 7)}...\`` : ` \`${text}\``;
  const into = "definition" in problem && problem.definition ? problem.definition : problem.kind === "type" ? (GO_TYPE[problem.expected[0]!] ?? problem.expected[0]!) : "interface {}";
  return `cannot construct ${tag}${shown} into ${into}`;
}

/** The unknown keys as Talos summarises them: a mapping of just those keys, lists keeping only items that have some. */
function unknownTree(value: unknown, paths: SchemaPath[]): unknown {
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    value.forEach((item, i) => {
      const inner = paths.filter((p) => p[0] === i).map((p) => p.slice(1));
      if (inner.length > 0) items.push(unknownTree(item, inner));
    });
    return items;
  }
  const record = isRecord(value) ? value : {};
  const tree: Record<string, unknown> = {};
  for (const key of [...new Set(paths.map((p) => String(p[0])))].sort()) {
    const inner = paths.filter((p) => String(p[0]) === key).map((p) => p.slice(1));
    tree[key] = inner.some((p) => p.length === 0) ? record[key] : unknownTree(record[key], inner);
  }
  return tree;
}

/** One of Omni's own refusals in a patch document. */
export interface OmniRefusal {
  kind: "field" | "document" | "element";
  doc: ConfigPatchDoc;
  /** The key path (for a field or element: the field; for a document: its `kind`). */
  path: SchemaPath;
  text: string;
}

/** Omni's own refusals, in its order: forbidden documents, fields and list elements. */
export function omniRefusalsOf(content: PatchContent, omniVersion: string): OmniRefusal[] {
  const docs = content.docs.filter((d) => isRecord(d.value));
  const every = checksEveryPatchDocument(omniVersion);
  const refusals: OmniRefusal[] = [];
  for (const doc of every ? docs : docs.slice(0, 1)) {
    const value = doc.value as Record<string, unknown>;
    const kind = every && typeof value.kind === "string" ? value.kind : undefined;
    if (kind !== undefined && FORBIDDEN_PATCH_DOCUMENTS.has(kind)) {
      refusals.push({ kind: "document", doc, path: ["kind"], text: `the ${goQuote(kind)} document is not allowed in the config patch` });
      continue;
    }
    const fields = kind === undefined ? forbiddenPatchFields(omniVersion) : (FORBIDDEN_DOCUMENT_FIELDS[kind] ?? []);
    for (const field of fields) {
      const path = field.split(".");
      if (hasPath(value, path)) refusals.push({ kind: "field", doc, path, text: `overriding ${goQuote(field)} is not allowed in the config patch` });
    }
    const elements = kind === undefined ? FORBIDDEN_ELEMENTS.v1alpha1! : (FORBIDDEN_ELEMENTS[kind] ?? {});
    for (const [field, refused] of Object.entries(elements)) {
      const list = valueAt(value, field.split("."));
      if (!Array.isArray(list)) continue;
      list.forEach((element, i) => {
        if (typeof element === "string" && refused.includes(element)) {
          refusals.push({ kind: "element", doc, path: [...field.split("."), i], text: `element ${goQuote(element)} is not allowed in field ${goQuote(field)}` });
        }
      });
    }
  }
  return refusals;
}

function omniRefusals(content: PatchContent, omniVersion: string): GoError | undefined {
  let errors: GoError | undefined;
  for (const refusal of omniRefusalsOf(content, omniVersion)) errors = appendErrors(errors, goError(refusal.text, refusal.doc.locate(refusal.path)));
  return errors;
}

function hasPath(value: Record<string, unknown>, path: string[]): boolean {
  let current: unknown = value;
  for (const step of path) {
    if (!isRecord(current) || !(step in current)) return false;
    current = current[step];
  }
  return true;
}
