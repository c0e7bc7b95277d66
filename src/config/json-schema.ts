import { z } from "zod";
import { configSchema } from "./config-file.ts";

/** The JSON Schema (draft-07, what YAML editors understand best) of omni-doctor.yaml, as text. */
export function configSchemaJson(): string {
  const schema = z.toJSONSchema(configSchema, { target: "draft-7" });
  return `${JSON.stringify({ ...schema, $id: "https://github.com/omni-doctor/omni-doctor/blob/main/schemas/omni-doctor.schema.json", title: "omni-doctor.yaml" }, null, 2)}\n`;
}
