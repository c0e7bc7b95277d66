import { isScalar } from "yaml";
import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import type { Location } from "../../src/model/result.ts";
import { appliedPatches, isLegacyConfig } from "../../src/sources/kit/cluster-templates.ts";
import { clusterTemplates, NO_TEMPLATES } from "../../src/sources/kit/template-facts.ts";
import { isRecord, nodeAt } from "../../src/sources/kit/yaml-file.ts";

const CNI_NAME = ["cluster", "network", "cni", "name"];

/** A patch that installs manifests itself (inline or by URL): the CNI may well come with it. */
function shipsManifests(value: unknown): boolean {
  if (!isLegacyConfig(value) || !isRecord(value.cluster)) return false;
  const { inlineManifests, extraManifests } = value.cluster;
  return (Array.isArray(inlineManifests) && inlineManifests.length > 0) || (Array.isArray(extraManifests) && extraManifests.length > 0);
}

export default defineCheck({
  meta: {
    id: "template/cni-none",
    title: "Cluster starts without a CNI",
    severity: "info",
    sources: ["files"],
    symptoms: ["container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized", "cni config uninitialized"],
    fixable: ["manual"],
  },
  facts: { clusterTemplates },
  run({ clusterTemplates }) {
    const { templates } = clusterTemplates;
    if (templates.length === 0) return [skip(NO_TEMPLATES)];
    const findings: Finding[] = [];
    for (const template of templates) {
      const applied = appliedPatches(template);
      let at: Location | undefined;
      for (const { content } of applied) {
        for (const doc of content.docs) {
          const name = isLegacyConfig(doc.value) ? nodeAt(doc.node, CNI_NAME) : undefined;
          if (isScalar(name) && name.value === "none") at ??= doc.locate(CNI_NAME);
        }
      }
      const manifests = applied.some(({ content }) => content.docs.some((d) => shipsManifests(d.value))) || Boolean(nodeAt(template.cluster?.doc.contents, ["kubernetes", "manifests"]));
      // A patch file we cannot read may be the one that installs the CNI.
      const unread = template.patches.some((p) => p.file && p.file.fromTemplate.state !== "file" && p.file.fromKitRoot.state !== "file");
      if (!at || manifests || unread) continue;
      findings.push({
        subject: template.file.path,
        message: "the cluster is created with cni: none and nothing in the template installs one: nodes stay NotReady until you install a CNI",
        location: at,
        evidence: [`${at.file}:${at.line}:${at.column}: cluster.network.cni.name: none`],
        fix: {
          summary: "Install the CNI right after the cluster comes up",
          steps: [
            {
              kind: "manual",
              description: "install your CNI (for Cilium on Omni: helm install cilium with kubeProxyReplacement matching cluster.proxy.disabled and mtu 1450, see kube/cilium-mtu), or ship it with the template (kubernetes.manifests, or cluster.inlineManifests in a patch)",
              destructive: false,
            },
          ],
        },
      });
    }
    return findings.length > 0 ? findings : [pass("every template brings a CNI or leaves Talos' default (Flannel) in place")];
  },
});
