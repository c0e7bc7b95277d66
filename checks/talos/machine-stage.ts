import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { unreadNodes } from "../../src/sources/talos/node-errors.ts";
import { machineStatuses } from "../../src/sources/talos/facts.ts";
import type { FixStep } from "../../src/model/result.ts";

/** What to look at for each of Talos' readiness conditions (reference/talos.md §2, MachineStatus). */
const CONDITION_ADVICE: Record<string, (node: string) => string> = {
  time: (node) => `time is not synced: check that ${node} reaches its NTP servers (\`talosctl -n ${node} get timeservers\`)`,
  network: (node) => `the network is not ready: look at its addresses, routes and resolvers (\`talosctl -n ${node} get addresses,routes,resolvers\`)`,
  services: (node) => `a required service is not running: \`talosctl -n ${node} service\` shows which and why (see talos/kubelet-zombie and talos/etcd)`,
  staticPods: (node) => `control-plane static pods are not running: \`talosctl -n ${node} get staticpodstatus\``,
  nodeReady: () => "Kubernetes does not report the node Ready (see kube/nodes for the reason)",
};

export default defineCheck({
  meta: {
    id: "talos/machine-stage",
    title: "Talos reports every node running and ready",
    severity: "warning",
    sources: ["talos"],
    symptoms: ["kubelet not running", "etcd not healthy", "time is not synced", "waiting on: address, connectivity, etc-files, hostname", "all nodes to finish boot sequence", "nodes are not running"],
    fixable: ["manual"],
  },
  facts: { statuses: machineStatuses },
  run({ statuses }) {
    const findings: Finding[] = [];
    for (const { node, spec } of statuses.resources) {
      const stage = spec.stage || "unknown";
      // Maintenance (not installed) is talos/not-installed's finding.
      if (stage === "maintenance") continue;
      const unmet = spec.status?.unmetConditions ?? [];
      const ready = spec.status?.ready !== false;
      if (stage === "running" && ready) continue;
      const steps: FixStep[] = unmet.map((c) => ({ kind: "manual", description: (CONDITION_ADVICE[c.name] ?? (() => `${c.name}: ${c.reason}`))(node), destructive: false }));
      findings.push({
        subject: `node ${node}`,
        message: `is ${stage === "running" ? "running but not ready" : `in stage ${stage}`}${unmet.length > 0 ? `: ${unmet.map((c) => `${c.name} (${c.reason})`).join(", ")}` : ""}`,
        evidence: [`stage: ${stage}`, `ready: ${ready}`, ...unmet.map((c) => `unmet: ${c.name}: ${c.reason}`)],
        fix: { summary: "Resolve what Talos is waiting for", steps: steps.length > 0 ? steps : [{ kind: "manual", description: `watch the node's console or \`talosctl -n ${node} dmesg\` while it moves through ${stage}`, destructive: false }] },
      });
    }
    findings.push(...unreadNodes(statuses.nodeErrors, "machine status"));
    if (findings.length === 0 && statuses.resources.length === 0) return [skip("talosctl returned no nodes")];
    return findings.length > 0 ? findings : [pass(`${statuses.resources.length} node(s) running and ready`)];
  },
});
