/** Facts read from the kit files (offline). */
import { defineFact } from "../../engine/fact.ts";
import type { Kit, KitYamlFile } from "./kit.ts";
import { templateFiles } from "./templates.ts";
import { manifestDocs, type ManifestDoc } from "./manifests.ts";

export const kit = defineFact<Kit>({
  id: "files.kit",
  source: "files",
  resolve: async (ctx) => ctx.kit(),
});

export const templates = defineFact<KitYamlFile[]>({
  id: "files.templates",
  source: "files",
  resolve: async (ctx) => templateFiles(await ctx.fact(kit)),
});

export const manifests = defineFact<ManifestDoc[]>({
  id: "files.manifests",
  source: "files",
  resolve: async (ctx) => manifestDocs(await ctx.fact(kit)),
});
