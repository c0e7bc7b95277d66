import check from "./nodes-online.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { node, sample } from "../../test/harness/pve-facts.ts";
import { z } from "zod";
import { clusterStatusEntry, pveNode } from "../../src/sources/proxmox/responses.ts";

const fourNodes = z.array(pveNode).parse(sample("nodes.pve8-4node.json"));
const fourNodeStatus = z.array(clusterStatusEntry).parse(sample("cluster-status.pve8-4node.json"));
const lostQuorum = fourNodeStatus.map((e) => (e.type === "cluster" ? { ...e, quorate: false } : e));

testCheck(check, {
  valid: [
    { name: "a real four-node cluster, quorate", facts: { nodes: fourNodes, cluster: fourNodeStatus }, message: "4 Proxmox node(s) online, cluster quorate" },
    { name: "a standalone node, no Sys.Audit on / for the cluster status", facts: { nodes: [node("pve")] }, message: "1 Proxmox node(s) online" },
  ],
  invalid: [
    {
      name: "one node offline breaks automatic placement",
      facts: { nodes: [node("pve1"), node("pve2", "offline"), node("pve3")] },
      results: [{ status: "fail", subject: "Proxmox node pve2", message: /is offline: the provider's automatic placement asks every node/, fix: ["manual", "manual"], satisfies: (r) => { if (!r.fix!.steps[1]!.destructive) throw new Error("delnode must be marked destructive"); } }],
    },
    { name: "a node the cluster has not heard from is a warning", facts: { nodes: [node("pve1"), node("pve2", "unknown")] }, results: [{ status: "warn", subject: "Proxmox node pve2", message: /is unknown/ }] },
    {
      name: "quorum lost",
      facts: { nodes: fourNodes.map((n, i) => (i < 2 ? { ...n, status: "offline" } : n)), cluster: lostQuorum },
      results: [{ status: "fail", subject: /node/ }, { status: "fail", subject: /node/ }, { status: "fail", subject: "Proxmox cluster clustername", message: /lost quorum/, evidence: [/2 of 4 node\(s\) online/] }],
    },
  ],
  unavailable: [
    { name: "no Proxmox credentials", source: "pve", kind: "not-configured", status: "skip" },
    { name: "the API does not answer in time", source: "pve", kind: "timeout", status: "error" },
  ],
});
