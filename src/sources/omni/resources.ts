/**
 * Omni resource specs as `omnictl get -o json` prints them: Go field names lowercased without
 * separators, zero values included, enums as integers (mapped to names here). Only the fields
 * checks read are declared; everything else passes through untouched.
 */
import { z } from "zod";
import { looseString } from "../exec-output.ts";

/** An integer enum (or, defensively, its name) mapped to the name. Unknown numbers stay visible. */
export function omniEnum<const N extends readonly string[]>(names: N) {
  return z
    .union([z.number().int(), z.string(), z.null()])
    .optional()
    .transform((v): N[number] | `UNKNOWN(${string})` => {
      if (v === null || v === undefined) return names[0]!;
      if (typeof v === "number") return names[v] ?? `UNKNOWN(${v})`;
      return (names as readonly string[]).includes(v) ? v : `UNKNOWN(${v})`;
    });
}

export const CLUSTER_MACHINE_STAGES = [
  "UNKNOWN",
  "BOOTING",
  "INSTALLING",
  "CONFIGURING",
  "RUNNING",
  "DESTROYING",
  "UPGRADING",
  "REBOOTING",
  "SHUTTING_DOWN",
  "BEFORE_DESTROY",
  "POWERING_ON",
  "POWERED_OFF",
] as const;

export const CONFIG_APPLY_STATUSES = ["UNKNOWN", "PENDING", "APPLIED", "FAILED"] as const;
export const CLUSTER_PHASES = ["UNKNOWN", "SCALING_UP", "SCALING_DOWN", "RUNNING", "DESTROYING"] as const;
export const MACHINE_SET_PHASES = ["Unknown", "ScalingUp", "ScalingDown", "Running", "Destroying", "Failed", "Reconfiguring", "Upgrading"] as const;
export const CLUSTER_MACHINE_REQUEST_STAGES = ["UNKNOWN", "PENDING", "PROVISIONING", "PROVISIONED", "DEPROVISIONING", "FAILED"] as const;
export const MACHINE_ROLES = ["NONE", "CONTROL_PLANE", "WORKER"] as const;
export const ETCD_BACKUP_STATUSES = ["Unknown", "Ok", "Error", "Running"] as const;

export const TYPES = {
  clusterMachineStatuses: "ClusterMachineStatuses.omni.sidero.dev",
  machines: "Machines.omni.sidero.dev",
  machineStatuses: "MachineStatuses.omni.sidero.dev",
  siderolinkApiConfigs: "SiderolinkAPIConfigs.omni.sidero.dev",
  /** Omni's own version; the call omnictl itself makes first, so it also proves the credentials. */
  sysVersions: "SysVersions.system.sidero.dev",
  clusters: "Clusters.omni.sidero.dev",
  clusterStatuses: "ClusterStatuses.omni.sidero.dev",
  machineSetStatuses: "MachineSetStatuses.omni.sidero.dev",
  /** Machine requests as users may read them (the infra-provider namespace is the providers' own). */
  clusterMachineRequestStatuses: "ClusterMachineRequestStatuses.omni.sidero.dev",
  infraProviderCombinedStatuses: "InfraProviderCombinedStatuses.omni.sidero.dev",
  machineClasses: "MachineClasses.omni.sidero.dev",
  talosVersions: "TalosVersions.omni.sidero.dev",
  configPatches: "ConfigPatches.omni.sidero.dev",
  etcdBackupStatuses: "EtcdBackupStatuses.omni.sidero.dev",
  etcdBackupOverallStatuses: "EtcdBackupOverallStatuses.omni.sidero.dev",
} as const;

/** A release without its `v` (`v1.12.4` → `1.12.4`): Omni writes versions both ways. */
export const bareVersion = (version: string | undefined) => (version ?? "").trim().replace(/^v/, "");

/** A protobuf Timestamp or Duration as omnictl prints it (`{seconds, nanos}`), in milliseconds; unset is undefined. */
export const protoMillis = z
  .looseObject({ seconds: z.union([z.number(), z.string()]).nullish(), nanos: z.number().nullish() })
  .nullish()
  .transform((t) => (t && t.seconds !== null && t.seconds !== undefined ? Number(t.seconds) * 1000 + Math.round((t.nanos ?? 0) / 1e6) : undefined));

const count = z.number().nullish().transform((n) => n ?? 0);

export const clusterMachineStatusSpec = z.looseObject({
  ready: z.boolean().nullish(),
  stage: omniEnum(CLUSTER_MACHINE_STAGES),
  managementaddress: looseString.optional(),
  lastconfigerror: looseString.optional(),
  configuptodate: z.boolean().nullish(),
  configapplystatus: omniEnum(CONFIG_APPLY_STATUSES),
  provisionstatus: z.looseObject({ providerid: looseString.optional(), requestid: looseString.optional() }).nullish(),
});

