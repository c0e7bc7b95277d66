/**
 * A small JSON Schema walker for the subset the Talos machine-config schemas use: `$ref` into
 * `$defs`, `properties`, `additionalProperties` (false or a schema), `patternProperties`, `type`,
 * `items`, `enum`, `pattern`, `required`, `oneOf`/`anyOf`. It walks plain values (what a YAML
 * document turns into) and returns every problem with the path where it is, so callers can map
 * paths back to file positions. Keywords outside the subset (`format`, titles, descriptions) are
 * ignored.
 */

export interface JsonSchema {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  pattern?: string;
  required?: string[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
}

export type SchemaPath = Array<string | number>;

export type SchemaProblem =
  | { kind: "unknown-key"; path: SchemaPath }
  | { kind: "type"; path: SchemaPath; expected: string[]; actual: string; definition?: string }
  | { kind: "enum"; path: SchemaPath; allowed: unknown[] }
  | { kind: "pattern"; path: SchemaPath; pattern: string }
  | { kind: "required"; path: SchemaPath; key: string }
  | { kind: "no-match"; path: SchemaPath; definition?: string };

export interface WalkOptions {
  /**
   * Go's YAML decoder puts any scalar (number, boolean) into a string field, so `sysctls: {x: 1}`
   * is accepted although the schema says string. True reproduces that leniency.
   */
  scalarsAsStrings?: boolean;
  /** Patches are partial documents: `required` does not apply to them. */
  ignoreRequired?: boolean;
  /** Values to accept whatever the schema says (e.g. `${VAR}` placeholders substituted later). */
  isPlaceholder?: (value: unknown) => boolean;
}

/** The JSON type name of a value as a schema sees it (`integer` for whole numbers). */
export function jsonTypeOf(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "object") return "object";
  return typeof value; // string, boolean
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export class SchemaWalker {
  readonly #root: JsonSchema;
  readonly #options: WalkOptions;
  readonly #patterns = new Map<string, RegExp>();

  constructor(root: JsonSchema, options: WalkOptions = {}) {
    this.#root = root;
    this.#options = options;
  }

  /** Every problem of `value` against `schema` (default: the root), paths relative to `at`. */
  validate(value: unknown, schema: JsonSchema = this.#root, at: SchemaPath = []): SchemaProblem[] {
    const problems: SchemaProblem[] = [];
    this.#walk(value, schema, at, problems);
    return problems;
  }

  /** Resolve a `#/$defs/Name` reference (other reference forms do not occur in these schemas). */
  resolve(schema: JsonSchema): JsonSchema {
    let current = schema;
    for (let depth = 0; current.$ref !== undefined; depth++) {
      const name = /^#\/\$defs\/(.+)$/.exec(current.$ref)?.[1];
      const target = name === undefined ? undefined : this.#root.$defs?.[name];
      if (!target || depth > 32) throw new Error(`unresolvable schema reference ${current.$ref}`);
      current = target;
    }
    return current;
  }

  /** The schema a key of an object maps to, or undefined when the key is not allowed. */
  propertySchema(objectSchema: JsonSchema, key: string): JsonSchema | undefined {
    const schema = this.resolve(objectSchema);
    const declared = schema.properties?.[key];
    if (declared) return declared;
    for (const [pattern, patternSchema] of Object.entries(schema.patternProperties ?? {})) {
      if (this.#regex(pattern).test(key)) return patternSchema;
    }
    if (schema.additionalProperties === false) return undefined;
    if (typeof schema.additionalProperties === "object") return schema.additionalProperties;
    return {}; // no constraint on extra keys: JSON Schema's default
  }

  #regex(pattern: string): RegExp {
    let regex = this.#patterns.get(pattern);
    if (!regex) {
      regex = new RegExp(pattern, "u");
      this.#patterns.set(pattern, regex);
    }
    return regex;
  }

  #walk(value: unknown, given: JsonSchema, path: SchemaPath, problems: SchemaProblem[]): void {
    const schema = this.resolve(given);
    if (this.#options.isPlaceholder?.(value)) return;
    // The definition a reference names is the Go type behind it (`v1alpha1.NetworkConfig`).
    const definition = given.$ref?.replace(/^#\/\$defs\//, "");
    const alternatives = schema.oneOf ?? schema.anyOf;
    if (alternatives) {
      // Any alternative without problems will do; these schemas never rely on oneOf exclusivity.
      const attempts = alternatives.map((alternative) => this.validate(value, alternative, path));
      if (!attempts.some((a) => a.length === 0)) problems.push(definition ? { kind: "no-match", path, definition } : { kind: "no-match", path });
      return;
    }
    if (value === null || value === undefined) return; // null decodes to the zero value in Go
    if (schema.type !== undefined && !this.#typeMatches(value, schema.type)) {
      const problem: SchemaProblem = { kind: "type", path, expected: [schema.type].flat(), actual: jsonTypeOf(value) };
      problems.push(definition ? { ...problem, definition } : problem);
      return;
    }
    if (schema.enum && !schema.enum.some((allowed) => allowed === value || String(allowed) === String(value))) {
      problems.push({ kind: "enum", path, allowed: schema.enum });
    }
    if (schema.pattern !== undefined && typeof value === "string" && !this.#regex(schema.pattern).test(value)) {
      problems.push({ kind: "pattern", path, pattern: schema.pattern });
    }
    if (isObject(value)) {
      if (!this.#options.ignoreRequired) {
        for (const key of schema.required ?? []) if (!(key in value)) problems.push({ kind: "required", path, key });
      }
      for (const [key, child] of Object.entries(value)) {
        const childSchema = this.propertySchema(schema, key);
        if (childSchema === undefined) problems.push({ kind: "unknown-key", path: [...path, key] });
        else this.#walk(child, childSchema, [...path, key], problems);
      }
    } else if (Array.isArray(value) && schema.items) {
      value.forEach((item, i) => this.#walk(item, schema.items!, [...path, i], problems));
    }
  }

  #typeMatches(value: unknown, type: string | string[]): boolean {
    const actual = jsonTypeOf(value);
    return [type].flat().some((expected) => {
      if (expected === actual) return true;
      if (expected === "number" && actual === "integer") return true;
      if (expected === "string" && this.#options.scalarsAsStrings) return actual === "integer" || actual === "number" || actual === "boolean";
      return false;
    });
  }
}
