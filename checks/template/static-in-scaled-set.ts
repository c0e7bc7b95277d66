import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import type { Location } from "../../src/model/result.ts";
import { appliedPatches, machineCount, patchesOfSet, type ConfigPatchDoc, type MachineSet, type NodePath } from "../../src/sources/kit/cluster-templates.ts";
import { clusterTemplates } from "../../src/sources/kit/template-facts.ts";
import { isRecord } from "../../src/sources/kit/yaml-file.ts";

/** Settings that must differ from machine to machine: static addresses and hostnames (a shared VIP is meant to be shared). */
function perMachineSettings(doc: ConfigPatchDoc): Array<{ what: string; path: NodePath }> {
  const value = doc.value;
  if (!isRecord(value)) return [];
  const found: Array<{ what: string; path: NodePath }> = [];
  if (value.kind === undefined) {
    const network = isRecord(value.machine) && isRecord(value.machine.network) ? value.machine.network : {};
    if (typeof network.hostname === "string" && network.hostname !== "") found.push({ what: `hostname ${network.hostname}`, path: ["machine", "network", "hostname"] });
    if (Array.isArray(network.interfaces)) {
      network.interfaces.forEach((entry, i) => {
        if (!isRecord(entry)) return;
        if (Array.isArray(entry.addresses) && entry.addresses.length > 0) found.push({ what: `address ${entry.addresses.join(", ")}`, path: ["machine", "network", "interfaces", i, "addresses"] });
        if (!Array.isArray(entry.vlans)) return;
        entry.vlans.forEach((vlan, j) => {
          if (isRecord(vlan) && Array.isArray(vlan.addresses) && vlan.addresses.length > 0) {
            found.push({ what: `address ${vlan.addresses.join(", ")}`, path: ["machine", "network", "interfaces", i, "vlans", j, "addresses"] });
          }
        });
      });
    }
  } else if (value.kind === "HostnameConfig" && typeof value.hostname === "string") {
    found.push({ what: `hostname ${value.hostname}`, path: ["hostname"] });
  } else if (value.kind === "LinkConfig" && Array.isArray(value.addresses) && value.addresses.length > 0) {
    found.push({ what: `address ${value.addresses.map((a) => (isRecord(a) ? a.address : a)).join(", ")}`, path: ["addresses"] });
  }
  return found;
}

const setName = (set: MachineSet) => set.name || (set.role === "controlplane" ? "control planes" : "workers");

export default defineCheck({
  meta: {
    id: "template/static-in-scaled-set",
    title: "Static IP or hostname shared by several machines",
    severity: "warning",
    sources: ["files"],
    symptoms: ["duplicate IP address", "address already in use", "all nodes have the same hostname"],
    fixable: ["manual"],
  },
  facts: { clusterTemplates },
  run({ clusterTemplates }) {
    const { templates } = clusterTemplates;
    if (templates.every((t) => t.machineSets.length === 0)) return [skip("no machine sets in the kit's templates")];
    const findings: Finding[] = [];
    for (const template of templates) {
      const applied = appliedPatches(template);
      const hits: Array<{ set: MachineSet; count: number | "unlimited"; what: string; location: Location }> = [];
      for (const set of template.machineSets) {
        const count = machineCount(set);
        if (count !== "unlimited" && count <= 1) continue;
        // Machine patches belong to one machine each; the cluster's and the set's reach every machine of the set.
        const shared = new Set(patchesOfSet(template, set).filter((p) => p.level !== "machine"));
        for (const { patch, content } of applied) {
          if (!shared.has(patch)) continue;
          for (const doc of content.docs) for (const s of perMachineSettings(doc)) hits.push({ set, count, what: s.what, location: doc.locate(s.path) });
        }
      }
      if (hits.length === 0) continue;
      const sets = [...new Set(hits.map((h) => h.set))];
      findings.push({
        subject: template.file.path,
        message: `${sets.map((s) => `${setName(s)} (${machineCount(s)} machines)`).join(", ")} share${sets.length === 1 ? "s" : ""} a static ${[...new Set(hits.map((h) => h.what.split(" ")[0]))].join(" and ")}: every machine of the set gets the same one`,
        location: hits[0]!.location,
        evidence: hits.map((h) => `${h.location.file}:${h.location.line}:${h.location.column}: ${setName(h.set)} (size ${h.count}): ${h.what}`),
        fix: {
          summary: "Give each machine its own address and hostname",
          steps: [
            {
              kind: "manual",
              description: "use one machine set of size 1 per static address, or `kind: Machine` documents with per-machine patches (their machines listed under `machines:`); keep shared settings (nameservers, a VIP) in the set's patches",
              destructive: false,
            },
          ],
        },
      });
    }
    return findings.length > 0 ? findings : [pass("no static address or hostname is shared by the machines of a set")];
  },
});
