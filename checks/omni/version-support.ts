import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { bareVersion } from "../../src/sources/omni/resources.ts";
import { templates } from "../../src/sources/kit/facts.ts";
import { templateDocs } from "../../src/sources/kit/templates.ts";
import { isRecord, locationOf, nodeAt } from "../../src/sources/kit/yaml-file.ts";
import { clusters, talosVersions, type TalosVersion } from "../../src/sources/omni/facts.ts";
import type { Fix, Location } from "../../src/model/result.ts";
import semver from "semver";

interface Wanted {
  subject: string;
  talos: string;
  kubernetes: string | undefined;
  location?: Location;
  /** A running cluster: Omni already accepted it, so only a withdrawn version is worth saying. */
  live: boolean;
}

function problem(want: Wanted, offered: Map<string, TalosVersion>, omni: string): { message: string; evidence: string[] } | undefined {
  const talos = offered.get(want.talos);
  const newest = [...offered.keys()]
    .filter((v) => semver.valid(v) && !offered.get(v)!.spec.deprecated && !offered.get(v)!.spec.unsupported)
    .sort(semver.compare)
    .slice(-3);
  if (!talos) {
    if (want.live) return undefined;
    return { message: `Omni ${omni} does not offer Talos v${want.talos}; \`omnictl cluster template sync\` will refuse it`, evidence: [`offered, newest: ${newest.map((v) => `v${v}`).join(", ") || "(none)"}`] };
  }
  if (talos.spec.deprecated) return { message: `Talos v${want.talos} is below the minimum Omni ${omni} still supports${want.live ? ": upgrade the cluster before machines can no longer join" : ""}`, evidence: ["deprecated: true"] };
  if (talos.spec.unsupported) return { message: `Talos v${want.talos} is newer than Omni ${omni} supports`, evidence: ["unsupported: true"] };
  if (want.kubernetes && !want.live && !talos.spec.compatiblekubernetesversions.map(bareVersion).includes(want.kubernetes)) {
    const compatible = talos.spec.compatiblekubernetesversions.map(bareVersion).filter((v) => semver.valid(v)).sort(semver.compare);
    return { message: `Omni ${omni} does not pair Kubernetes v${want.kubernetes} with Talos v${want.talos}`, evidence: [`Kubernetes versions offered with Talos v${want.talos}: ${compatible.slice(-4).join(", ") || "(none)"}`] };
  }
  return undefined;
}

export default defineCheck({
  meta: {
    id: "omni/version-support",
    title: "Omni offers the Talos and Kubernetes versions in use",
    severity: "error",
    sources: ["files", "omni"],
    symptoms: [
      'invalid talos version "<v>": <error>',
      'talos version "<v>" is no longer supported',
      'talos version "<v>" is not supported by this Omni release',
      'invalid kubernetes version "<v>": is not compatible with talos version "<v>"',
    ],
    fixable: ["manual"],
  },
  facts: { templates, offered: talosVersions, clusters },
  run({ templates: files, offered, clusters: live }, { omniVersion }) {
    const byVersion = new Map(offered.map((t) => [bareVersion(t.spec.version || t.metadata.id), t] as const));
    const wanted: Wanted[] = [];
    for (const file of files) {
      for (const doc of templateDocs(file).filter((d) => d.kind === "Cluster")) {
        const talos = isRecord(doc.value?.talos) ? doc.value.talos.version : undefined;
        const kubernetes = isRecord(doc.value?.kubernetes) ? doc.value.kubernetes.version : undefined;
        if (typeof talos !== "string") continue;
        wanted.push({
          subject: `${file.path} (cluster ${String(doc.value?.name ?? "?")})`,
          talos: bareVersion(talos),
          kubernetes: typeof kubernetes === "string" ? bareVersion(kubernetes) : undefined,
          location: locationOf(file, nodeAt(doc.doc.contents, ["talos", "version"]), doc.doc),
          live: false,
        });
      }
    }
    for (const cluster of live) {
      if (cluster.spec.talosversion) wanted.push({ subject: `cluster ${cluster.metadata.id}`, talos: bareVersion(cluster.spec.talosversion), kubernetes: cluster.spec.kubernetesversion ? bareVersion(cluster.spec.kubernetesversion) : undefined, live: true });
    }
    if (wanted.length === 0) return [skip("no cluster template in the kit and no cluster in Omni")];
    const findings: Finding[] = [];
    for (const want of wanted) {
      const found = problem(want, byVersion, omniVersion);
      if (!found) continue;
      const fix: Fix = {
        summary: want.live ? "Upgrade the cluster's Talos version" : "Use a version pair this Omni offers, or upgrade Omni first",
        steps: [
          { kind: "manual", description: "list what Omni offers: `omnictl get talosversions -o yaml` (each lists its compatible Kubernetes versions)", destructive: false },
          want.live
            ? { kind: "manual", description: `raise \`talos.version\` in ${want.subject}'s template to a supported release and sync it`, destructive: false }
            : { kind: "manual", description: `set \`talos.version\` and \`kubernetes.version\` in ${want.subject.split(" ")[0]} to a pair from that list, or upgrade Omni to a release that offers v${want.talos}`, destructive: false },
        ],
      };
      const finding: Finding = { subject: want.subject, message: found.message, evidence: [`talos.version: v${want.talos}`, ...(want.kubernetes ? [`kubernetes.version: v${want.kubernetes}`] : []), ...found.evidence], fix };
      if (want.live) finding.severity = "warning";
      if (want.location) finding.location = want.location;
      findings.push(finding);
    }
    return findings.length > 0 ? findings : [pass(`${wanted.length} Talos/Kubernetes pair(s), all offered by Omni ${omniVersion}`)];
  },
});
