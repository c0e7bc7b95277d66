import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { unreadNodes } from "../../src/sources/talos/node-errors.ts";
import { kubeSpanPeers } from "../../src/sources/talos/facts.ts";
import type { Fix } from "../../src/model/result.ts";

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

const fix: Fix = {
  summary: "Let the nodes' WireGuard traffic through",
  steps: [
    { kind: "manual", description: "allow UDP 51820 between all nodes (host firewalls, the Proxmox firewall, any router between sites)", destructive: false },
    { kind: "manual", description: "check that the nodes reach the discovery service (discovery.talos.dev:443, or Omni's embedded one) so they learn each other's endpoints: `talosctl -n <node> get affiliates`", destructive: false },
  ],
};

export default defineCheck({
  meta: {
    id: "talos/kubespan",
    title: "KubeSpan peers are up",
    severity: "error",
    sources: ["talos"],
    symptoms: ["KubeSpan peer down", "state: down", "kubespan peer status down", "pods on different nodes cannot reach each other"],
    fixable: ["manual"],
  },
  facts: { peers: kubeSpanPeers },
  run({ peers }) {
    if (peers.resources.length === 0 && Object.keys(peers.nodeErrors).length === 0) return [skip("no KubeSpan peers: KubeSpan is not enabled")];
    const findings: Finding[] = [];
    const byReporter = groupBy(peers.resources, (p) => p.node);
    // A node that sees every peer down is itself cut off; otherwise blame each peer seen down.
    const isolated = new Set([...byReporter].filter(([, list]) => list.length >= 2 && list.every((p) => p.spec.state === "down")).map(([node]) => node));
    for (const node of isolated) {
      const list = byReporter.get(node)!;
      findings.push({ subject: `node ${node}`, message: `sees all ${list.length} of its KubeSpan peers down: its WireGuard traffic (UDP 51820) does not get through`, evidence: list.map((p) => `${p.spec.label || p.metadata.id}: down, endpoint ${p.spec.endpoint || "(none)"}`), fix });
    }
    const downByPeer = groupBy(
      peers.resources.filter((p) => p.spec.state === "down" && !isolated.has(p.node) && !isolated.has(p.spec.label ?? "")),
      (p) => p.spec.label || p.metadata.id,
    );
    for (const [peer, seen] of downByPeer) {
      findings.push({
        subject: `node ${peer}`,
        message: `is down as a KubeSpan peer of ${seen.map((p) => p.node).join(", ")}: no WireGuard handshake for over 4.5 minutes`,
        evidence: seen.map((p) => `${p.node} → ${peer}: down, endpoint ${p.spec.endpoint || "(none)"}, last handshake ${p.spec.lastHandshakeTime?.startsWith("0001-") ? "never" : p.spec.lastHandshakeTime}`),
        fix,
      });
    }
    findings.push(...unreadNodes(peers.nodeErrors, "KubeSpan peers"));
    return findings.length > 0 ? findings : [pass(`${peers.resources.length} KubeSpan peer link(s) up or settling`)];
  },
});
