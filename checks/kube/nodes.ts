import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { events, nodes } from "../../src/sources/kube/facts.ts";
import type { KubeEvent, KubeNode } from "../../src/sources/kube/objects.ts";
import type { Fix } from "../../src/model/result.ts";
import { internalIp } from "../../src/rules/kube-objects.ts";

interface Diagnosis {
  reason: string;
  fix: Fix;
}

/** Why a node is not Ready, from its Ready condition and the node's recent events. */
function diagnose(node: KubeNode, ready: KubeNode["status"]["conditions"][number] | undefined, nodeEvents: KubeEvent[]): Diagnosis {
  const message = `${ready?.reason ?? ""} ${ready?.message ?? ""}`;
  const talosNode = internalIp(node);
  if (/cni (plugin not initialized|config uninitialized)|NetworkPluginNotReady|network plugin is not ready/i.test(message)) {
    return {
      reason: "no CNI is running yet (the template sets `cluster.network.cni.name: none` or the CNI failed to start)",
      fix: {
        summary: "Install the CNI",
        steps: [
          { kind: "manual", description: "install the cluster's CNI (for Cilium on Omni: set MTU=1450, see kube/cilium-mtu), then wait for the cilium pods", destructive: false },
        ],
      },
    };
  }
  if (nodeEvents.some((e) => e.reason === "InvalidDiskCapacity")) {
    return {
      reason: "the kubelet reports InvalidDiskCapacity (image filesystem capacity 0): its container runtime state is broken",
      fix: { summary: "Restart the kubelet through Talos", steps: [{ kind: "command", description: `restart the kubelet on ${node.metadata.name}`, argv: ["talosctl", "--nodes", talosNode, "service", "kubelet", "restart"], destructive: false }] },
    };
  }
  if (ready?.status === "Unknown" || /Kubelet stopped posting node status|NodeStatusUnknown/i.test(message)) {
    return {
      reason: "the kubelet stopped reporting (kubelet down, or the node is off or unreachable)",
      fix: {
        summary: "Bring the kubelet back",
        steps: [
          { kind: "command", description: `see the kubelet's state on ${node.metadata.name}`, argv: ["talosctl", "--nodes", talosNode, "service", "kubelet"], destructive: false },
          { kind: "command", description: `restart the kubelet on ${node.metadata.name}`, argv: ["talosctl", "--nodes", talosNode, "service", "kubelet", "restart"], destructive: false },
        ],
      },
    };
  }
  return {
    reason: ready ? `Ready is ${ready.status}${ready.reason ? ` (${ready.reason})` : ""}` : "the node has no Ready condition yet",
    fix: { summary: "Read the kubelet's state", steps: [{ kind: "command", description: `see the kubelet's state on ${node.metadata.name}`, argv: ["talosctl", "--nodes", talosNode, "service", "kubelet"], destructive: false }] },
  };
}

export default defineCheck({
  meta: {
    id: "kube/nodes",
    title: "Kubernetes nodes not Ready",
    severity: "error",
    sources: ["kube"],
    symptoms: [
      "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
      "cni config uninitialized",
      "invalid capacity 0 on image filesystem",
      "InvalidDiskCapacity",
      "Kubelet stopped posting node status",
      "node is NotReady",
    ],
    fixable: ["command", "manual"],
  },
  facts: { nodes, events: optional(events) },
  run({ nodes, events }) {
    if (nodes.length === 0) return [skip("the cluster has no nodes")];
    const findings: Finding[] = [];
    for (const node of nodes) {
      // Only Ready decides: distribution-specific condition types are not failures (peers' top false positive).
      const ready = node.status.conditions.find((c) => c.type === "Ready");
      if (ready?.status === "True") continue;
      const nodeEvents = events.ok ? events.value.filter((e) => e.involvedObject.kind === "Node" && e.involvedObject.name === node.metadata.name) : [];
      const { reason, fix } = diagnose(node, ready, nodeEvents);
      findings.push({
        subject: `node ${node.metadata.name}`,
        message: `is NotReady: ${reason}`,
        evidence: [
          ...(ready ? [`Ready=${ready.status} reason=${ready.reason ?? ""} message=${ready.message ?? ""}`.trim()] : []),
          ...nodeEvents.filter((e) => e.type === "Warning").slice(0, 3).map((e) => `event ${e.reason}: ${e.message ?? ""}`),
        ],
        fix,
      });
    }
    return findings.length > 0 ? findings : [pass(`${nodes.length} node(s) Ready`)];
  },
});