export const machineSpec = z.looseObject({
  managementaddress: looseString.optional(),
  connected: z.boolean().nullish(),
});

export const machineStatusSpec = z.looseObject({
  talosversion: looseString.optional(),
  connected: z.boolean().nullish(),
  maintenance: z.boolean().nullish(),
  cluster: looseString.optional(),
  role: omniEnum(MACHINE_ROLES),
  lasterror: looseString.optional(),
  managementaddress: looseString.optional(),
  network: z.looseObject({ hostname: looseString.optional() }).nullish(),
});

export const sysVersionSpec = z.looseObject({
  backendversion: looseString.optional(),
  instancename: looseString.optional(),
  backendapiversion: z.number().nullish(),
});

const machineCounts = z
  .looseObject({ total: count, healthy: count, connected: count, requested: count })
  .nullish()
  .transform((m) => m ?? { total: 0, healthy: 0, connected: 0, requested: 0 });

export const clusterSpec = z.looseObject({
  kubernetesversion: looseString.optional(),
  talosversion: looseString.optional(),
  backupconfiguration: z.looseObject({ interval: protoMillis, enabled: z.boolean().nullish() }).nullish(),
});

export const clusterStatusSpec = z.looseObject({
  available: z.boolean().nullish(),
  machines: machineCounts,
  phase: omniEnum(CLUSTER_PHASES),
  ready: z.boolean().nullish(),
  kubernetesapiready: z.boolean().nullish(),
  controlplaneready: z.boolean().nullish(),
  hasconnectedcontrolplanes: z.boolean().nullish(),
  talosversion: looseString.optional(),
  kubernetesversion: looseString.optional(),
});

export const machineSetStatusSpec = z.looseObject({
  phase: omniEnum(MACHINE_SET_PHASES),
  ready: z.boolean().nullish(),
  error: looseString.optional(),
  machines: machineCounts,
  machineallocation: z.looseObject({ name: looseString.optional(), machinecount: z.number().nullish() }).nullish(),
});

export const clusterMachineRequestStatusSpec = z.looseObject({
  status: looseString.optional(),
  machineuuid: looseString.optional(),
  providerid: looseString.optional(),
  stage: omniEnum(CLUSTER_MACHINE_REQUEST_STAGES),
  error: looseString.optional(),
});

export const infraProviderCombinedStatusSpec = z.looseObject({
  name: looseString.optional(),
  version: looseString.optional(),
  health: z.looseObject({ connected: z.boolean().nullish(), error: looseString.optional(), initialized: z.boolean().nullish() }).nullish(),
});

export const machineClassSpec = z.looseObject({
  matchlabels: z.array(z.string()).nullish(),
  autoprovision: z.looseObject({ providerid: looseString.optional() }).nullish(),
});

export const talosVersionSpec = z.looseObject({
  version: looseString.optional(),
  compatiblekubernetesversions: z.array(z.string()).nullish().transform((v) => v ?? []),
  deprecated: z.boolean().nullish(),
  unsupported: z.boolean().nullish(),
});

/** Only the IDs and labels of config patches are read: their content is sensitive. */
export const configPatchSpec = z.unknown();

export const etcdBackupStatusSpec = z.looseObject({
  status: omniEnum(ETCD_BACKUP_STATUSES),
  error: looseString.optional(),
  lastbackuptime: protoMillis,
  lastbackupattempt: protoMillis,
});

export const etcdBackupOverallStatusSpec = z.looseObject({
  configurationname: looseString.optional(),
  configurationerror: looseString.optional(),
});

export const siderolinkApiConfigSpec = z.looseObject({
  machineapiadvertisedurl: looseString.optional(),
  wireguardadvertisedendpoint: looseString.optional(),
});

/** The label Omni puts on ClusterMachineStatuses with the node's Kubernetes/Talos name. */
export const NODE_NAME_LABEL = "omni.sidero.dev/node-name";
export const CONTROL_PLANE_ROLE_LABEL = "omni.sidero.dev/role-controlplane";
export const MACHINE_SET_LABEL = "omni.sidero.dev/machine-set";
/** On Machines made by an infrastructure provider: the machine request they answer, and the provider. */
export const MACHINE_REQUEST_LABEL = "omni.sidero.dev/machine-request";
export const INFRA_PROVIDER_LABEL = "omni.sidero.dev/infra-provider-id";
/** On config patches Omni made from a provider's request: the machine they apply to. */
export const MACHINE_LABEL = "omni.sidero.dev/machine";
