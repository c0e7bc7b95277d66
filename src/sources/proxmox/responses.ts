/**
 * Proxmox API response shapes. PVE sends booleans as 0/1 and numbers sometimes as strings
 * (`memory: "4096"` since 8.1): accept both everywhere (reference/proxmox.md §2.1).
 */
import { z } from "zod";

export const pveBool = z.union([z.boolean(), z.number(), z.string()]).nullish().transform((v) => v === true || v === 1 || v === "1");
export const pveNumber = z.union([z.number(), z.string()]).nullish().transform((v) => (v === null || v === undefined || v === "" ? undefined : Number(v)));

export const pveNode = z.looseObject({
  node: z.string(),
  status: z.string().default("unknown"),
  maxmem: pveNumber,
  mem: pveNumber,
});
export type PveNode = z.infer<typeof pveNode>;

export const clusterVm = z.looseObject({
  vmid: pveNumber.pipe(z.number()),
  node: z.string(),
  type: z.string(),
  name: z.string().nullish().transform((n) => n ?? ""),
  status: z.string().nullish(),
  tags: z.string().nullish().transform((t) => (t ? t.split(/[;,\s]+/).filter(Boolean) : [])),
  template: pveBool,
  lock: z.string().nullish(),
});
export type ClusterVm = z.infer<typeof clusterVm>;

/** A VM config is a flat map of option → value; values stay as PVE writes them. */
export const qemuConfig = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).transform((c) =>
  Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v === null ? "" : String(v)])),
);
export type QemuConfig = z.infer<typeof qemuConfig>;

export const nodeDns = z.looseObject({
  search: z.string().nullish(),
  dns1: z.string().nullish(),
  dns2: z.string().nullish(),
  dns3: z.string().nullish(),
});
