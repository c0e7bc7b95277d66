import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { kit as kitFact } from "../../src/sources/kit/facts.ts";
import { nodeNetworks, nodes, onlineNodeNames, pciMappings, sdnVnets } from "../../src/sources/proxmox/facts.ts";
import { nodesFor, providerClasses, type ProviderClass } from "../../src/sources/proxmox/provider-classes.ts";
import { editProviderData } from "../../src/sources/kit/providerdata-edit.ts";
import type { Fix, FixStep, Location } from "../../src/model/result.ts";
import { editStep } from "../../src/sources/kit/text-edit.ts";

const BRIDGE_TYPES = new Set(["bridge", "OVSBridge"]);

/** The nodes a PCI mapping has a device on (`map` entries are `node=pve1,path=...,id=...`). */
const mappingNodes = (map: readonly string[]) => new Set(map.map((entry) => /(?:^|,)node=([^,]+)/.exec(entry)?.[1]).filter((n): n is string => Boolean(n)));

interface Problem {
  subject: string;
  location: Location | undefined;
  messages: string[];
  evidence: string[];
  steps: FixStep[];
  /** The fix changes the class, so it has to be applied to Omni afterwards. */
  file: string | undefined;
}

export default defineCheck({
  meta: {
    id: "machine-class/placement",
    title: "A machine class names a node, bridge or PCI mapping Proxmox does not have",
    severity: "error",
    sources: ["files", "pve"],
    symptoms: ['specified node "<node>" not found in cluster', 'specified node "<node>" is not online', "bridge '<bridge>' does not exist", "no such bridge", "PCI mapping '<mapping>' not found", "no mapping found for node"],
    fixable: ["edit", "command", "manual"],
  },
  facts: { kit: kitFact, nodes, networks: nodeNetworks, pci: optional(pciMappings), vnets: optional(sdnVnets) },
  run({ kit, nodes, networks, pci, vnets }) {
    const classes = providerClasses(kit);
    if (classes.length === 0) return [skip("no machine classes with Proxmox providerdata in the kit")];
    const online = onlineNodeNames(nodes);
    const problems = new Map<string, Problem>();
    const problem = (cls: ProviderClass, subject: string, path: Array<string | number>): Problem => {
      const existing = problems.get(subject);
      if (existing) return existing;
      const created: Problem = { subject, location: cls.doc.providerData?.locate(path), messages: [], evidence: [], steps: [], file: undefined };
      problems.set(subject, created);
      return created;
    };
    const findings: Finding[] = [];
    for (const [node, error] of networks.errors) findings.push({ status: error.status, subject: `Proxmox node ${node}`, message: `its network interfaces could not be read: ${error.describe()}` });

    for (const cls of classes) {
      const file = cls.doc.file.path;
      if (cls.node) {
        const pinned = nodes.find((n) => n.node === cls.node!.name);
        if (!pinned || pinned.status !== "online") {
          const p = problem(cls, `machine class ${cls.id}`, cls.node.path);
          p.messages.push(pinned ? `is pinned to node ${cls.node.name}, which is ${pinned.status}: the provider fails with "specified node is not online"` : `is pinned to node ${cls.node.name}, which is not in the cluster: the provider fails with "specified node not found in cluster"`);
          p.evidence.push(`node: ${cls.node.name}`, `nodes: ${nodes.map((n) => `${n.node} (${n.status})`).join(", ")}`);
          p.steps.push({ kind: "manual", description: `set node to one of ${online.join(", ") || "the online nodes"} in ${file}, or remove it to let the provider choose`, destructive: false });
          p.file = file;
        }
      }
      const targets = nodesFor(cls, online);
      const known = targets.filter((node) => networks.values.has(node));
      const bridgesOn = (node: string) => (networks.values.get(node) ?? []).filter((i) => BRIDGE_TYPES.has(i.type)).map((i) => i.iface);
      // A bridge every node of the class has is the safe replacement.
      const common = known.length > 0 ? bridgesOn(known[0]!).find((b) => known.every((node) => bridgesOn(node).includes(b))) : undefined;
      const unsure = vnets.ok ? "" : ` (SDN VNets could not be listed: ${vnets.error.describe()})`;
      for (const bridge of cls.bridges) {
        if (vnets.ok && vnets.value.includes(bridge.name)) continue;
        const missingOn = known.filter((node) => !bridgesOn(node).includes(bridge.name));
        if (missingOn.length === 0) continue;
        // Missing on every node (a typo, a bridge never created) is one finding for the class, not one per node.
        const everywhere = known.length > 1 && missingOn.length === known.length;
        for (const node of everywhere ? [undefined] : missingOn) {
          const p = problem(cls, node ? `machine class ${cls.id} on ${node}` : `machine class ${cls.id}`, bridge.path);
          p.messages.push(node ? `uses bridge ${bridge.name}, which node ${node} does not have${unsure}: VMs placed there get no network` : `uses bridge ${bridge.name}, which none of its nodes (${known.join(", ")}) has${unsure}: its VMs get no network`);
          p.evidence.push(...(node ? [node] : known).map((n) => `bridges on ${n}: ${bridgesOn(n).join(", ") || "none"}`));
          const after = common ? editProviderData(cls.doc, bridge.path, common) : undefined;
          p.steps.push(
            editStep(cls.doc.file, `use bridge ${common}, which every node of this class has`, after) ?? {
              kind: "manual",
              description: `create bridge ${bridge.name} on ${node ?? known.join(", ")} (System → Network), or use a bridge every node has`,
              destructive: false,
            },
          );
          if (after) p.file = file;
        }
      }
      for (const { mapping, path } of pci.ok ? cls.pciMappings : []) {
        const found = pci.ok ? pci.value.find((m) => m.id === mapping) : undefined;
        if (!found) {
          const p = problem(cls, `machine class ${cls.id}, PCI mapping ${mapping}`, path);
          p.messages.push(`passes through PCI mapping ${mapping}, which does not exist (Datacenter → Resource Mappings)`);
          p.evidence.push(`PCI mappings: ${pci.ok ? pci.value.map((m) => m.id).join(", ") || "none" : "unknown"}`);
          p.steps.push({ kind: "manual", description: `create the PCI mapping ${mapping} (Datacenter → Resource Mappings), or correct the name in ${file}`, destructive: false });
          continue;
        }
        for (const node of targets.filter((n) => !mappingNodes(found.map).has(n))) {
          const p = problem(cls, `machine class ${cls.id} on ${node}`, path);
          p.messages.push(`passes through PCI mapping ${mapping}, which has no device on node ${node}: a VM placed there cannot start`);
          p.evidence.push(`mapping ${mapping}: ${found.map.join(" | ")}`);
          p.steps.push({ kind: "manual", description: `add ${node}'s device to mapping ${mapping}, or pin the class to a node that has it (node: in the providerdata)`, destructive: false });
        }
      }
      if (cls.pciMappings.length > 0 && !pci.ok) findings.push({ status: pci.error.status, subject: `machine class ${cls.id}`, message: `its PCI mappings could not be checked: ${pci.error.describe()}` });
    }
    for (const p of problems.values()) {
      const steps = p.file ? [...p.steps, { kind: "command" as const, description: "apply the changed machine class to Omni", argv: ["omnictl", "apply", "-f", p.file], destructive: false }] : p.steps;
      const fix: Fix = { summary: "Make the machine class match what Proxmox has", steps };
      findings.push({ subject: p.subject, message: p.messages.join("; it "), evidence: [...new Set(p.evidence)], fix, ...(p.location ? { location: p.location } : {}) });
    }
    return findings.length > 0 ? findings : [pass(`${classes.length} machine class(es): pinned nodes online, bridges and PCI mappings present on every node they may use`)];
  },
});
