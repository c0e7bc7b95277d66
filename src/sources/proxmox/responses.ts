/**
 * Proxmox API response shapes. PVE sends booleans as 0/1 and numbers sometimes as strings
 * (`memory: "4096"` since 8.1): accept both everywhere (reference/proxmox.md §2.1).
 */
import { z } from "zod";

export const pveBool = z.union([z.boolean(), z.number(), z.string()]).nullish().transform((v) => v === true || v === 1 || v === "1");
export const pveNumber = z.union([z.number(), z.string()]).nullish().transform((v) => (v === null || v === undefined || v === "" ? undefined : Number(v)));
/** A comma-separated PVE list (`content: "images,rootdir"`) as an array. */
const pveList = z.string().nullish().transform((v) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : []));

export const pveVersion = z.looseObject({
  version: z.string(),
  release: z.string().nullish(),
  repoid: z.string().nullish(),
});
export type PveVersion = z.infer<typeof pveVersion>;

export const pveNode = z.looseObject({
  node: z.string(),
  status: z.string().default("unknown"),
  maxmem: pveNumber,
  mem: pveNumber,
  ssl_fingerprint: z.string().nullish(),
});
export type PveNode = z.infer<typeof pveNode>;

/** GET /cluster/status: a `cluster` row (absent on a standalone node) and one row per node. */
export const clusterStatusEntry = z.looseObject({
  type: z.string(),
  name: z.string().nullish(),
  online: pveBool,
  quorate: pveBool,
  nodes: pveNumber,
});
export type ClusterStatusEntry = z.infer<typeof clusterStatusEntry>;

export const clusterVm = z.looseObject({
  vmid: pveNumber.pipe(z.number()),
  node: z.string(),
  type: z.string(),
  name: z.string().nullish().transform((n) => n ?? ""),
  status: z.string().nullish(),
  tags: z.string().nullish().transform((t) => (t ? t.split(/[;,\s]+/).filter(Boolean) : [])),
  template: pveBool,
  lock: z.string().nullish(),
  /** Present when HA manages the VM (`started`, `stopped`, `error`...). */
  hastate: z.string().nullish(),
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

/** GET /access/permissions: path → privilege → 1 (propagates to sub-paths) or 0 (this path only). */
export const permissionTree = z.record(z.string(), z.record(z.string(), pveNumber.pipe(z.number())));

/** GET /nodes/{node}/storage: every storage the node may list, in PVE's (unstable) order. */
export const nodeStorage = z.looseObject({
  storage: z.string(),
  type: z.string(),
  content: pveList,
  // PVE always sends `enabled`; should it be missing, the storage is not known to be disabled.
  enabled: z.union([z.boolean(), z.number(), z.string()]).nullish().transform((v) => v === undefined || v === null || v === true || v === 1 || v === "1"),
  active: pveBool,
  shared: pveBool,
  avail: pveNumber,
  total: pveNumber,
});
export type NodeStorage = z.infer<typeof nodeStorage>;

/** GET /nodes/{node}/network: interfaces, bridges among them (`bridge`, `OVSBridge`). */
export const networkInterface = z.looseObject({
  iface: z.string(),
  type: z.string(),
  active: pveBool,
});
export type NetworkInterface = z.infer<typeof networkInterface>;

/** GET /nodes/{node}/tasks: `status` is the exit status text once the task ended (`OK`, `WARNINGS: n`, or the error). */
export const pveTask = z.looseObject({
  upid: z.string(),
  node: z.string(),
  type: z.string(),
  id: z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? "" : String(v))),
  user: z.string().nullish().transform((v) => v ?? ""),
  tokenid: z.string().nullish(),
  starttime: pveNumber.pipe(z.number()),
  endtime: pveNumber,
  status: z.string().nullish(),
});
export type PveTask = z.infer<typeof pveTask>;

/** GET /cluster/mapping/pci: `map` entries are property strings `node=pve1,path=0000:01:00.0,id=10de:2204`. */
export const pciMapping = z.looseObject({
  id: z.string(),
  description: z.string().nullish(),
  map: z
    .union([z.array(z.string()), z.string()])
    .nullish()
    .transform((m) => (Array.isArray(m) ? m : m ? [m] : [])),
});
export type PciMapping = z.infer<typeof pciMapping>;

/** GET /cluster/sdn/vnets: SDN virtual networks, usable as a VM's bridge. */
export const sdnVnet = z.looseObject({ vnet: z.string(), zone: z.string().nullish() });
