import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { unreadNodes } from "../../src/sources/talos/node-errors.ts";
import { bareVersion } from "../../src/sources/omni/resources.ts";
import { optional } from "../../src/engine/fact.ts";
import { targets, versions } from "../../src/sources/talos/facts.ts";
import { clusters } from "../../src/sources/omni/facts.ts";
import { templates } from "../../src/sources/kit/facts.ts";
import { syncTemplate } from "../../src/fix/omni-talos-steps.ts";
import type { FixStep } from "../../src/model/result.ts";

/** Talos < 1.10 has no Versions resource: such nodes are not judged. */
const NO_VERSION_RESOURCE = /is not registered/;

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

export default defineCheck({
  meta: {
    id: "talos/version-skew",
    title: "Nodes run the same Talos version as their cluster",
    severity: "warning",
    sources: ["talos", "omni", "files"],
    symptoms: ["server version <v> is older than client version <v>", "nodes on different Talos versions", "Talos upgrade stuck"],
    fixable: ["command", "manual"],
  },
  facts: { versions, targets, clusters: optional(clusters), templates: optional(templates) },
  run({ versions: answer, targets: asked, clusters: omniClusters, templates: kitTemplates }) {
    const wanted = new Map((omniClusters.ok ? omniClusters.value : []).map((c) => [c.metadata.id, bareVersion(c.spec.talosversion)]));
    const files = kitTemplates.ok ? kitTemplates.value : [];
    const findings: Finding[] = [];
    let judged = 0;
    for (const target of asked.length > 0 ? asked : [{ nodes: [] as string[] }]) {
      const mine = answer.resources.filter((r) => target.nodes.length === 0 || target.nodes.includes(r.node));
      const running = new Map(mine.map((r) => [r.node, bareVersion(r.spec.version)]));
      judged += running.size;
      const clusterVersion = target.cluster ? wanted.get(target.cluster) : undefined;
      const reference = clusterVersion || mostCommon([...running.values()]);
      if (!reference) continue;
      for (const [node, version] of running) {
        if (!version || version === reference) continue;
        const against = clusterVersion ? `the cluster is on v${clusterVersion}` : `most nodes run v${reference}`;
        const step: FixStep = target.cluster
          ? syncTemplate(files, target.cluster, `re-sync cluster ${target.cluster}'s template so Omni rolls every node to its Talos version`)
          : { kind: "manual", description: `upgrade ${node} to v${reference}: \`talosctl -n ${node} upgrade --image <installer image>:v${reference}\``, destructive: false };
        findings.push({ subject: `node ${node}`, message: `runs Talos v${version} while ${against}`, evidence: [`${node}: v${version}`, clusterVersion ? `cluster ${target.cluster}: v${clusterVersion}` : `others: v${reference}`], fix: { summary: `Bring ${node} to v${reference}`, steps: [step] } });
      }
    }
    findings.push(...unreadNodes(Object.fromEntries(Object.entries(answer.nodeErrors).filter(([, error]) => !NO_VERSION_RESOURCE.test(error))), "version"));
    if (findings.length === 0 && judged === 0) return [skip("no node reported its Talos version (Talos < 1.10 does not)")];
    return findings.length > 0 ? findings : [pass(`${judged} node(s) on their cluster's Talos version`)];
  },
});
