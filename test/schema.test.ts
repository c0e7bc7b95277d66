/** The JSON Schema walker and the Talos machine-config schemas built from the shipped files. */
import { describe, expect, it } from "vitest";
import { SchemaWalker, type JsonSchema } from "../src/schema/json-schema.ts";
import { compareMinor, isEnvPlaceholder, mergeSchemas, readTalosSchemaFiles, schemaMinorFor, TalosSchemas, TALOS_SCHEMA_MINORS } from "../src/schema/talos-schemas.ts";

const ROOT: JsonSchema = {
  $defs: {
    Config: {
      type: "object",
      additionalProperties: false,
      required: ["name"],
      properties: {
        name: { type: "string" },
        size: { type: "integer" },
        mode: { enum: ["a", "b"] },
        duration: { type: "string", pattern: "^\\d+s$" },
        labels: { type: "object", patternProperties: { ".*": { type: "string" } } },
        args: { type: "object", additionalProperties: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] } },
        items: { type: "array", items: { $ref: "#/$defs/Item" } },
        free: { type: "object" },
        either: { anyOf: [{ type: "integer" }, { type: "string" }] },
      },
    },
    Item: { type: "object", additionalProperties: false, properties: { id: { type: "integer" } } },
  },
  $ref: "#/$defs/Config",
};

describe("SchemaWalker", () => {
  const walker = new SchemaWalker(ROOT);

  it("accepts a value that fits, whatever keys free-form objects hold", () => {
    expect(walker.validate({ name: "x", size: 3, mode: "a", duration: "10s", labels: { a: "b" }, args: { x: "1", y: ["a"] }, items: [{ id: 1 }], free: { any: { thing: 1 } }, either: "z" })).toEqual([]);
  });

  it("names every problem with its path", () => {
    expect(walker.validate({ size: "3", mode: "c", duration: "ten", labels: { a: 1 }, args: { x: 2 }, items: [{ id: 1, extra: true }], unknown: 1, either: [] })).toEqual([
      { kind: "required", path: [], key: "name" },
      { kind: "type", path: ["size"], expected: ["integer"], actual: "string" },
      { kind: "enum", path: ["mode"], allowed: ["a", "b"] },
      { kind: "pattern", path: ["duration"], pattern: "^\\d+s$" },
      { kind: "type", path: ["labels", "a"], expected: ["string"], actual: "integer" },
      { kind: "no-match", path: ["args", "x"] },
      { kind: "unknown-key", path: ["items", 0, "extra"] },
      { kind: "unknown-key", path: ["unknown"] },
      { kind: "no-match", path: ["either"] },
    ]);
  });

  it("can take Go's leniency (scalars into strings), skip required keys (patches are partial) and placeholders", () => {
    const lenient = new SchemaWalker(ROOT, { scalarsAsStrings: true, ignoreRequired: true, isPlaceholder: isEnvPlaceholder });
    expect(lenient.validate({ labels: { a: 1, b: true }, size: "${SIZE}" })).toEqual([]);
  });

  it("names the definition behind a reference in type problems (the Go type)", () => {
    expect(walker.validate({ name: "x", items: ["nope"] })).toEqual([{ kind: "type", path: ["items", 0], expected: ["object"], actual: "string", definition: "Item" }]);
  });

  it("refuses a reference it cannot resolve", () => {
    expect(() => new SchemaWalker({ $ref: "#/$defs/Missing" }).validate({})).toThrow(/unresolvable schema reference/);
  });
});

describe("Talos schemas", () => {
  it("merges minors: definitions and properties united, enums too, the newer wins elsewhere", () => {
    const older: JsonSchema = { $defs: { A: { properties: { old: { type: "string" }, both: { type: "string" } }, additionalProperties: false } }, oneOf: [{ $ref: "#/$defs/A" }] };
    const newer: JsonSchema = { $defs: { A: { properties: { both: { type: "integer", enum: [1] } } }, B: { type: "object" } }, oneOf: [{ $ref: "#/$defs/B" }] };
    expect(mergeSchemas(older, newer)).toEqual({
      $defs: { A: { properties: { old: { type: "string" }, both: { type: "integer", enum: [1] } }, additionalProperties: false }, B: { type: "object" } },
      oneOf: [{ $ref: "#/$defs/B" }, { $ref: "#/$defs/A" }],
    });
  });

  it("clamps minors to the shipped ones", () => {
    expect(schemaMinorFor("1.3")).toBe("1.9");
    expect(schemaMinorFor("1.12")).toBe("1.12");
    expect(schemaMinorFor("1.20")).toBe("1.14");
    expect(compareMinor("1.9", "1.12")).toBeLessThan(0);
  });

  it("loads in well under a second, and each minor keeps what Talos still decodes", () => {
    const started = performance.now();
    const schemas = new TalosSchemas(readTalosSchemaFiles());
    const v113 = schemas.forMinor("1.13");
    const v114 = schemas.forMinor("1.14");
    expect(performance.now() - started).toBeLessThan(3000);
    expect([...TALOS_SCHEMA_MINORS]).toEqual(["1.9", "1.10", "1.11", "1.12", "1.13", "1.14"]);
    // Deprecated in 1.12's schema, gone from 1.13's, still decoded: no unknown key.
    const deprecated = { machine: { network: { hostname: "a", interfaces: [{ interface: "eth0", cidr: "10.0.0.1/24" }] }, install: { extensions: [{ image: "x" }], bootloader: true } } };
    expect(v113.walker.validate(deprecated, v113.legacy.schema)).toEqual([]);
    expect(v113.walker.validate({ machine: { network: { kubespan: { running: true } } } }, v113.legacy.schema)).toEqual([{ kind: "unknown-key", path: ["machine", "network", "kubespan", "running"] }]);
    // Document kinds appear with their minor; the schema's "UnattendedInstall" is registered as UnattendedInstallConfig.
    expect(schemas.forMinor("1.11").documents.has("HostnameConfig")).toBe(false);
    expect(schemas.forMinor("1.12").documents.get("HostnameConfig")?.goType).toBe("*network.HostnameConfigV1Alpha1");
    expect(v114.documents.has("UnattendedInstallConfig")).toBe(true);
    expect(v114.documents.has("UnattendedInstall")).toBe(false);
  });
});
