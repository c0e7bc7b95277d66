import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { unreadNodes } from "../../src/sources/talos/node-errors.ts";
import { addresses } from "../../src/sources/talos/facts.ts";

/** Links that are not the node's own network: loopback, Omni's tunnel, KubeSpan and CNI devices. */
const NOT_HOST_LINK = /^(lo|siderolink|kubespan|cilium|flannel|cni|vxlan|veth|lxc|docker|kube-ipvs|tunl|genev)/;

export default defineCheck({
  meta: {
    id: "talos/dual-ip",
    title: "Node has two IPv4 addresses on one link",
    severity: "error",
    sources: ["talos"],
    symptoms: [
      "node IP skipped, please use .machine.kubelet.nodeIP to provide explicit subnet for the node IP",
      "node IP skipped",
      "two IP addresses on one interface",
      "no suitable node IP found",
    ],
    fixable: ["manual"],
  },
  facts: { addresses },
  run({ addresses }) {
    const findings: Finding[] = [];
    const byLink = new Map<string, { node: string; link: string; addresses: string[] }>();
    for (const r of addresses.resources) {
      const link = r.spec.linkName ?? "";
      if (r.spec.family !== "inet4" || r.spec.scope !== "global" || NOT_HOST_LINK.test(link)) continue;
      // A /32 on a link is a shared VIP, not a second address of the node.
      if (r.spec.address.endsWith("/32")) continue;
      const key = `${r.node}\u0000${link}`;
      const entry = byLink.get(key) ?? { node: r.node, link, addresses: [] };
      entry.addresses.push(r.spec.address);
      byLink.set(key, entry);
    }
    for (const { node, link, addresses: addrs } of byLink.values()) {
      if (addrs.length < 2) continue;
      findings.push({
        subject: `node ${node}`,
        message: `${link} has ${addrs.length} IPv4 addresses (${addrs.join(", ")}): usually a static address plus a DHCP lease; the kubelet picks one and logs "node IP skipped"`,
        evidence: addrs.map((a) => `${node} ${link} ${a}`),
        fix: {
          summary: "Give the interface exactly one address source",
          steps: [
            {
              kind: "manual",
              description: `in the template patch that configures ${link} on ${node}, add \`dhcp: false\` next to its static addresses (or remove the static address and keep DHCP), then run \`omnictl cluster template sync -f <template>\``,
              destructive: false,
            },
          ],
        },
      });
    }
    findings.push(...unreadNodes(addresses.nodeErrors, "addresses"));
    const nodes = new Set(addresses.resources.map((r) => r.node));
    if (findings.length === 0 && nodes.size === 0) return [skip("talosctl returned no nodes")];
    return findings.length > 0 ? findings : [pass(`${nodes.size} node(s), one IPv4 address per link`)];
  },
});
