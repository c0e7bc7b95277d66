import { defineCheck, pass, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { clusterStatus, nodes } from "../../src/sources/proxmox/facts.ts";

export default defineCheck({
  meta: {
    id: "proxmox/nodes-online",
    title: "A Proxmox node is offline",
    severity: "error",
    sources: ["pve"],
    symptoms: ['failed to get node "<node>", unexpected end of JSON input', 'specified node "<node>" is not online', "595 Errors during connection establishment, proxy handshake", "No route to host", "cluster not ready - no quorum"],
    fixable: ["manual"],
  },
  facts: { nodes, cluster: optional(clusterStatus) },
  run({ nodes, cluster }) {
    const findings: Finding[] = [];
    for (const node of nodes) {
      if (node.status === "online") continue;
      findings.push({
        // "unknown" is what a node looks like while the cluster has not heard from it: likely down, not certain.
        ...(node.status === "offline" ? {} : { severity: "warning" as const }),
        subject: `Proxmox node ${node.node}`,
        message: `is ${node.status}: the provider's automatic placement asks every node, so new VMs fail while it is down, and VMs pinned to it cannot be created`,
        evidence: [`GET /nodes: ${node.node} status ${node.status}`],
        fix: {
          summary: `Bring ${node.node} back, or remove it from the cluster`,
          steps: [
            { kind: "manual", description: `power on ${node.node} or restore its network; \`pvecm status\` on another node shows when it rejoins`, destructive: false },
            { kind: "manual", description: `if ${node.node} is gone for good, remove it from the cluster: \`pvecm delnode ${node.node}\` on a remaining node`, destructive: true },
          ],
        },
      });
    }
    const summary = cluster.ok ? cluster.value.find((e) => e.type === "cluster") : undefined;
    if (summary && !summary.quorate) {
      findings.push({
        subject: `Proxmox cluster ${summary.name ?? ""}`.trim(),
        message: "has lost quorum: /etc/pve is read-only, so no VM can be created, changed or started",
        evidence: [`GET /cluster/status: quorate 0, ${nodes.filter((n) => n.status === "online").length} of ${nodes.length} node(s) online`],
        fix: { summary: "Restore quorum", steps: [{ kind: "manual", description: "bring enough nodes back online for a majority of votes (`pvecm status` shows the votes); do not force `pvecm expected 1` unless the other nodes are gone", destructive: false }] },
      });
    }
    return findings.length > 0 ? findings : [pass(`${nodes.length} Proxmox node(s) online${summary ? ", cluster quorate" : ""}`)];
  },
});
