/**
 * Nodes talosctl could not read, as check results: one per node, except an error talosctl ≤ 1.13
 * could not pin on one node (the same text for every node that printed nothing), which is one
 * result for all of them rather than a flood.
 */
import type { Finding } from "../../engine/check.ts";

export function unreadNodes(nodeErrors: Record<string, string>, what: string): Finding[] {
  const byMessage = new Map<string, string[]>();
  for (const [node, error] of Object.entries(nodeErrors)) byMessage.set(error, [...(byMessage.get(error) ?? []), node]);
  return [...byMessage].map(([error, nodes]) => ({
    status: "error" as const,
    subject: nodes.length === 1 ? `node ${nodes[0]}` : `nodes ${nodes.join(", ")}`,
    message: `talosctl could not read ${nodes.length === 1 ? "its" : "their"} ${what}: ${error}`,
  }));
}
