/** Facts read from Talos nodes through talosctl, batched per resource type. */
import { z } from "zod";
import { defineFact } from "../../engine/fact.ts";
import type { RunContext } from "../../engine/context.ts";
import { clusterMachineStatuses, isBeingDestroyed } from "../omni/facts.ts";
import { CLUSTER_LABEL } from "../omni/omnictl.ts";
import { CONTROL_PLANE_ROLE_LABEL, NODE_NAME_LABEL } from "../omni/resources.ts";
import { nodes as kubeNodes } from "../kube/facts.ts";
import {
  addressStatusSpec,
  etcdMemberSpec,
  kubeSpanPeerStatusSpec,
  machineStatusSpec,
  parseServiceList,
  versionSpec,
  volumeStatusSpec,
  type ServiceRow,
} from "./resources.ts";
import type { TalosAnswer, TalosTarget } from "./talosctl.ts";

const KUBE_CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";

/**
 * Which nodes to ask, found without the user typing them: Omni's cluster machines (node names,
 * one target per cluster), else the Kubernetes nodes' internal IPs, else the talosconfig's nodes.
 */
export const targets = defineFact<TalosTarget[]>({
  id: "talos.targets",
  source: "talos",
  resolve: async (ctx) => {
    const omni = await ctx.tryFact(clusterMachineStatuses);
    if (omni.ok && omni.value.length > 0) {
      const byCluster = new Map<string, { nodes: string[]; controlPlanes: string[] }>();
      // Machines being torn down are going away: asking them only produces connection errors.
      for (const cms of omni.value.filter((c) => !isBeingDestroyed(c))) {
        const cluster = cms.metadata.labels[CLUSTER_LABEL] ?? "";
        const node = cms.metadata.labels[NODE_NAME_LABEL] || cms.metadata.id;
        const entry = byCluster.get(cluster) ?? { nodes: [], controlPlanes: [] };
        entry.nodes.push(node);
        if (CONTROL_PLANE_ROLE_LABEL in cms.metadata.labels) entry.controlPlanes.push(node);
        byCluster.set(cluster, entry);
      }
      return [...byCluster].map(([cluster, { nodes, controlPlanes }]) => ({ ...(cluster ? { cluster } : {}), nodes: nodes.sort(), controlPlanes: controlPlanes.sort() }));
    }
    const kube = await ctx.tryFact(kubeNodes);
    if (kube.ok && kube.value.length > 0) {
      const withIp = kube.value.flatMap((n) => {
        const ip = n.status.addresses.find((a) => a.type === "InternalIP")?.address;
        return ip ? [{ ip, controlPlane: KUBE_CONTROL_PLANE_LABEL in n.metadata.labels }] : [];
      });
      if (withIp.length > 0) return [{ nodes: withIp.map((n) => n.ip), controlPlanes: withIp.filter((n) => n.controlPlane).map((n) => n.ip) }];
    }
    return [{ nodes: [] }];
  },
});

/** Ask every target for one resource type and merge the answers. */
export async function getFromAllNodes<S extends z.ZodType>(ctx: RunContext, type: string, spec: S): Promise<TalosAnswer<z.infer<S>>> {
  const all = await ctx.fact(targets);
  const answers = await Promise.all(all.map((target) => ctx.talos.get(type, target, spec)));
  return {
    resources: answers.flatMap((a) => a.resources),
    nodeErrors: Object.assign({}, ...answers.map((a) => a.nodeErrors)),
  };
}

export type AddressStatuses = TalosAnswer<z.infer<typeof addressStatusSpec>>;

export const addresses = defineFact<AddressStatuses>({
  id: "talos.addresses",
  source: "talos",
  resolve: (ctx) => getFromAllNodes(ctx, "addresses", addressStatusSpec),
});

export type TalosMachineStatuses = TalosAnswer<z.infer<typeof machineStatusSpec>>;
export type VolumeStatuses = TalosAnswer<z.infer<typeof volumeStatusSpec>>;
export type KubeSpanPeers = TalosAnswer<z.infer<typeof kubeSpanPeerStatusSpec>>;
export type EtcdMembers = TalosAnswer<z.infer<typeof etcdMemberSpec>>;
export type TalosVersions = TalosAnswer<z.infer<typeof versionSpec>>;

export const machineStatuses = defineFact<TalosMachineStatuses>({
  id: "talos.machineStatuses",
  source: "talos",
  resolve: (ctx) => getFromAllNodes(ctx, "machinestatuses", machineStatusSpec),
});

export const volumeStatuses = defineFact<VolumeStatuses>({
  id: "talos.volumeStatuses",
  source: "talos",
  resolve: (ctx) => getFromAllNodes(ctx, "volumestatuses", volumeStatusSpec),
});

export const kubeSpanPeers = defineFact<KubeSpanPeers>({
  id: "talos.kubeSpanPeers",
  source: "talos",
  resolve: (ctx) => getFromAllNodes(ctx, "kubespanpeerstatuses", kubeSpanPeerStatusSpec),
});

/** Each control plane's own etcd member (`local`); asked of every node, workers have none. */
export const etcdMembers = defineFact<EtcdMembers>({
  id: "talos.etcdMembers",
  source: "talos",
  resolve: (ctx) => getFromAllNodes(ctx, "etcdmembers", etcdMemberSpec),
});

export const versions = defineFact<TalosVersions>({
  id: "talos.versions",
  source: "talos",
  resolve: (ctx) => getFromAllNodes(ctx, "versions", versionSpec),
});

export interface Services {
  rows: ServiceRow[];
  nodeErrors: Record<string, string>;
}

/** Every service of every node with its state and last event (`talosctl service`, one call). */
export const services = defineFact<Services>({
  id: "talos.services",
  source: "talos",
  resolve: async (ctx) => {
    const answers = await Promise.all((await ctx.fact(targets)).map((target) => ctx.talos.command(["service"], target)));
    return { rows: answers.flatMap((a) => parseServiceList(a.stdout)), nodeErrors: Object.assign({}, ...answers.map((a) => a.nodeErrors)) };
  },
});
