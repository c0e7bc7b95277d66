/** Facts read from the workload cluster through kubectl: one list per kind, shared by every check. */
import { defineFact } from "../../engine/fact.ts";
import { event, node, pod, type KubeEvent, type KubeNode, type KubePod } from "./objects.ts";

export const nodes = defineFact<KubeNode[]>({
  id: "kube.nodes",
  source: "kube",
  resolve: async (ctx) => (await ctx.kube.list("nodes", node, { namespaced: false })).items,
});

export const events = defineFact<KubeEvent[]>({
  id: "kube.events",
  source: "kube",
  resolve: async (ctx) => (await ctx.kube.list("events", event)).items,
});

export const pods = defineFact<KubePod[]>({
  id: "kube.pods",
  source: "kube",
  resolve: async (ctx) => (await ctx.kube.list("pods", pod)).items,
});
