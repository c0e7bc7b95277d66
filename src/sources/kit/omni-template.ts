/**
 * `omnictl cluster template validate`, reproduced offline: Omni's template.Load (YAML stream,
 * `kind` lookup, strict decoding into its models) and Validate (its rules, aggregated with
 * go-multierror in Omni's order), with Omni's exact wording for the chosen release. Every plain
 * error carries the position it is about, which Omni does not print but our findings need.
 * Reference: reference/omni.md §1–§2; the behaviour was read from Omni's sources, not copied.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Scalar } from "yaml";
import type { Location } from "../../model/result.ts";
import type { TalosSchemas } from "../../schema/talos-schemas.ts";
import { appendErrors, goError, goQuote, goQuoteList, joinErrors, joinNonNil, wrapError, type GoError } from "../../util/go-errors.ts";
import { goUuidError, isGoDuration, parseGoUint, parseSemverTolerant, type SemverVersion } from "../../util/go-parse.ts";
import { resolvedFile, type ClusterTemplate, type FileRef, type NodePath, type TemplateDocument, type TemplatePatch } from "./cluster-templates.ts";
import { omniPatchError } from "./config-patch.ts";
import { isOmniMain, omniAtLeast, patchPathsFollowTemplate } from "./omni-releases.ts";
import { omniDecodeError, omniDocumentStart, omniLineInDocument } from "./templates.ts";
import { locationAt, locationOf, nodeAt, type YamlFile } from "./yaml-file.ts";

export interface OmniVerdict {
  /** Where Omni stopped: loading (YAML, kinds, strict decoding) or validating. */
  stage: "load" | "validate";
  error: GoError;
}

