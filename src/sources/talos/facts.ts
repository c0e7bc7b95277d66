/** Facts read from Talos nodes through talosctl, batched per resource type. */
import { z } from "zod";
import { defineFact } from "../../engine/fact.ts";
import type { RunContext } from "../../engine/context.ts";
import { clusterMachineStatuses } from "../omni/facts.ts";
import { CLUSTER_LABEL } from "../omni/omnictl.ts";
import { NODE_NAME_LABEL } from "../omni/resources.ts";
import { nodes as kubeNodes } from "../kube/facts.ts";
import { addressStatusSpec } from "./resources.ts";
import type { TalosAnswer, TalosTarget } from "./talosctl.ts";

const GOING_AWAY = new Set(["DESTROYING", "BEFORE_DESTROY"]);

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
      const byCluster = new Map<string, string[]>();
      // Machines being torn down are going away: asking them only produces connection errors.
      for (const cms of omni.value.filter((c) => !GOING_AWAY.has(c.spec.stage) && c.metadata.phase !== "tearingDown")) {
        const cluster = cms.metadata.labels[CLUSTER_LABEL] ?? "";
        const node = cms.metadata.labels[NODE_NAME_LABEL] || cms.metadata.id;
        byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), node]);
      }
      return [...byCluster].map(([cluster, nodes]) => (cluster ? { cluster, nodes: nodes.sort() } : { nodes: nodes.sort() }));
    }
    const kube = await ctx.tryFact(kubeNodes);
    if (kube.ok && kube.value.length > 0) {
      const ips = kube.value.map((n) => n.status.addresses.find((a) => a.type === "InternalIP")?.address).filter((a): a is string => Boolean(a));
      if (ips.length > 0) return [{ nodes: ips }];
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
