/** Facts read from Omni through omnictl. */
import { defineFact } from "../../engine/fact.ts";
import type { OmniResource } from "./omnictl.ts";
import {
  clusterMachineRequestStatusSpec,
  clusterMachineStatusSpec,
  clusterSpec,
  clusterStatusSpec,
  configPatchSpec,
  etcdBackupOverallStatusSpec,
  etcdBackupStatusSpec,
  infraProviderCombinedStatusSpec,
  machineClassSpec,
  machineSetStatusSpec,
  machineSpec,
  machineStatusSpec,
  siderolinkApiConfigSpec,
  sysVersionSpec,
  talosVersionSpec,
  TYPES,
  bareVersion,
} from "./resources.ts";
import { SourceError } from "../source-error.ts";
import { INFRA_PROVIDER_NAMESPACE, MACHINE_REQUEST_STATUSES, providerMachineRequestSpec, type ProviderMachineRequest } from "./provider-requests.ts";
import type { RunContext } from "../../engine/context.ts";
import semver from "semver";
import type { z } from "zod";

export type ClusterMachineStatus = OmniResource<z.infer<typeof clusterMachineStatusSpec>>;
export type OmniMachine = OmniResource<z.infer<typeof machineSpec>>;

/** A cluster machine on its way out: a destroying stage, or torn down (its stuck form is omni/stuck-destroying's). */
export function isBeingDestroyed(cms: ClusterMachineStatus): boolean {
  return cms.spec.stage === "DESTROYING" || cms.spec.stage === "BEFORE_DESTROY" || cms.metadata.phase === "tearingDown";
}

export const clusterMachineStatuses = defineFact<ClusterMachineStatus[]>({
  id: "omni.clusterMachineStatuses",
  source: "omni",
  resolve: (ctx) => ctx.omni.get(TYPES.clusterMachineStatuses, clusterMachineStatusSpec, { clusterScoped: true }),
});

export const machines = defineFact<OmniMachine[]>({
  id: "omni.machines",
  source: "omni",
  resolve: (ctx) => ctx.omni.get(TYPES.machines, machineSpec),
});

/** The SideroLink API URL Omni advertises to machines (what new VMs must resolve and reach). */
export const siderolinkApiUrl = defineFact<string | undefined>({
  id: "omni.siderolinkApiUrl",
  source: "omni",
  resolve: async (ctx) => {
    const configs = await ctx.omni.get(TYPES.siderolinkApiConfigs, siderolinkApiConfigSpec);
    return configs.map((c) => c.spec.machineapiadvertisedurl).find((url) => url) || undefined;
  },
});

export type OmniMachineStatus = OmniResource<z.infer<typeof machineStatusSpec>>;
export type OmniCluster = OmniResource<z.infer<typeof clusterSpec>>;
export type ClusterStatus = OmniResource<z.infer<typeof clusterStatusSpec>>;
export type MachineSetStatus = OmniResource<z.infer<typeof machineSetStatusSpec>>;
export type ClusterMachineRequestStatus = OmniResource<z.infer<typeof clusterMachineRequestStatusSpec>>;
export type InfraProviderStatus = OmniResource<z.infer<typeof infraProviderCombinedStatusSpec>>;
export type OmniMachineClass = OmniResource<z.infer<typeof machineClassSpec>>;
export type TalosVersion = OmniResource<z.infer<typeof talosVersionSpec>>;
export type ConfigPatch = OmniResource<unknown>;
export type EtcdBackupStatus = OmniResource<z.infer<typeof etcdBackupStatusSpec>>;

export interface OmniVersion {
  /** The backend's release, without the leading `v` (`1.10.4`). */
  version: string;
  instance: string;
  /** omnictl's warnings, e.g. that its own version differs from the backend's. */
  warnings: string[];
}

/** The Omni backend's version; asking it is also how omnictl proves its credentials first. */
export const omniVersion = defineFact<OmniVersion>({
  id: "omni.version",
  source: "omni",
  resolve: async (ctx) => {
    const { resources, warnings } = await ctx.omni.list(TYPES.sysVersions, sysVersionSpec);
    const spec = resources[0]?.spec;
    if (!spec?.backendversion) throw new SourceError("omni", "unexpected-output", `omnictl get ${TYPES.sysVersions}: no backend version in the answer`);
    return { version: bareVersion(spec.backendversion), instance: spec.instancename ?? "", warnings };
  },
});

