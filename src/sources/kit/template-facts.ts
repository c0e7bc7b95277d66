/** Facts about the kit's cluster templates and Talos patches (offline). */
import { readFileSync, statSync } from "node:fs";
import { defineFact } from "../../engine/fact.ts";
import { readTalosSchemaFiles, TalosSchemas } from "../../schema/talos-schemas.ts";
import { buildClusterTemplates, type BuildOptions, type ClusterTemplates } from "./cluster-templates.ts";
import { kit } from "./facts.ts";

/** Referenced files the kit walk did not read: another extension, a skipped folder, or outside the kit. */
const readFromDisk: NonNullable<BuildOptions["readFile"]> = (path) => {
  try {
    if (statSync(path).isDirectory()) return { state: "directory" };
    return { state: "file", text: readFileSync(path, "utf8") };
  } catch {
    return { state: "missing" };
  }
};

/** What template checks say when the kit has no cluster template (one text, so reports fold them together). */
export const NO_TEMPLATES = "no cluster templates in the kit";

export const clusterTemplates = defineFact<ClusterTemplates>({
  id: "files.clusterTemplates",
  source: "files",
  resolve: async (ctx) => {
    const files = await ctx.fact(kit);
    return buildClusterTemplates(files, { cwd: process.cwd(), readFile: readFromDisk });
  },
});

/**
 * The Talos machine-config schemas, read only when the kit has config patches to check (they
 * are 1.8 MB of JSON; building one minor's view takes a few milliseconds more on first use).
 */
export const talosSchemas = defineFact<TalosSchemas>({
  id: "files.talosSchemas",
  source: "files",
  resolve: async (ctx) => {
    const { templates, patchFiles } = await ctx.fact(clusterTemplates);
    const needed = patchFiles.length > 0 || templates.some((t) => t.patches.length > 0);
    return new TalosSchemas(needed ? readTalosSchemaFiles() : new Map());
  },
});
