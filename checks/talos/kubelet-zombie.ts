import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { unreadNodes } from "../../src/sources/talos/node-errors.ts";
import { optional } from "../../src/engine/fact.ts";
import { services, targets } from "../../src/sources/talos/facts.ts";
import { nodes as kubeNodes, pods as kubePods } from "../../src/sources/kube/facts.ts";
import type { KubeNode } from "../../src/sources/kube/objects.ts";
import { rebootNode } from "../../src/fix/omni-talos-steps.ts";

/** Talos cannot start a new kubelet while containerd still has the old one's task (orphaned by a containerd crash). */
const ZOMBIE_EVENT = /cannot delete running task kubelet/;

/** Kubernetes' node for a Talos node string: its name (Omni talosconfig) or its InternalIP. */
function kubeNodeFor(node: string, nodes: readonly KubeNode[]): KubeNode | undefined {
  return nodes.find((n) => n.metadata.name === node || n.status.addresses.some((a) => a.type === "InternalIP" && a.address === node));
}

export default defineCheck({
  meta: {
    id: "talos/kubelet-zombie",
    title: "Kubelet is a zombie: failed in Talos, Ready in Kubernetes",
    severity: "error",
    sources: ["talos", "kube"],
    symptoms: [
      "Failed running service: error opening runner: error deleting old container instance: cannot delete running task kubelet: failed precondition",
      "cannot delete running task kubelet",
      "Node shows Ready but pods stuck in Pending",
      "service not running",
    ],
    fixable: ["command"],
  },
  facts: { services, targets, nodes: optional(kubeNodes), pods: optional(kubePods) },
  run({ services: all, targets: asked, nodes, pods }) {
    const kubelets = all.rows.filter((r) => r.service === "kubelet");
    const findings: Finding[] = [];
    for (const kubelet of kubelets) {
      const running = kubelet.state === "Running";
      const zombieEvent = ZOMBIE_EVENT.test(kubelet.lastEvent);
      if (running && !zombieEvent) continue;
      const kubeNode = nodes.ok ? kubeNodeFor(kubelet.node, nodes.value) : undefined;
      const ready = kubeNode?.status.conditions.find((c) => c.type === "Ready")?.status === "True";
      // Down in Talos and NotReady in Kubernetes is an honest outage (kube/nodes); the zombie keeps posting Ready.
      if (!zombieEvent && !ready) continue;
      const pending = pods.ok && kubeNode ? pods.value.filter((p) => p.spec.nodeName === kubeNode.metadata.name && p.status.phase === "Pending") : [];
      const cluster = asked.find((t) => t.nodes.includes(kubelet.node))?.cluster;
      const evidence = [
        `talosctl service: kubelet ${kubelet.state}, health ${kubelet.health}, last event: ${kubelet.lastEvent}`,
        ...(kubeNode ? [`kubectl: node ${kubeNode.metadata.name} Ready=${ready ? "True" : "not True"}`] : []),
        ...(pending.length > 0 ? [`${pending.length} pod(s) Pending on it: ${pending.slice(0, 5).map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(", ")}`] : []),
      ];
      const message = ready
        ? `kubelet is ${kubelet.state} in Talos while Kubernetes still reports the node Ready${pending.length > 0 ? ` and ${pending.length} pod(s) stay Pending on it` : ""}: an orphaned kubelet keeps posting status but starts nothing`
        : `kubelet is ${kubelet.state}: Talos cannot start a new one while containerd still holds the old kubelet's task`;
      findings.push({
        subject: `node ${kubelet.node}`,
        message,
        evidence,
        fix: {
          summary: `Reboot ${kubelet.node}`,
          steps: [rebootNode(kubelet.node, cluster, "reboot the node: the cleanest way to get rid of the orphaned kubelet and containerd-shim")],
        },
      });
    }
    findings.push(...unreadNodes(all.nodeErrors, "services"));
    if (findings.length === 0 && kubelets.length === 0) return [skip("talosctl listed no kubelet on any node")];
    return findings.length > 0 ? findings : [pass(`${kubelets.length} node(s): kubelet running, or down where Kubernetes agrees`)];
  },
});
