import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { kit as kitFact } from "../../src/sources/kit/facts.ts";
import { nodeNetworks, nodes, onlineNodeNames, pciMappings, sdnVnets } from "../../src/sources/proxmox/facts.ts";
import { nodesFor, providerClasses, type ProviderClass } from "../../src/sources/proxmox/provider-classes.ts";
import { editProviderData } from "../../src/sources/kit/providerdata-edit.ts";
import type { Fix, FixStep, Location } from "../../src/model/result.ts";

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
      for (const node of targets) {
        const interfaces = networks.values.get(node);
        if (!interfaces) continue;
        const bridgesHere = interfaces.filter((i) => BRIDGE_TYPES.has(i.type)).map((i) => i.iface);
        for (const bridge of cls.bridges) {
          if (bridgesHere.includes(bridge.name) || (vnets.ok && vnets.value.includes(bridge.name))) continue;
          const p = problem(cls, `machine class ${cls.id} on ${node}`, bridge.path);
          const unsure = vnets.ok ? "" : ` (SDN VNets could not be listed: ${vnets.error.describe()})`;
          p.messages.push(`uses bridge ${bridge.name}, which node ${node} does not have${unsure}: VMs placed there get no network`);
          p.evidence.push(`bridges on ${node}: ${bridgesHere.join(", ") || "none"}`);
          const common = targets.length > 0 ? [...bridgesHere].find((b) => targets.every((t) => networks.values.get(t)?.some((i) => i.iface === b && BRIDGE_TYPES.has(i.type)) ?? false)) : undefined;
          const after = common ? editProviderData(cls.doc, bridge.path, common) : undefined;
          p.steps.push(
            after && common
              ? { kind: "edit", description: `use bridge ${common}, which every node of this class has`, file, destructive: false, edit: { file, before: cls.doc.file.text, after } }
              : { kind: "manual", description: `create bridge ${bridge.name} on ${node} (System → Network), or use a bridge every node has`, destructive: false },
          );
          if (after) p.file = file;
        }
        for (const { mapping, path } of cls.pciMappings) {
          if (!pci.ok) continue;
          const found = pci.value.find((m) => m.id === mapping);
          if (found && mappingNodes(found.map).has(node)) continue;
          const p = problem(cls, found ? `machine class ${cls.id} on ${node}` : `machine class ${cls.id}, PCI mapping ${mapping}`, path);
          p.messages.push(found ? `passes through PCI mapping ${mapping}, which has no device on node ${node}: a VM placed there cannot start` : `passes through PCI mapping ${mapping}, which does not exist (Datacenter → Resource Mappings)`);
          p.evidence.push(found ? `mapping ${mapping}: ${found.map.join(" | ")}` : `PCI mappings: ${pci.value.map((m) => m.id).join(", ") || "none"}`);
          p.steps.push({ kind: "manual", description: found ? `add ${node}'s device to mapping ${mapping}, or pin the class to a node that has it (node: in the providerdata)` : `create the PCI mapping ${mapping} (Datacenter → Resource Mappings), or correct the name in ${file}`, destructive: false });
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
