/** Facts read from the Proxmox VE API. */
import { z } from "zod";
import { defineFact } from "../../engine/fact.ts";
import type { RunContext } from "../../engine/context.ts";
import type { ProxmoxApi } from "./client.ts";
import { parseValue } from "../exec-output.ts";
import { SourceError, isSourceError } from "../source-error.ts";
import { clusterVm, nodeDns, pveNode, qemuConfig, type ClusterVm, type PveNode, type QemuConfig } from "./responses.ts";

async function get<S extends z.ZodType>(ctx: RunContext, what: string, schema: S, request: (api: ProxmoxApi) => Promise<unknown>): Promise<z.infer<S>> {
  return parseValue("pve", what, await ctx.pve.call(what, request), schema) as z.infer<S>;
}

/** Per-subject results of a fan-out: what answered, and why the rest did not. */
export interface PerSubject<T> {
  values: Map<string, T>;
  errors: Map<string, SourceError>;
}

async function perSubject<T>(subjects: string[], ask: (subject: string) => Promise<T>): Promise<PerSubject<T>> {
  const result: PerSubject<T> = { values: new Map(), errors: new Map() };
  await Promise.all(
    subjects.map(async (subject) => {
      try {
        result.values.set(subject, await ask(subject));
      } catch (error) {
        if (!isSourceError(error)) throw error;
        result.errors.set(subject, error);
      }
    }),
  );
  return result;
}

export const nodes = defineFact<PveNode[]>({
  id: "pve.nodes",
  source: "pve",
  resolve: (ctx) => get(ctx, "GET /nodes", z.array(pveNode), (api) => api.nodes.$get()),
});

export const vms = defineFact<ClusterVm[]>({
  id: "pve.vms",
  source: "pve",
  resolve: async (ctx) => {
    const all = await get(ctx, "GET /cluster/resources?type=vm", z.array(clusterVm), (api) => api.cluster.resources.$get({ type: "vm" }));
    return all.filter((vm) => vm.type === "qemu");
  },
});

/** The provider tags every VM it creates `machine-request.<set>` (reference/proxmox.md §3.6). */
export function isProviderVm(vm: ClusterVm): boolean {
  return !vm.template && vm.tags.some((tag) => tag.startsWith("machine-request."));
}

/** VMs that run Talos for Omni: made by the provider. Unrelated VMs on the same host are never judged. */
export const talosVms = defineFact<ClusterVm[]>({
  id: "pve.talosVms",
  source: "pve",
  resolve: async (ctx) => (await ctx.fact(vms)).filter(isProviderVm),
});

export const talosVmConfigs = defineFact<PerSubject<QemuConfig>>({
  id: "pve.talosVmConfigs",
  source: "pve",
  resolve: async (ctx) => {
    const byId = new Map((await ctx.fact(talosVms)).map((vm) => [String(vm.vmid), vm]));
    return perSubject([...byId.keys()], (vmid) => {
      const vm = byId.get(vmid)!;
      return get(ctx, `GET /nodes/${vm.node}/qemu/${vmid}/config`, qemuConfig, (api) => api.nodes.$(vm.node).qemu.$(vm.vmid).config.$get());
    });
  },
});

export interface NodeResolvers {
  dns1?: string;
  dns2?: string;
  dns3?: string;
}

/** Each online node's resolvers (what new VMs inherit through the provider's cloud-init). */
export const nodeResolvers = defineFact<PerSubject<string[]>>({
  id: "pve.nodeResolvers",
  source: "pve",
  resolve: async (ctx) => {
    const online = (await ctx.fact(nodes)).filter((n) => n.status === "online").map((n) => n.node);
    return perSubject(online, async (node) => {
      const dns = await get(ctx, `GET /nodes/${node}/dns`, nodeDns, (api) => api.nodes.$(node).dns.$get());
      return [dns.dns1, dns.dns2, dns.dns3].filter((s): s is string => Boolean(s));
    });
  },
});
