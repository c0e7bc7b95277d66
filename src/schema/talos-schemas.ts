/**
 * The Talos machine-config JSON Schemas shipped in schemas/talos (one per Talos minor, MPL-2.0,
 * see schemas/talos/README.md), turned into what a config patch is checked against.
 *
 * Talos drops a field from its published schema when the field is deprecated, but keeps decoding
 * it (v1.13's schema has no `machine.network`, yet `machine.network.interfaces` still works).
 * So the keys a Talos minor knows are the union of the schemas up to that minor, plus the few
 * fields its sources hide from every schema (`docgen:nodoc`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../paths.ts";
import { SchemaWalker, type JsonSchema } from "./json-schema.ts";

/** The minors we have schemas for, oldest first. */
export const TALOS_SCHEMA_MINORS = ["1.9", "1.10", "1.11", "1.12", "1.13", "1.14"] as const;

const TALOS_SCHEMA_DIR = join(PACKAGE_ROOT, "schemas", "talos");

/** Fields Talos decodes but hides from every published schema (`docgen:nodoc` in its sources). */
const UNDOCUMENTED_FIELDS: Record<string, string[]> = {
  "v1alpha1.Config": ["persist"],
  "v1alpha1.ClusterConfig": ["allowSchedulingOnMasters"],
  "v1alpha1.InstallConfig": ["bootloader"],
  "v1alpha1.EtcdConfig": ["subnet"],
  "v1alpha1.Device": ["cidr"],
  "v1alpha1.Vlan": ["cidr"],
};

/** Document kinds whose schema metadata differs from the kind Talos registers. */
const REGISTERED_KIND: Record<string, string> = { UnattendedInstall: "UnattendedInstallConfig" };

export interface TalosDocumentSchema {
  /** The kind as Talos registers it (`HostnameConfig`). */
  kind: string;
  apiVersions: string[];
  schema: JsonSchema;
  /** The Go type Talos decodes it into, as `%T` prints it (`*network.HostnameConfigV1Alpha1`). */
  goType: string;
}

/** What one Talos minor accepts: the legacy v1alpha1 document and the multi-document kinds. */
export interface TalosConfigSchema {
  minor: string;
  walker: SchemaWalker;
  legacy: TalosDocumentSchema;
  documents: ReadonlyMap<string, TalosDocumentSchema>;
}

/** Compare "1.9" and "1.12" as versions. */
export function compareMinor(a: string, b: string): number {
  const [am = 0, an = 0] = a.split(".").map(Number);
  const [bm = 0, bn = 0] = b.split(".").map(Number);
  return am - bm || an - bn;
}

