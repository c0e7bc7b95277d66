/** Facts read from the kit files (offline). */
import { defineFact } from "../../engine/fact.ts";
import { registerSecret } from "../redact.ts";
import type { Kit, KitYamlFile } from "./kit.ts";
import { templateFiles } from "./templates.ts";
import { manifestDocs, type ManifestDoc } from "./manifests.ts";
import { machineClassDocs, type MachineClassDoc } from "./machine-classes.ts";
import { deployment as deploymentOf, mountedFiles, type Deployment } from "./deployment.ts";
import { inspectMountedFiles, type MountedFileReport } from "./mounted-files.ts";
import { findPlaintextSecrets, type PlaintextSecret } from "./secrets.ts";

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

export const machineClasses = defineFact<MachineClassDoc[]>({
  id: "files.machineClasses",
  source: "files",
  resolve: async (ctx) => machineClassDocs(await ctx.fact(kit)),
});

/** The Omni and provider services of the kit's compose files, with their effective settings. */
export const deployment = defineFact<Deployment>({
  id: "files.deployment",
  source: "files",
  resolve: async (ctx) => deploymentOf(await ctx.fact(kit)),
});

/** The etcd key and TLS certificates Omni mounts from the host, read and inspected, by host path. */
export const mountedFileReports = defineFact<Record<string, MountedFileReport>>({
  id: "files.mountedFiles",
  source: "files",
  resolve: async (ctx) => inspectMountedFiles(mountedFiles(await ctx.fact(deployment))),
});

/** Credentials written in committed files. Their values are registered as secrets so no report shows them. */
export const plaintextSecrets = defineFact<Array<Omit<PlaintextSecret, "value">>>({
  id: "files.plaintextSecrets",
  source: "files",
  resolve: async (ctx) =>
    findPlaintextSecrets(await ctx.fact(kit)).map(({ value, ...rest }) => {
      registerSecret(value);
      return rest;
    }),
});
