/**
 * Writes schemas/omni-doctor.schema.json, the JSON Schema of omni-doctor.yaml, from the zod schema
 * the CLI validates with (test/config.test.ts checks it is current):  node scripts/gen-config-schema.ts
 * Editors pick it up with `# yaml-language-server: $schema=<path or URL>/omni-doctor.schema.json`.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configSchemaJson } from "../src/config/json-schema.ts";

const target = fileURLToPath(new URL("../schemas/omni-doctor.schema.json", import.meta.url));
writeFileSync(target, configSchemaJson());
console.log(`wrote ${target}`);