/** The schema minor that describes a Talos minor: clamped to the ones we have. */
export function schemaMinorFor(minor: string): string {
  const oldest = TALOS_SCHEMA_MINORS[0];
  const newest = TALOS_SCHEMA_MINORS[TALOS_SCHEMA_MINORS.length - 1]!;
  if (compareMinor(minor, oldest) < 0) return oldest;
  if (compareMinor(minor, newest) > 0) return newest;
  return TALOS_SCHEMA_MINORS.find((m) => m === minor) ?? newest;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const MERGED_MAPS = new Set(["$defs", "properties", "patternProperties"]);

/** Merge an older schema into a newer one: maps of definitions and properties are united, enums too; the newer wins elsewhere. */
export function mergeSchemas(older: JsonSchema, newer: JsonSchema): JsonSchema {
  const merged: Record<string, unknown> = { ...older, ...newer };
  for (const key of MERGED_MAPS) {
    const a = (older as Record<string, unknown>)[key];
    const b = (newer as Record<string, unknown>)[key];
    if (isPlainObject(a) && isPlainObject(b)) {
      const map: Record<string, JsonSchema> = { ...(a as Record<string, JsonSchema>) };
      for (const [name, schema] of Object.entries(b as Record<string, JsonSchema>)) {
        const previous = map[name];
        map[name] = previous && isPlainObject(previous) && isPlainObject(schema) ? mergeSchemas(previous, schema) : schema;
      }
      merged[key] = map;
    }
  }
  if (older.enum && newer.enum) merged.enum = [...new Set([...older.enum, ...newer.enum])];
  if (older.oneOf && newer.oneOf) {
    const seen = new Set(newer.oneOf.map((s) => JSON.stringify(s)));
    merged.oneOf = [...newer.oneOf, ...older.oneOf.filter((s) => !seen.has(JSON.stringify(s)))];
  }
  return merged as JsonSchema;
}

/** The schema files, read from disk. */
export function readTalosSchemaFiles(dir: string = TALOS_SCHEMA_DIR): Map<string, JsonSchema> {
  return new Map(TALOS_SCHEMA_MINORS.map((minor) => [minor, JSON.parse(readFileSync(join(dir, `config.schema.v${minor}.json`), "utf8")) as JsonSchema]));
}

/** Schemas per Talos minor, each built on first use from the files it needs. */
export class TalosSchemas {
  readonly #files: ReadonlyMap<string, JsonSchema>;
  readonly #byMinor = new Map<string, TalosConfigSchema>();

  constructor(files: ReadonlyMap<string, JsonSchema>) {
    this.#files = files;
  }

  /** The schema for a Talos minor ("1.12"); minors outside the shipped range use the nearest one. */
  forMinor(minor: string): TalosConfigSchema {
    const target = schemaMinorFor(minor);
    let built = this.#byMinor.get(target);
    if (!built) {
      built = this.#build(target);
      this.#byMinor.set(target, built);
    }
    return built;
  }

  #build(minor: string): TalosConfigSchema {
    let root: JsonSchema | undefined;
    for (const m of TALOS_SCHEMA_MINORS) {
      if (compareMinor(m, minor) > 0) break;
      const file = this.#files.get(m);
      if (!file) throw new Error(`the Talos ${m} machine-config schema is missing`);
      root = root ? mergeSchemas(root, file) : file;
    }
    const defs: Record<string, JsonSchema> = { ...root!.$defs };
    for (const [def, fields] of Object.entries(UNDOCUMENTED_FIELDS)) {
      const existing = defs[def];
      if (existing) defs[def] = { ...existing, properties: { ...Object.fromEntries(fields.map((f) => [f, {}])), ...existing.properties } };
    }
    const merged: JsonSchema = { ...root!, $defs: defs };
    const walker = new SchemaWalker(merged, { scalarsAsStrings: true, ignoreRequired: true, isPlaceholder: isEnvPlaceholder });
    const documents = new Map<string, TalosDocumentSchema>();
    let legacy: TalosDocumentSchema | undefined;
    for (const ref of merged.oneOf ?? []) {
      const name = /^#\/\$defs\/(.+)$/.exec(ref.$ref ?? "")?.[1];
      const schema = name ? defs[name] : undefined;
      if (!name || !schema) continue;
      const goType = `*${name}`;
      const kind = schema.properties?.kind?.enum?.[0];
      if (typeof kind === "string") {
        const registered = REGISTERED_KIND[kind] ?? kind;
        const apiVersions = (schema.properties?.apiVersion?.enum ?? []).filter((v): v is string => typeof v === "string");
        documents.set(registered, { kind: registered, apiVersions, schema, goType });
      } else if (name === "v1alpha1.Config") {
        legacy = { kind: "v1alpha1", apiVersions: [], schema, goType };
      }
    }
    if (!legacy) throw new Error(`the Talos ${minor} schema has no v1alpha1.Config`);
    return { minor, walker, legacy, documents };
  }
}

/** `${VAR}` (or `$VAR`) left for envsubst or CI to fill in: its type is unknown until then. */
export function isEnvPlaceholder(value: unknown): boolean {
  return typeof value === "string" && /\$\{[A-Za-z_][A-Za-z0-9_]*(:?[-=?+][^}]*)?\}/.test(value);
}
