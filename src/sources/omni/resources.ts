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

export const TYPES = {
  clusterMachineStatuses: "ClusterMachineStatuses.omni.sidero.dev",
  machines: "Machines.omni.sidero.dev",
  machineStatuses: "MachineStatuses.omni.sidero.dev",
  siderolinkApiConfigs: "SiderolinkAPIConfigs.omni.sidero.dev",
} as const;

export const clusterMachineStatusSpec = z.looseObject({
  ready: z.boolean().nullish(),
  stage: omniEnum(CLUSTER_MACHINE_STAGES),
  managementaddress: looseString.optional(),
  lastconfigerror: looseString.optional(),
});

export const machineSpec = z.looseObject({
  managementaddress: looseString.optional(),
  connected: z.boolean().nullish(),
});

export const machineStatusSpec = z.looseObject({
  talosversion: looseString.optional(),
  connected: z.boolean().nullish(),
  network: z.looseObject({ hostname: looseString.optional() }).nullish(),
});

export const siderolinkApiConfigSpec = z.looseObject({
  machineapiadvertisedurl: looseString.optional(),
  wireguardadvertisedendpoint: looseString.optional(),
});

/** The label Omni puts on ClusterMachineStatuses with the node's Kubernetes/Talos name. */
export const NODE_NAME_LABEL = "omni.sidero.dev/node-name";
