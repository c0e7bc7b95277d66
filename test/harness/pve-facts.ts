/** Plain Proxmox fact values for check table tests, parsed with the real response schemas. */
import { readFileSync } from "node:fs";
import type { PerSubject, TalosVm } from "../../src/sources/proxmox/facts.ts";
import { clusterVm, nodeStorage, pveNode, pveTask, qemuConfig, type NodeStorage, type PveNode, type PveTask, type QemuConfig } from "../../src/sources/proxmox/responses.ts";
import type { SourceError } from "../../src/sources/source-error.ts";

export function perSubject<T>(values: Record<string, T>, errors: Record<string, SourceError> = {}): PerSubject<T> {
  return { values: new Map(Object.entries(values)), errors: new Map(Object.entries(errors)) };
}

/** A VM the provider made, as the VM list shows it. */
export function talosVm(vmid: number, o: { node?: string; name?: string; lock?: string; hastate?: string; status?: string } = {}): TalosVm {
  const set = "lab-workers";
  return {
    ...clusterVm.parse({ vmid, node: o.node ?? "pve1", type: "qemu", name: o.name ?? `${set}-${vmid}`, status: o.status ?? "running", tags: `go-proxmox+cloud-init;machine-request.${set}`, template: 0, lock: o.lock, hastate: o.hastate }),
    identifiedBy: `tagged machine-request.${set} by the Omni provider`,
  };
}

export const node = (name: string, status = "online"): PveNode => pveNode.parse({ node: name, status, ssl_fingerprint: "AA:BB" });

export function storage(o: { storage: string; type?: string; content?: string; enabled?: 0 | 1; active?: 0 | 1; availGb?: number }): NodeStorage {
  return nodeStorage.parse({ storage: o.storage, type: o.type ?? "lvmthin", content: o.content ?? "images,rootdir", enabled: o.enabled ?? 1, active: o.active ?? 1, shared: 0, avail: (o.availGb ?? 500) * 1024 ** 3, total: 1000 * 1024 ** 3 });
}

export function task(o: { node?: string; type: string; id: string; starttime: number; endtime?: number | null; status?: string | null; user?: string; tokenid?: string }): PveTask {
  const node = o.node ?? "pve1";
  const user = o.user ?? "omni@pve";
  return pveTask.parse({
    upid: `UPID:${node}:0000BC47:05702327:${o.starttime.toString(16).toUpperCase()}:${o.type}:${o.id}:${user}${o.tokenid === undefined ? "!provider" : o.tokenid ? `!${o.tokenid}` : ""}:`,
    node,
    type: o.type,
    id: o.id,
    user,
    tokenid: o.tokenid === undefined ? "provider" : o.tokenid || undefined,
    starttime: o.starttime,
    endtime: o.endtime === null ? undefined : (o.endtime ?? o.starttime + 5),
    status: o.status === null ? undefined : (o.status ?? "OK"),
  });
}

export function configs(entries: Record<number, Record<string, unknown>>, errors: Record<number, SourceError> = {}): PerSubject<QemuConfig> {
  return { values: new Map(Object.entries(entries).map(([id, c]) => [id, qemuConfig.parse(c)])), errors: new Map(Object.entries(errors)) };
}

/** The config the provider creates by default; it must never fail (CATALOG severity policy). */
export const PROVIDER_DEFAULT_CONFIG = (JSON.parse(readFileSync(new URL("../../fixtures/samples/proxmox/omni-vm-config.expected.constructed.json", import.meta.url), "utf8")) as { data: Record<string, unknown> }).data;

/** A sample response body from fixtures/samples/proxmox (the `data` member). */
export function sample<T = unknown>(name: string): T {
  return (JSON.parse(readFileSync(new URL(`../../fixtures/samples/proxmox/${name}`, import.meta.url), "utf8")) as { data: T }).data;
}

/** Seconds since the epoch of TEST_NOW (2026-11-20T10:00:00Z) minus `hours`. */
export const hoursAgo = (hours: number) => Math.floor(new Date("2026-11-20T10:00:00Z").getTime() / 1000 - hours * 3600);
