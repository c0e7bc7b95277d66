/** Facts read from Omni through omnictl. */
import { defineFact } from "../../engine/fact.ts";
import type { OmniResource } from "./omnictl.ts";
import { clusterMachineStatusSpec, machineSpec, siderolinkApiConfigSpec, TYPES } from "./resources.ts";
import { z } from "zod";

export type ClusterMachineStatus = OmniResource<z.infer<typeof clusterMachineStatusSpec>>;
export type OmniMachine = OmniResource<z.infer<typeof machineSpec>>;

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

/** The MachineClasses in Omni, by ID (template/machine-class-ref: does a template's machineClass.name exist?). */
export const machineClasses = defineFact<Array<OmniResource<Record<string, unknown>>>>({
  id: "omni.machineClasses",
  source: "omni",
  resolve: (ctx) => ctx.omni.get("MachineClasses.omni.sidero.dev", z.looseObject({})),
});
