import { defineCheck, pass, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { deployments, events, persistentVolumeClaims, pods } from "../../src/sources/kube/facts.ts";
import { manifests } from "../../src/sources/kit/facts.ts";
import { findManifest, manifestLocation } from "../../src/sources/kit/manifests.ts";
import type { KubeDeployment, KubeEvent, KubePod } from "../../src/sources/kube/objects.ts";
import { podOwner } from "../../src/rules/kube-objects.ts";
import { recreateFix, rwoRollingClaims, rwoRollingMessage, strategyEvidence } from "../../src/rules/rwo-rolling.ts";

const MULTI_ATTACH = /Multi-Attach error/i;

/** Multi-Attach events of this Deployment's pods (found through the pods' owners, or their names when the pod is gone). */
function multiAttachEvents(deployment: KubeDeployment, events: readonly KubeEvent[], pods: readonly KubePod[]): KubeEvent[] {
  const namespace = deployment.metadata.namespace;
  const podName = new RegExp(`^${deployment.metadata.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-[a-z0-9]+-[a-z0-9]+$`);
  return events.filter((e) => {
    if (e.involvedObject.kind !== "Pod" || e.involvedObject.namespace !== namespace || !MULTI_ATTACH.test(e.message ?? "")) return false;
    const pod = pods.find((p) => p.metadata.namespace === namespace && p.metadata.name === e.involvedObject.name);
    if (!pod) return podName.test(e.involvedObject.name ?? "");
    const owner = podOwner(pod);
    return owner?.kind === "Deployment" && owner.name === deployment.metadata.name;
  });
}

export default defineCheck({
  meta: {
    id: "kube/rwo-rolling-deadlock",
    title: "Single-replica Deployment with a ReadWriteOnce volume rolls out with RollingUpdate",
    severity: "error",
    sources: ["kube", "files"],
    symptoms: [
      "Multi-Attach error for volume <volume> Volume is already used by pod(s) <pod>",
      "Multi-Attach error for volume <volume> Volume is already exclusively attached to one node and can't be attached to another",
      "FailedAttachVolume",
    ],
    fixable: ["edit", "command"],
  },
  facts: { deployments, persistentVolumeClaims, events: optional(events), pods: optional(pods), manifests: optional(manifests) },
  run({ deployments, persistentVolumeClaims, events, pods, manifests }) {
    const accessModes = new Map(persistentVolumeClaims.map((c) => [`${c.metadata.namespace}/${c.metadata.name}`, c.spec.accessModes]));
    const findings: Finding[] = [];
    for (const deployment of deployments) {
      const { name, namespace = "default" } = deployment.metadata;
      const claims = rwoRollingClaims(deployment, (claim) => accessModes.get(`${namespace}/${claim}`));
      if (!claims) continue;
      const stuck = multiAttachEvents(deployment, events.ok ? events.value : [], pods.ok ? pods.value : []);
      const manifest = manifests.ok ? findManifest(manifests.value, "Deployment", name, namespace) : undefined;
      findings.push({
        subject: `deployment ${namespace}/${name}`,
        ...(stuck.length > 0 ? {} : { severity: "warning" as const }),
        message: rwoRollingMessage(claims, stuck.length > 0),
        ...(manifest ? { location: manifestLocation(manifest, ["spec", "strategy"]) } : {}),
        evidence: [
          strategyEvidence(deployment),
          ...stuck.slice(0, 3).map((e) => `event ${e.reason ?? ""} on pod ${e.involvedObject.name}: ${e.message ?? ""}`),
        ],
        fix: recreateFix(name, { namespace }, manifest),
      });
    }
    return findings.length > 0 ? findings : [pass(`${deployments.length} deployment(s): none can deadlock on a ReadWriteOnce volume`)];
  },
});
