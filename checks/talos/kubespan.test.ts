import check from "./kubespan.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import type { KubeSpanPeers } from "../../src/sources/talos/facts.ts";

function peer(node: string, label: string, state: string, endpoint = "10.0.0.99:51820"): KubeSpanPeers["resources"][number] {
  return {
    node,
    metadata: { namespace: "kubespan", type: "KubeSpanPeerStatuses.kubespan.talos.dev", id: `${label}-key=`, phase: "running", labels: {} },
    spec: { label, state, endpoint, lastHandshakeTime: state === "up" ? "2026-11-20T09:59:00Z" : "0001-01-01T00:00:00Z" },
  };
}
const mesh = (down: Array<[string, string]> = []) => {
  const nodes = ["talos-cp-1", "talos-w-1", "talos-w-2"];
  return nodes.flatMap((a) => nodes.filter((b) => b !== a).map((b) => peer(a, b, down.some(([x, y]) => x === a && y === b) ? "down" : "up")));
};

testCheck(check, {
  valid: [
    { name: "all up", facts: { peers: { resources: mesh(), nodeErrors: {} } }, message: "6 KubeSpan peer link(s) up or settling" },
    { name: "a peer whose endpoint just changed is unknown, not down", facts: { peers: { resources: [...mesh(), peer("talos-cp-1", "talos-w-3", "unknown", "")], nodeErrors: {} } } },
  ],
  invalid: [
    {
      name: "003: one peer down from two nodes",
      facts: { peers: { resources: mesh([["talos-cp-1", "talos-w-2"], ["talos-w-1", "talos-w-2"]]), nodeErrors: {} } },
      results: [{ status: "fail", subject: "node talos-w-2", message: "is down as a KubeSpan peer of talos-cp-1, talos-w-1: no WireGuard handshake for over 4.5 minutes", evidence: ["talos-cp-1 → talos-w-2: down, endpoint 10.0.0.99:51820, last handshake never", /talos-w-1 → talos-w-2/], fix: ["manual", "manual"] }],
    },
    {
      name: "a node cut off sees everyone down; one node unreachable",
      facts: { peers: { resources: [peer("talos-w-2", "talos-cp-1", "down"), peer("talos-w-2", "talos-w-1", "down"), peer("talos-cp-1", "talos-w-1", "up")], nodeErrors: { "talos-w-3": "connection refused" } } },
      results: [
        { status: "fail", subject: "node talos-w-2", message: /sees all 2 of its KubeSpan peers down/ },
        { status: "error", subject: "node talos-w-3" },
      ],
    },
    {
      name: "talosctl 1.13 could not say which node failed: one result for the nodes it may be",
      facts: { peers: { resources: [], nodeErrors: Object.fromEntries(["talos-cp-1", "talos-w-1", "talos-w-2"].map((n) => [n, "connection refused (talosctl ≤ 1.13 does not say which node: 1 of talos-cp-1, talos-w-1, talos-w-2)"])) } },
      results: [{ status: "error", subject: "nodes talos-cp-1, talos-w-1, talos-w-2", message: /could not read their KubeSpan peers: connection refused/ }],
    },
  ],
  unavailable: [
    { name: "talosctl not installed", source: "talos", kind: "not-installed", status: "skip" },
    { name: "talosctl timed out", source: "talos", kind: "timeout", status: "error" },
  ],
});
