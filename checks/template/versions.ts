import { isScalar, type Node } from "yaml";
import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import type { Location, Severity } from "../../src/model/result.ts";
import type { ClusterTemplate, NodePath } from "../../src/sources/kit/cluster-templates.ts";
import { omniLatestTalosMinor, omniMinTalosVersion } from "../../src/sources/kit/omni-releases.ts";
import { kubernetesMinorsFor } from "../../src/sources/kit/talos-kubernetes.ts";
import { clusterTemplates, NO_TEMPLATES } from "../../src/sources/kit/template-facts.ts";
import { replaceScalar } from "../../src/sources/kit/yaml-edit.ts";
import { editStep, type TextEdit } from "../../src/sources/kit/text-edit.ts";
import { nodeAt } from "../../src/sources/kit/yaml-file.ts";
import { goQuote } from "../../src/util/go-errors.ts";
import { isEnvPlaceholder } from "../../src/schema/talos-schemas.ts";
import { parseSemverTolerant, type SemverVersion } from "../../src/util/go-parse.ts";

const FULL = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const bare = (text: string) => text.trim().replace(/^v/, "");
const cmp = (a: SemverVersion, b: SemverVersion) => a.major - b.major || a.minor - b.minor || a.patch - b.patch;

interface Problem {
  severity: Severity;
  text: string;
  location: Location;
  /** Omni's own words for it, where Omni says it (on sync). */
  omni?: string;
}

const withV = (template: string, version: string) => `${template.startsWith("v") ? "v" : ""}${version}`;

/** The problems, and the nearest pair Omni supports (undefined where a version cannot be read at all). */
function judge(template: ClusterTemplate, omniVersion: string): { problems: Problem[]; talos?: string; kubernetes?: string } | undefined {
  const talosAt = template.talosVersion;
  const kubernetesAt = template.kubernetesVersion;
  if (!talosAt || !kubernetesAt) return undefined; // template/schema reports a missing version
  const talosText = talosAt.text.trim();
  const kubernetesText = kubernetesAt.text.trim();
  if (isEnvPlaceholder(talosText) || isEnvPlaceholder(kubernetesText)) return undefined; // filled in by envsubst or CI before sync
  const problems: Problem[] = [];
  const talosParsed = parseSemverTolerant(talosText);
  const kubernetesParsed = parseSemverTolerant(kubernetesText);
  if (!talosParsed.ok || !FULL.test(talosText) || !talosText.startsWith("v")) {
    problems.push({ severity: "error", text: `talos.version ${talosText} is not a full version with a leading v (vX.Y.Z): Omni looks the version up exactly`, location: talosAt.location });
  }
  if (!kubernetesParsed.ok || !FULL.test(kubernetesText)) {
    problems.push({ severity: "error", text: `kubernetes.version ${kubernetesText} is not a full version (X.Y.Z): Omni looks the version up exactly`, location: kubernetesAt.location });
  }
  if (!talosParsed.ok) return { problems };
  const t = talosParsed.value;
  let suggested = t;
  const minimum = parseSemverTolerant(omniMinTalosVersion(omniVersion));
  const latest = omniLatestTalosMinor(omniVersion);
  if (minimum.ok && cmp(t, minimum.value) < 0) {
    // New clusters cannot use it; a cluster created earlier keeps running, so this is not certain to fail.
    problems.push({
      severity: "warning",
      text: `Talos ${bare(talosText)} is older than Omni ${omniVersion}'s minimum ${omniMinTalosVersion(omniVersion)}: new clusters cannot use it`,
      location: talosAt.location,
      omni: `talos version ${goQuote(bare(talosText))} is no longer supported`,
    });
    suggested = minimum.value;
  } else if (latest && (t.major > 1 || t.minor > Number(latest.split(".")[1]))) {
    problems.push({
      severity: "error",
      text: `Talos ${bare(talosText)} is newer than Omni ${omniVersion} supports (up to ${latest}.x)`,
      location: talosAt.location,
      omni: `talos version ${goQuote(bare(talosText))} is not supported by this Omni release`,
    });
    suggested = { major: 1, minor: Number(latest.split(".")[1]), patch: 0, prerelease: [] };
  } else if (kubernetesParsed.ok) {
    const range = kubernetesMinorsFor(t.minor);
    const k = kubernetesParsed.value;
    if (k.major !== 1 || k.minor < range.min || k.minor > range.max) {
      problems.push({
        severity: "error",
        text: `Kubernetes ${bare(kubernetesText)} does not run on Talos 1.${t.minor}, which supports Kubernetes 1.${range.min} to 1.${range.max}`,
        location: kubernetesAt.location,
        omni: `invalid kubernetes version ${goQuote(bare(kubernetesText))}: is not compatible with talos version ${goQuote(bare(talosText))}`,
      });
    }
  }
  const talos = `v${suggested.major}.${suggested.minor}.${suggested.patch}${suggested === t && t.prerelease.length > 0 ? `-${t.prerelease.join(".")}` : ""}`;
  if (!kubernetesParsed.ok) return { problems, talos };
  const k = kubernetesParsed.value;
  const range = kubernetesMinorsFor(suggested.minor);
  const minor = Math.min(Math.max(k.major === 1 ? k.minor : range.max, range.min), range.max);
  const kubernetes = minor === k.minor && k.major === 1 ? withV(kubernetesText, `${k.major}.${k.minor}.${k.patch}`) : withV(kubernetesText, `1.${minor}.0`);
  return { problems, talos, kubernetes };
}