/**
 * The Omni release to assume when `--omni-version` is not given: the backend's own, asked once
 * (the fact is shared with omni/auth, so the run makes no extra call). Undefined when Omni does not answer.
 */
export async function detectOmniVersion(ctx: RunContext): Promise<string | undefined> {
  const found = await ctx.tryFact(omniVersion);
  return found.ok ? (semver.valid(semver.coerce(found.value.version)) ?? undefined) : undefined;
}

/** Every machine's status (Talos version, connection, cluster), all clusters: drift and orphans need them all. */
export const machineStatuses = defineFact<OmniMachineStatus[]>({
  id: "omni.machineStatuses",
  source: "omni",
  resolve: (ctx) => ctx.omni.get(TYPES.machineStatuses, machineStatusSpec),
});

export const clusters = defineFact<OmniCluster[]>({
  id: "omni.clusters",
  source: "omni",
  resolve: (ctx) => ctx.omni.get(TYPES.clusters, clusterSpec, { clusterId: true }),
});

export const clusterStatuses = defineFact<ClusterStatus[]>({
  id: "omni.clusterStatuses",
  source: "omni",
  resolve: (ctx) => ctx.omni.get(TYPES.clusterStatuses, clusterStatusSpec, { clusterId: true }),
});

export const machineSetStatuses = defineFact<MachineSetStatus[]>({
  id: "omni.machineSetStatuses",
  source: "omni",
  resolve: (ctx) => ctx.omni.get(TYPES.machineSetStatuses, machineSetStatusSpec, { clusterScoped: true }),
});

export const machineRequests = defineFact<ClusterMachineRequestStatus[]>({
  id: "omni.machineRequests",
  source: "omni",
  resolve: (ctx) => ctx.omni.get(TYPES.clusterMachineRequestStatuses, clusterMachineRequestStatusSpec, { clusterScoped: true }),
});

export const infraProviders = defineFact<InfraProviderStatus[]>({
  id: "omni.infraProviders",
  source: "omni",
  resolve: (ctx) => ctx.omni.get(TYPES.infraProviderCombinedStatuses, infraProviderCombinedStatusSpec),
});

export const machineClasses = defineFact<OmniMachineClass[]>({
  id: "omni.machineClasses",
  source: "omni",
  resolve: (ctx) => ctx.omni.get(TYPES.machineClasses, machineClassSpec),
});

export const talosVersions = defineFact<TalosVersion[]>({
  id: "omni.talosVersions",
  source: "omni",
  resolve: (ctx) => ctx.omni.get(TYPES.talosVersions, talosVersionSpec),
});

export const configPatches = defineFact<ConfigPatch[]>({
  id: "omni.configPatches",
  source: "omni",
  resolve: (ctx) => ctx.omni.get(TYPES.configPatches, configPatchSpec),
});

export interface EtcdBackups {
  /** One per cluster with backups, keyed by cluster ID. */
  statuses: EtcdBackupStatus[];
  /** Why the backup store cannot be used (e.g. no S3 configuration), or "". */
  storeError: string;
}

export const etcdBackups = defineFact<EtcdBackups>({
  id: "omni.etcdBackups",
  source: "omni",
  resolve: async (ctx) => {
    const [statuses, overall] = await Promise.all([
      ctx.omni.get(TYPES.etcdBackupStatuses, etcdBackupStatusSpec, { clusterId: true }),
      ctx.omni.get(TYPES.etcdBackupOverallStatuses, etcdBackupOverallStatusSpec),
    ]);
    return { statuses, storeError: overall[0]?.spec.configurationerror ?? "" };
  },
});

/** What the provider reported for each machine request (which VMs are Talos VMs, and their errors). */
export const providerMachineRequests = defineFact<ProviderMachineRequest[]>({
  id: "omni.providerMachineRequests",
  source: "omni",
  resolve: (ctx) => ctx.omni.get(MACHINE_REQUEST_STATUSES, providerMachineRequestSpec, { namespace: INFRA_PROVIDER_NAMESPACE }),
});
