/** Template facts for check tests: kits from strings, parsed exactly as real ones, and the shipped Talos schemas. */
import { buildClusterTemplates, type BuildOptions, type ClusterTemplates } from "../../src/sources/kit/cluster-templates.ts";
import { readTalosSchemaFiles, TalosSchemas } from "../../src/schema/talos-schemas.ts";
import { kitFrom } from "./check-tester.ts";

let schemas: TalosSchemas | undefined;

/** The schemas in schemas/talos, read once per test file. */
export function talosSchemasForTests(): TalosSchemas {
  return (schemas ??= new TalosSchemas(readTalosSchemaFiles()));
}

/** The clusterTemplates fact of a kit given as file texts (paths relative to the working directory `/cwd`). */
export function templatesFrom(files: Record<string, string>, options: BuildOptions = {}): ClusterTemplates {
  return buildClusterTemplates(kitFrom(files), options);
}
