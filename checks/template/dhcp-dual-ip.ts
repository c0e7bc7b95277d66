import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import type { FixStep, Location } from "../../src/model/result.ts";
import { isLegacyConfig, patchDocuments, type ConfigPatchDoc, type NodePath } from "../../src/sources/kit/cluster-templates.ts";
import { clusterTemplates } from "../../src/sources/kit/template-facts.ts";
import { insertKeys } from "../../src/sources/kit/yaml-edit.ts";
import { editStep, type TextEdit } from "../../src/sources/kit/text-edit.ts";
import { isRecord } from "../../src/sources/kit/yaml-file.ts";

interface StaticLink {
  doc: ConfigPatchDoc;
  path: NodePath;
  /** How the patch names the link (`ens18`, `vlan 20 on ens18`, `the link with MAC ...`). */
  link: string;
  /** The key `dhcp: false` goes after. */
  after: string;
  location: Location;
}

const hasAddresses = (entry: Record<string, unknown>) => (Array.isArray(entry.addresses) && entry.addresses.length > 0) || typeof entry.cidr === "string";

function linkName(entry: Record<string, unknown>): string {
  if (typeof entry.interface === "string") return entry.interface;
  const selector = isRecord(entry.deviceSelector) ? entry.deviceSelector : {};
  const detail = Object.entries(selector).map(([k, v]) => `${k}=${String(v)}`).join(", ");
  return `the link selected by ${detail || "deviceSelector"}`;
}

/** v1alpha1 interfaces (and their VLANs) with static addresses and no `dhcp` key. */
function staticLinks(doc: ConfigPatchDoc): StaticLink[] {
  if (!isLegacyConfig(doc.value)) return [];
  const machine = isRecord(doc.value.machine) ? doc.value.machine : {};
  const network = isRecord(machine.network) ? machine.network : {};
  if (!Array.isArray(network.interfaces)) return [];
  const links: StaticLink[] = [];
  network.interfaces.forEach((entry, i) => {
    if (!isRecord(entry)) return;
    const path: NodePath = ["machine", "network", "interfaces", i];
    const name = linkName(entry);
    if (hasAddresses(entry) && !("dhcp" in entry)) {
      links.push({ doc, path, link: name, after: typeof entry.interface === "string" ? "interface" : "deviceSelector", location: doc.locate(path) });
    }
    if (!Array.isArray(entry.vlans)) return;
    entry.vlans.forEach((vlan, j) => {
      if (!isRecord(vlan) || !hasAddresses(vlan) || "dhcp" in vlan) return;
      const vlanPath: NodePath = [...path, "vlans", j];
      links.push({ doc, path: vlanPath, link: `VLAN ${String(vlan.vlanId ?? j)} on ${name}`, after: "vlanId", location: doc.locate(vlanPath) });
    });
  });
  return links;
}

export default defineCheck({
  meta: {
    id: "template/dhcp-dual-ip",
    title: "Static addresses without dhcp: false",
    severity: "warning",
    sources: ["files"],
    symptoms: ["node IP skipped, please use .machine.kubelet.nodeIP to provide explicit subnet for the node IP", "two IP addresses on one interface"],
    fixable: ["edit"],
  },
  facts: { clusterTemplates },
  run({ clusterTemplates }) {
    const docs = patchDocuments(clusterTemplates);
    if (docs.length === 0) return [skip("no config patches in the kit")];
    const byFile = new Map<string, StaticLink[]>();
    for (const { doc } of docs) for (const link of staticLinks(doc)) byFile.set(link.location.file, [...(byFile.get(link.location.file) ?? []), link]);
    const findings: Finding[] = [];
    for (const [path, links] of byFile) {
      const names = [...new Set(links.map((l) => l.link))].join(", ");
      const edits = links.map((l) => (l.doc.tree ? insertKeys(l.doc.tree, l.path, ["dhcp: false"], l.after) : { needsReprint: true as const }));
      const file = links[0]!.doc.tree?.file;
      const steps: FixStep[] = [
        (file && edits.every((e) => !("needsReprint" in e)) ? editStep(file, `add dhcp: false to ${links.length} interface(s): ${names}`, edits as TextEdit[]) : undefined) ?? {
          kind: "manual",
          description: `add dhcp: false next to the addresses of ${names}`,
          destructive: false,
        },
      ];
      findings.push({
        subject: path,
        message: `${links.length} interface(s) (${names}) get static addresses but no dhcp: false: say which address source each uses, or it may also take a DHCP lease and end up with two IPs`,
        location: links[0]!.location,
        evidence: links.map((l) => `${l.location.file}:${l.location.line}:${l.location.column}: ${l.link}: addresses without dhcp`),
        fix: { summary: "Turn DHCP off where addresses are static", steps },
      });
    }
    return findings.length > 0 ? findings : [pass("every interface with static addresses says dhcp: false")];
  },
});