/** What `omnictl cluster template validate` says about the template; undefined when it accepts it. */
export function omniValidateTemplate(template: ClusterTemplate, omniVersion: string, schemas: TalosSchemas): OmniVerdict | undefined {
  const loadError = omniLoadTemplate(template, omniVersion);
  if (loadError) return { stage: "load", error: loadError };
  const error = validateModels(template, omniVersion, schemas);
  return error ? { stage: "validate", error } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Load: each document must be a mapping with a scalar `kind` naming a model, decoded strictly.

/** go-yaml's node kinds, as Omni prints them (`%v` of yaml.Kind). */
const NODE_KIND = { document: 1, sequence: 2, mapping: 4, scalar: 8, alias: 16 } as const;

function nodeKind(node: unknown): number {
  if (isMap(node)) return NODE_KIND.mapping;
  if (isSeq(node)) return NODE_KIND.sequence;
  if (isAlias(node)) return NODE_KIND.alias;
  return NODE_KIND.scalar;
}

export function omniLoadTemplate(template: ClusterTemplate, omniVersion: string): GoError | undefined {
  const file = template.file;
  for (const document of template.documents) {
    const doc = document.doc;
    const syntax = doc.errors[0];
    if (syntax) {
      // go-yaml's parser words its messages differently; the position is what matters here.
      const at = locationAt(file, syntax.pos[0]);
      const message = syntax.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      return goError(`error decoding template: yaml: line ${at.line}: ${message}`, at);
    }
    const start = omniDocumentStart(file, doc);
    const at = locationAt(file, doc.range[0]);
    const inDocument = (text: string, where: Location = at) => goError(`error in document at line ${start.line}:${start.column}: ${text}`, where);
    const root = doc.contents;
    if (!isMap(root)) return inDocument(`unexpected node kind ${nodeKind(root)}, expecting mapping`);
    let kind: string | undefined;
    for (const pair of root.items) {
      if (!isScalar(pair.key)) return inDocument(`unexpected node kind ${nodeKind(pair.key)}`, locationOf(file, pair.key as Node));
      if (pair.key.value !== "kind") continue;
      if (!isScalar(pair.value)) return inDocument(`unexpected value type for kind field ${nodeKind(pair.value)}`, locationOf(file, pair));
      kind = pair.value.value === null ? "" : String(pair.value.value);
      break;
    }
    if (kind === undefined) return inDocument("kind field not found");
    const model = modelFor(kind, omniVersion);
    if (!model) return inDocument(`unknown model kind ${goQuote(kind)}`, document.locate(["kind"]));
    const decoder = new StrictDecoder(file, doc);
    decoder.decode(root, model);
    if (decoder.errors.length > 0) {
      return goError(omniDecodeError(omniVersion, start, decoder.errors), decoder.firstAt ?? at);
    }
  }
  return undefined;
}

type GoType =
  | { kind: "string"; go: string }
  | { kind: "bool" }
  | { kind: "uint32" }
  | { kind: "duration" }
  | { kind: "struct"; go: string; fields: Record<string, GoType> }
  | { kind: "list"; go: string; item: GoType }
  | { kind: "map"; go: string; value: GoType }
  /** A type with its own UnmarshalYAML: `check` returns its error text, if any. */
  | { kind: "custom"; go: string; check: (node: Node, decoder: StrictDecoder) => string | undefined };

const STRING: GoType = { kind: "string", go: "string" };
const BOOL: GoType = { kind: "bool" };
const STRING_MAP: GoType = { kind: "map", go: "map[string]string", value: STRING };
const OPTIONAL_LIST: GoType = { kind: "list", go: "[]string", item: STRING };

/** A scalar decoded into a string first, then parsed by the custom type. */
function stringCustom(go: string, parse: (value: string) => string | undefined): GoType {
  return {
    kind: "custom",
    go,
    check: (node, decoder) => {
      if (!isScalar(node)) {
        decoder.typeError(node, "string");
        return undefined;
      }
      return parse(scalarText(node, decoder.file));
    },
  };
}

const SIZE = stringCustom("models.Size", (value) => {
  const word = ["unlimited", "∞", "infinity"].includes(value) ? "Unlimited" : value;
  if (word === "Unlimited" || word === "Static") return undefined;
  const count = parseGoUint(value, 32);
  return count.ok ? undefined : `invalid machine count ${value}: ${count.error}`;
});
const UPDATE_STRATEGY_TYPE = stringCustom("models.UpdateStrategyType", (value) => (["Unset", "Rolling"].includes(value) ? undefined : `invalid update strategy type ${value}`));
const MANIFEST_MODE = stringCustom("models.KubernetesManifestMode", (value) => (["one-time", "full"].includes(value) ? undefined : `unknown mode name ${goQuote(value)}`));

/** Inline content: a mapping, a list of mappings, or an explicit string (v1.8+). */
const INLINE: GoType = {
  kind: "custom",
  go: "models.InlineContent",
  check: (node, decoder) => {
    if (isScalar(node)) return typeof node.value === "string" ? undefined : `expected string, but got ${scalarTag(node)}`;
    if (isSeq(node)) {
      for (const item of node.items) if (!isMap(item) && !(isScalar(item) && item.value === null)) decoder.typeError(item as Node, "map[string]interface {}");
    }
    return undefined;
  },
};

function struct(go: string, fields: Record<string, GoType | undefined>): GoType {
  return { kind: "struct", go, fields: Object.fromEntries(Object.entries(fields).filter((e): e is [string, GoType] => e[1] !== undefined)) };
}

const since = (omniVersion: string, version: string, type: GoType): GoType | undefined => (omniAtLeast(omniVersion, version) ? type : undefined);

function patchList(): GoType {
  const patch = struct("models.Patch", { name: STRING, idOverride: STRING, labels: STRING_MAP, annotations: STRING_MAP, file: STRING, inline: INLINE });
  return { kind: "list", go: "models.PatchList", item: patch };
}

const models = new Map<string, GoType | undefined>();

/** The model of a document kind in the given release, or undefined for an unknown kind. */
function modelFor(kind: string, omniVersion: string): GoType | undefined {
  const key = `${kind} ${omniVersion}`;
  if (!models.has(key)) models.set(key, buildModel(kind, omniVersion));
  return models.get(key);
}

function buildModel(kind: string, omniVersion: string): GoType | undefined {
  const v = omniVersion;
  const descriptors = { labels: STRING_MAP, annotations: STRING_MAP };
  const common = { kind: STRING, systemExtensions: OPTIONAL_LIST, ...descriptors, patches: patchList(), kernelArgs: since(v, "1.5.0", OPTIONAL_LIST) };
  if (kind === "Cluster") {
    const manifest = struct("models.KubernetesManifest", { inline: INLINE, ...descriptors, name: STRING, file: STRING, mode: MANIFEST_MODE });
    const healthcheck = struct("models.KubernetesHealthCheck", { ...descriptors, idOverride: STRING, name: STRING, job: INLINE, file: STRING, interval: { kind: "duration" } });
    return struct("models.Cluster", {
      ...common,
      name: STRING,
      kubernetes: struct("models.KubernetesCluster", {
        version: STRING,
        manifests: since(v, "1.7.0", { kind: "list", go: "models.KubernetesManifestsList", item: manifest }),
        healthchecks: since(v, "1.9.0", { kind: "list", go: "models.KubernetesHealthCheckList", item: healthcheck }),
      }),
      talos: struct("models.TalosCluster", { version: STRING }),
      features: struct("models.Features", {
        diskEncryption: BOOL,
        enableWorkloadProxy: BOOL,
        useEmbeddedDiscoveryService: BOOL,
        disablePublicDiscoveryService: since(v, "1.10.0", BOOL),
        enableNodeAuditSkip: since(v, "1.10.0", BOOL),
        backupConfiguration: struct("models.BackupConfiguration", { interval: { kind: "duration" } }),
      }),
    });
  }
  if (kind === "ControlPlane" || kind === "Workers") {
    const strategy = struct("models.UpdateStrategyConfig", {
      type: UPDATE_STRATEGY_TYPE,
      rolling: struct("models.RollingUpdateStrategyConfig", { maxParallelism: { kind: "uint32" } }),
    });
    return struct(`models.${kind}`, {
      ...common,
      name: STRING,
      bootstrapSpec: struct("models.BootstrapSpec", { clusterUUID: STRING, snapshot: STRING }),
      machines: { kind: "list", go: "models.MachineIDList", item: { kind: "string", go: "models.MachineID" } },
      machineClass: struct("models.MachineClassConfig", { name: STRING, size: SIZE }),
      updateStrategy: strategy,
      deleteStrategy: strategy,
      upgradeStrategy: since(v, "1.6.0", strategy),
    });
  }
  if (kind === "Machine") {
    return struct("models.Machine", {
      ...common,
      name: { kind: "string", go: "models.MachineID" },
      locked: BOOL,
      install: struct("models.MachineInstall", { disk: STRING, diskSelector: isOmniMain(v) ? STRING : undefined }),
    });
  }
  return undefined;
}

/** go-yaml's short tag of a scalar as resolved by YAML 1.2's core schema. */
function scalarTag(node: Scalar): string {
  const value = node.value;
  if (value === null || value === undefined) return "!!null";
  if (typeof value === "boolean") return "!!bool";
  if (typeof value === "number") return Number.isInteger(value) && !/[.eE]|inf|nan/i.test(String(node.source ?? value)) ? "!!int" : "!!float";
  return "!!str";
}

/** A scalar's text as go-yaml sees it (the value, or the source of a plain non-string). */
function scalarText(node: Scalar, file: YamlFile): string {
  if (typeof node.value === "string") return node.value;
  const range = node.range;
  return range ? file.text.slice(range[0], range[1]) : String(node.value);
}

/** Decodes one document into a model type the way go-yaml does with KnownFields, collecting its errors. */
class StrictDecoder {
  readonly file: YamlFile;
  readonly #doc: Document.Parsed;
  readonly errors: Array<{ line: number; text: string }> = [];
  firstAt: Location | undefined;

  constructor(file: YamlFile, doc: Document.Parsed) {
    this.file = file;
    this.#doc = doc;
  }

  #error(node: Node, text: string): void {
    const offset = node.range?.[0] ?? 0;
    this.firstAt ??= locationAt(this.file, offset);
    this.errors.push({ line: omniLineInDocument(this.file, this.#doc, offset), text });
  }

  typeError(node: Node, go: string): void {
    let shown = "";
    let tag = isMap(node) ? "!!map" : isSeq(node) ? "!!seq" : "!!str";
    if (isScalar(node)) {
      tag = scalarTag(node);
      const text = scalarText(node, this.file);
      shown = text.length > 10 ? ` \`${text.slice(0, 7)}...\`` : ` \`${text}\``;
    }
    this.#error(node, `cannot construct ${tag}${shown} into ${go}`);
  }

  decode(given: Node | null, type: GoType): void {
    const node = isAlias(given) ? (given.resolve(this.#doc) as Node | undefined) : given;
    if (!node || (isScalar(node) && node.value === null)) return; // null leaves the zero value
    switch (type.kind) {
      case "string":
        if (!isScalar(node)) this.typeError(node, type.go);
        return;
      case "bool":
        if (!isScalar(node) || !(typeof node.value === "boolean" || /^(y|Y|yes|Yes|YES|on|On|ON|n|N|no|No|NO|off|Off|OFF)$/.test(String(node.value)))) this.typeError(node, "bool");
        return;
      case "uint32": {
        const ok = isScalar(node) && typeof node.value === "number" && Number.isInteger(node.value) && node.value >= 0 && node.value <= 0xffffffff;
        if (!ok) this.typeError(node, "uint32");
        return;
      }
      case "duration":
        if (!isScalar(node) || typeof node.value !== "string" || !isGoDuration(node.value)) this.typeError(node, "time.Duration");
        return;
      case "custom": {
        const error = type.check(node, this);
        if (error) this.#error(node, error);
        return;
      }
      case "list":
        if (!isSeq(node)) return this.typeError(node, type.go);
        for (const item of node.items) this.decode(item as Node, type.item);
        return;
      case "map":
        return this.#decodeMap(node, type);
      case "struct":
        return this.#decodeStruct(node, type);
    }
  }

  #decodeMap(node: Node, type: Extract<GoType, { kind: "map" }>): void {
    if (!isMap(node)) return this.typeError(node, type.go);
    const before = this.errors.length;
    node.items.forEach((pair, i) => {
      const key = pair.key as Node;
      for (const earlier of node.items.slice(0, i)) {
        if (isScalar(earlier.key) && isScalar(key) && earlier.key.value === key.value) {
          const earlierLine = omniLineInDocument(this.file, this.#doc, (earlier.key as Node).range?.[0] ?? 0);
          this.#error(key, `mapping key ${goQuote(String(key.value))} already defined at line ${earlierLine}`);
        }
      }
    });
    if (this.errors.length > before) return;
    for (const pair of node.items) this.decode(pair.value as Node | null, type.value);
  }

  #decodeStruct(node: Node, type: Extract<GoType, { kind: "struct" }>): void {
    if (!isMap(node)) return this.typeError(node, type.go);
    const done = new Set<string>();
    for (const pair of node.items) {
      const key = pair.key as Node;
      if (!isScalar(key)) {
        this.typeError(key, "string");
        continue;
      }
      const name = scalarText(key, this.file);
      const field = type.fields[name];
      if (!field) {
        this.#error(key, `field ${name} not found in type ${type.go}`);
        continue;
      }
      if (done.has(name)) {
        this.#error(key, `field ${name} already set in type ${type.go}`);
        continue;
      }
      done.add(name);
      this.decode(pair.value as Node | null, field);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Validate: Omni's rules over the loaded models, in its order.

/** A document's value at a path; Go's zero value (`""`) for strings that are absent. */
function text(document: TemplateDocument, path: NodePath): string {
  const node = nodeAt(document.doc.contents, path);
  if (!isScalar(node) || node.value === null || node.value === undefined) return "";
  return typeof node.value === "string" ? node.value : scalarText(node, document.file);
}

/** A pointer field is set: the key is there with a non-null value. */
function isSet(document: TemplateDocument, path: NodePath): boolean {
  const node = nodeAt(document.doc.contents, path);
  return node !== undefined && node !== null && !(isScalar(node) && node.value === null);
}

function isTrue(document: TemplateDocument, path: NodePath): boolean {
  const node = nodeAt(document.doc.contents, path);
  return isScalar(node) && (node.value === true || /^(y|Y|yes|Yes|YES|on|On|ON)$/.test(String(node.value)));
}

function stringList(document: TemplateDocument, path: NodePath): Array<{ value: string; location: Location }> {
  const node = nodeAt(document.doc.contents, path);
  if (!isSeq(node)) return [];
  return node.items.map((item, i) => ({ value: isScalar(item) && item.value !== null ? scalarText(item, document.file) : "", location: document.locate([...path, i]) }));
}

function mapKeys(document: TemplateDocument, path: NodePath): Array<{ key: string; location: Location }> {
  const node = nodeAt(document.doc.contents, path);
  if (!isMap(node)) return [];
  return node.items.map((pair) => ({ key: isScalar(pair.key) ? String(pair.key.value) : "", location: locationOf(document.file, pair) }));
}

const RESERVED_PREFIX = "omni.sidero.dev/";

/** Descriptors.Validate: labels and annotations under Omni's own prefix. */
function descriptorErrors(document: TemplateDocument, base: NodePath): GoError | undefined {
  let errors: GoError | undefined;
  for (const [what, key] of [["label", "labels"], ["annotation", "annotations"]] as const) {
    for (const entry of mapKeys(document, [...base, key])) {
      if (entry.key.startsWith(RESERVED_PREFIX)) {
        errors = appendErrors(errors, goError(`${what} ${goQuote(entry.key)} is invalid: prefix ${goQuote(RESERVED_PREFIX)} is reserved for internal use`, entry.location));
      }
    }
  }
  return errors;
}

interface ValidateContext {
  template: ClusterTemplate;
  omniVersion: string;
  schemas: TalosSchemas;
}

/** FileContext.ReadFile / StatFile errors: os.Root (v1.8+) or plain os calls relative to the working directory. */
function fileAccessError(ref: FileRef, omniVersion: string, op: "open" | "stat"): string | undefined {
  if (patchPathsFollowTemplate(omniVersion)) {
    const rel = ref.rootRelative;
    if (rel === ".." || rel.startsWith("../") || rel.startsWith("/")) return `${op}at ${rel}: path escapes from parent`;
    const state = ref.fromTemplate.state;
    if (state === "missing") return `${op}at ${rel}: no such file or directory`;
    if (state === "directory" && op === "open") return `read ${rel}: is a directory`;
    return undefined;
  }
  const state = resolvedFile(ref, false).state;
  if (state === "missing") return `${op} ${ref.ref}: no such file or directory`;
  if (state === "directory" && op === "open") return `read ${ref.ref}: is a directory`;
  return undefined;
}

function validatePatch(patch: TemplatePatch, ctx: ValidateContext): GoError | undefined {
  const document = patch.owner;
  const path = patch.path;
  const name = patch.displayName;
  let errors = descriptorErrors(document, path);
  const file = text(document, [...path, "file"]);
  const inlineSet = isSet(document, [...path, "inline"]);
  if (file !== "" && inlineSet) errors = appendErrors(errors, goError("path and inline are mutually exclusive", patch.location));
  if (file === "" && !inlineSet) errors = appendErrors(errors, goError("path or inline is required", patch.location));
  if (file !== "" && patch.file) {
    const accessError = fileAccessError(patch.file, ctx.omniVersion, "open");
    if (accessError) {
      errors = appendErrors(errors, goError(`failed to access ${goQuote(file)}: ${accessError}`, patch.file.location));
    } else {
      const content = resolvedFile(patch.file, patchPathsFollowTemplate(ctx.omniVersion)).content;
      const patchError = content ? omniPatchError(content, ctx.omniVersion, ctx.schemas) : undefined;
      if (patchError) errors = appendErrors(errors, wrapError(`failed to validate patch ${goQuote(file)}: `, patchError));
    }
  } else if (inlineSet) {
    if (patch.name === "" && patch.idOverride === "") errors = appendErrors(errors, goError("either name or idOverride is required for inline patches", patch.location));
    const patchError = patch.inline ? omniPatchError(patch.inline, ctx.omniVersion, ctx.schemas) : undefined;
    if (patchError) errors = appendErrors(errors, wrapError(`failed to validate inline patch ${goQuote(name)}: `, patchError));
  }
  return errors ? wrapError(`patch ${goQuote(name)} is invalid: `, errors) : undefined;
}

function patchErrors(document: TemplateDocument, ctx: ValidateContext): GoError | undefined {
  let errors: GoError | undefined;
  for (const patch of ctx.template.patches.filter((p) => p.owner === document)) errors = joinNonNil(errors, validatePatch(patch, ctx));
  return errors;
}

function semverLess(a: SemverVersion, b: Omit<SemverVersion, "prerelease">): boolean {
  if (a.major !== b.major) return a.major < b.major;
  if (a.minor !== b.minor) return a.minor < b.minor;
  if (a.patch !== b.patch) return a.patch < b.patch;
  return a.prerelease.length > 0; // a pre-release comes before its release
}

function validateCluster(document: TemplateDocument, ctx: ValidateContext): GoError | undefined {
  const name = text(document, ["name"]);
  let errors: GoError | undefined;
  // ClusterValidator: name, Kubernetes version, Talos version (with `v`), disk encryption.
  if (name === "") errors = appendErrors(errors, goError("name is required", document.locate(["name"])));
  if ([...name].some((c) => !/[\p{L}\p{Nd}_-]/u.test(c))) {
    errors = appendErrors(errors, goError("name should only contain letters, digits, dashes and underscores", document.locate(["name"])));
  }
  const versionErrors = (label: string, path: NodePath, requireV: boolean) => {
    const value = text(document, path);
    const at = document.locate(path);
    let inner: GoError | undefined;
    if (value === "") inner = appendErrors(inner, goError("version is required", at));
    else {
      const parsed = parseSemverTolerant(value);
      if (!parsed.ok) inner = appendErrors(inner, goError(`version should be in semver format: ${parsed.error}`, at));
      if (requireV && !value.startsWith("v")) inner = appendErrors(inner, goError("version should start with 'v'", at));
    }
    if (inner) errors = appendErrors(errors, wrapError(`error validating ${label} version: `, inner));
  };
  versionErrors("Kubernetes", ["kubernetes", "version"], false);
  versionErrors("Talos", ["talos", "version"], true);
  if (isTrue(document, ["features", "diskEncryption"])) {
    const talos = parseSemverTolerant(text(document, ["talos", "version"]));
    const at = document.locate(["features", "diskEncryption"]);
    if (!talos.ok) errors = appendErrors(errors, goError(talos.error, at));
    else if (semverLess(talos.value, { major: 1, minor: 5, patch: 0 })) errors = appendErrors(errors, goError("disk encryption is supported only for Talos version >= 1.5.0", at));
  }
  errors = joinNonNil(errors, descriptorErrors(document, []), patchErrors(document, ctx));
  if (omniAtLeast(ctx.omniVersion, "1.7.0")) errors = joinNonNil(errors, manifestErrors(document, ctx));
  if (omniAtLeast(ctx.omniVersion, "1.9.0")) errors = joinNonNil(errors, healthcheckErrors(document, ctx));
  return errors ? wrapError(`error validating cluster ${goQuote(name)}: `, errors) : undefined;
}

function manifestErrors(document: TemplateDocument, ctx: ValidateContext): GoError | undefined {
  const list = nodeAt(document.doc.contents, ["kubernetes", "manifests"]);
  if (!isSeq(list)) return undefined;
  const names = new Set<string>();
  return joinErrors(
    list.items.map((_, i) => {
      const base: NodePath = ["kubernetes", "manifests", i];
      const at = document.locate(base);
      const file = text(document, [...base, "file"]);
      const name = text(document, [...base, "name"]) || file;
      const inlineSet = isSet(document, [...base, "inline"]);
      const mode = text(document, [...base, "mode"]);
      const descriptors = descriptorErrors(document, base);
      const ref = file === "" ? undefined : ctx.template.fileRefs.get(file);
      const statError = ref ? fileAccessError(ref, ctx.omniVersion, "stat") : undefined;
      const itemError = joinErrors([
        name === "" ? goError("kubernetes manifest name is empty", at) : undefined,
        mode === "" ? goError(`kubernetes manifest ${goQuote(name)} mode is not set`, at) : undefined,
        file !== "" && inlineSet ? goError("path and inline are mutually exclusive", at) : undefined,
        file === "" && !inlineSet ? goError("path or inline is required", at) : undefined,
        descriptors ? wrapError(`kubernetes manifest ${goQuote(name)} descriptors validation failed: `, descriptors) : undefined,
        statError ? goError(`failed to access ${goQuote(file)}: ${statError}`, document.locate([...base, "file"])) : undefined,
      ]);
      if (itemError) return itemError;
      if (names.has(name)) return goError(`duplicate manifest name ${goQuote(name)}`, at);
      names.add(name);
      return undefined;
    }),
  );
}

function healthcheckErrors(document: TemplateDocument, ctx: ValidateContext): GoError | undefined {
  const list = nodeAt(document.doc.contents, ["kubernetes", "healthchecks"]);
  if (!isSeq(list)) return undefined;
  const ids = new Set<string>();
  return joinErrors(
    list.items.map((_, i) => {
      const base: NodePath = ["kubernetes", "healthchecks", i];
      const at = document.locate(base);
      const name = text(document, [...base, "name"]);
      const idOverride = text(document, [...base, "idOverride"]);
      const identifier = idOverride || name;
      const file = text(document, [...base, "file"]);
      const jobSet = isSet(document, [...base, "job"]);
      let errors: GoError | undefined;
      if (name === "" && idOverride === "") errors = appendErrors(errors, goError("either name or idOverride is required for a healthcheck", at));
      if (jobSet && file !== "") errors = appendErrors(errors, goError(`healthcheck ${goQuote(identifier)}: job and file are mutually exclusive`, at));
      else if (!jobSet && file === "") errors = appendErrors(errors, goError(`healthcheck ${goQuote(identifier)}: job or file is required`, at));
      else if (file !== "") {
        const ref = ctx.template.fileRefs.get(file);
        const statError = ref ? fileAccessError(ref, ctx.omniVersion, "stat") : undefined;
        if (statError) errors = appendErrors(errors, goError(`healthcheck ${goQuote(identifier)}: failed to access ${goQuote(file)}: ${statError}`, document.locate([...base, "file"])));
      }
      errors = joinNonNil(errors, descriptorErrors(document, base));
      if (errors) return errors;
      const key = idOverride || name;
      if (key === "") return undefined;
      if (ids.has(key)) return goError(`duplicate healthcheck ${goQuote(key)}`, at);
      ids.add(key);
      return undefined;
    }),
  );
}

/** MachineSet.Validate, the machine IDs and the patches: what ControlPlane and Workers share. */
function machineSetErrors(document: TemplateDocument, ctx: ValidateContext): Array<GoError | undefined> {
  let own: GoError | undefined;
  const descriptors = descriptorErrors(document, []);
  if (descriptors) own = appendErrors(own, descriptors);
  const hasClass = isSet(document, ["machineClass"]);
  if (stringList(document, ["machines"]).length > 0 && hasClass) own = appendErrors(own, goError("machine set can not have both machines and machine class defined", document.locate(["machineClass"])));
  if (isSet(document, ["kernelArgs"]) && hasClass) own = appendErrors(own, goError("kernelArgs cannot be defined for machine set since it uses machine class", document.locate(["kernelArgs"])));
  let ids: GoError | undefined;
  for (const machine of stringList(document, ["machines"])) {
    const error = goUuidError(machine.value);
    if (error) ids = appendErrors(ids, goError(`invalid machine ID ${goQuote(machine.value)}: ${error}`, machine.location));
  }
  return [own, ids, patchErrors(document, ctx)];
}

function validateControlPlane(document: TemplateDocument, ctx: ValidateContext): GoError | undefined {
  let errors: GoError | undefined;
  if (text(document, ["name"]) !== "") errors = appendErrors(errors, goError("custom name is not allowed in the controlplane", document.locate(["name"])));
  if (isSet(document, ["bootstrapSpec"])) {
    if (text(document, ["bootstrapSpec", "clusterUUID"]) === "") errors = appendErrors(errors, goError("clusterUUID is required in bootstrapSpec", document.locate(["bootstrapSpec"])));
    if (text(document, ["bootstrapSpec", "snapshot"]) === "") errors = appendErrors(errors, goError("snapshot is required in bootstrapSpec", document.locate(["bootstrapSpec"])));
  }
  if (isSet(document, ["updateStrategy"])) errors = appendErrors(errors, goError("updateStrategy is not allowed in the controlplane", document.locate(["updateStrategy"])));
  if (isSet(document, ["deleteStrategy"])) errors = appendErrors(errors, goError("deleteStrategy is not allowed in the controlplane", document.locate(["deleteStrategy"])));
  errors = joinNonNil(errors, ...machineSetErrors(document, ctx));
  return errors ? wrapError("controlplane is invalid: ", errors) : undefined;
}

function validateWorkers(document: TemplateDocument, ctx: ValidateContext): GoError | undefined {
  let errors: GoError | undefined;
  if (text(document, ["name"]) === "control-planes") errors = appendErrors(errors, goError(`name ${goQuote("control-planes")} cannot be used in workers`, document.locate(["name"])));
  if (isSet(document, ["bootstrapSpec"])) errors = appendErrors(errors, goError("bootstrapSpec is not allowed in workers", document.locate(["bootstrapSpec"])));
  errors = joinNonNil(errors, ...machineSetErrors(document, ctx));
  return errors ? wrapError("workers is invalid: ", errors) : undefined;
}

function validateMachine(document: TemplateDocument, ctx: ValidateContext): GoError | undefined {
  const name = text(document, ["name"]);
  let errors: GoError | undefined;
  if (name === "") errors = appendErrors(errors, goError("name is required for machine", document.locate(["name"])));
  const descriptors = descriptorErrors(document, []);
  if (descriptors) errors = appendErrors(errors, descriptors);
  const idError = goUuidError(name);
  let install: GoError | undefined;
  if (isOmniMain(ctx.omniVersion) && text(document, ["install", "disk"]) !== "" && text(document, ["install", "diskSelector"]) !== "") {
    install = goError("install.disk and install.diskSelector are mutually exclusive", document.locate(["install"]));
  }
  errors = joinNonNil(errors, idError ? goError(`invalid machine ID ${goQuote(name)}: ${idError}`, document.locate(["name"])) : undefined, install, patchErrors(document, ctx));
  return errors ? wrapError(`machine ${goQuote(name)} is invalid: `, errors) : undefined;
}

function validateModels(template: ClusterTemplate, omniVersion: string, schemas: TalosSchemas): GoError | undefined {
  const ctx: ValidateContext = { template, omniVersion, schemas };
  let errors: GoError | undefined;
  for (const document of template.documents) {
    const validate = { Cluster: validateCluster, ControlPlane: validateControlPlane, Workers: validateWorkers, Machine: validateMachine }[document.kind as string];
    errors = joinNonNil(errors, validate?.(document, ctx));
  }
  // The whole template: one Cluster, one ControlPlane, unique Workers names, machines in one set only.
  const byKind = (kind: string) => template.documents.filter((d) => d.kind === kind);
  const fileStart = locationAt(template.file, 0);
  const clusters = byKind("Cluster");
  const controlPlanes = byKind("ControlPlane");
  if (clusters.length !== 1) errors = appendErrors(errors, goError(`template should contain 1 cluster, got ${clusters.length}`, clusters[1]?.locate([]) ?? fileStart));
  if (controlPlanes.length !== 1) errors = appendErrors(errors, goError(`template should contain 1 controlplane, got ${controlPlanes.length}`, controlPlanes[1]?.locate([]) ?? fileStart));
  const workersByName = new Map<string, TemplateDocument[]>();
  const setsByMachine = new Map<string, Array<{ set: string; location: Location }>>();
  for (const workers of byKind("Workers")) {
    const name = text(workers, ["name"]);
    workersByName.set(name, [...(workersByName.get(name) ?? []), workers]);
    for (const machine of stringList(workers, ["machines"])) {
      setsByMachine.set(machine.value, [...(setsByMachine.get(machine.value) ?? []), { set: name, location: machine.location }]);
    }
  }
  for (const [name, docs] of workersByName) {
    if (docs.length > 1) errors = appendErrors(errors, goError(`duplicate workers with name ${goQuote(name)}`, docs[1]!.locate(["name"])));
  }
  for (const [machine, sets] of setsByMachine) {
    if (sets.length > 1) errors = appendErrors(errors, goError(`machine ${goQuote(machine)} is used in multiple workers: ${goQuoteList(sets.map((s) => s.set))}`, sets[1]!.location));
  }
  const controlPlaneMachines = controlPlanes.flatMap((d) => stringList(d, ["machines"]));
  const controlPlaneIds = new Set(controlPlaneMachines.map((m) => m.value));
  const shared = [...setsByMachine.keys()].filter((id) => controlPlaneIds.has(id));
  if (shared.length > 0) errors = appendErrors(errors, goError(`machines [${shared.join(" ")}] are used in both controlplane and workers`, setsByMachine.get(shared[0]!)![0]!.location));
  const used = new Set([...controlPlaneIds, ...setsByMachine.keys()]);
  const locked = new Set<string>();
  for (const machine of byKind("Machine")) {
    const name = text(machine, ["name"]);
    if (isTrue(machine, ["locked"])) locked.add(name);
    if (!used.has(name)) errors = appendErrors(errors, goError(`machine ${goQuote(name)} is not used in controlplane or workers`, machine.locate(["name"])));
  }
  for (const machine of controlPlaneMachines) {
    if (locked.has(machine.value)) errors = appendErrors(errors, goError(`machine ${goQuote(machine.value)} is locked and used in controlplane`, machine.location));
  }
  return errors;
}