export default defineCheck({
  meta: {
    id: "template/versions",
    title: "Cluster template's Talos and Kubernetes versions do not fit together or with Omni",
    severity: "error",
    sources: ["files"],
    symptoms: [
      "invalid kubernetes version %q: is not compatible with talos version %q",
      "talos version %q is no longer supported",
      "talos version %q is not supported by this Omni release",
      "invalid talos version %q",
      "version of Kubernetes <version> is too new to be used with Talos <version>",
      "version of Kubernetes <version> is too old to be used with Talos <version>",
    ],
    fixable: ["edit"],
  },
  facts: { clusterTemplates },
  run({ clusterTemplates }, { omniVersion }) {
    const withCluster = clusterTemplates.templates.filter((t) => t.cluster);
    if (withCluster.length === 0) return [skip(NO_TEMPLATES)];
    const findings: Finding[] = [];
    for (const template of withCluster) {
      const verdict = judge(template, omniVersion);
      if (!verdict || verdict.problems.length === 0) continue;
      const cluster = template.cluster!;
      const edits: TextEdit[] = [];
      const change = (path: NodePath, before: string | undefined, after: string | undefined) => {
        const node = nodeAt(cluster.doc.contents, path);
        if (after && before !== after && isScalar(node)) edits.push(replaceScalar(cluster.tree, node as Node, after));
      };
      change(["talos", "version"], template.talosVersion?.text.trim(), verdict.talos);
      change(["kubernetes", "version"], template.kubernetesVersion?.text.trim(), verdict.kubernetes);
      const severity: Severity = verdict.problems.some((p) => p.severity === "error") ? "error" : "warning";
      const pair = `Talos ${verdict.talos ?? template.talosVersion!.text} with Kubernetes ${verdict.kubernetes ?? template.kubernetesVersion!.text}`;
      const step = editStep(template.file, `set ${pair}`, edits);
      findings.push({
        severity,
        subject: template.file.path,
        message: verdict.problems.map((p) => p.text).join("; "),
        location: verdict.problems[0]!.location,
        evidence: verdict.problems.map((p) => p.omni ?? p.text),
        ...(step ? { fix: { summary: `Use a supported pair: ${pair} (then pick the newest patch release Omni offers: omnictl get talosversions)`, steps: [step] } } : {}),
      });
    }
    return findings.length > 0 ? findings : [pass(`${withCluster.length} template(s) pair Talos and Kubernetes versions Omni ${omniVersion} supports`)];
  },
});
