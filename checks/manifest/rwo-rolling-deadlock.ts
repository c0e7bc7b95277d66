import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { manifests } from "../../src/sources/kit/facts.ts";
import { manifestLocation, manifestObjects } from "../../src/sources/kit/manifests.ts";
import { deployment, persistentVolumeClaim } from "../../src/sources/kube/objects.ts";
import { recreateFix, rwoRollingClaims, rwoRollingMessage, strategyEvidence } from "../../src/rules/rwo-rolling.ts";

export default defineCheck({
  meta: {
    id: "manifest/rwo-rolling-deadlock",
    title: "Single-replica Deployment manifest with a ReadWriteOnce volume uses RollingUpdate",
    severity: "warning",
    sources: ["files"],
    symptoms: ["Multi-Attach error for volume <volume> Volume is already used by pod(s) <pod>"],
    fixable: ["edit"],
  },
  facts: { manifests },
  run({ manifests }) {
    const deployments = manifestObjects(manifests, "Deployment", deployment);
    if (deployments.length === 0) return [skip("no Deployment manifests in the kit")];
    const claims = manifestObjects(manifests, "PersistentVolumeClaim", persistentVolumeClaim).map((c) => c.object);
    const findings: Finding[] = [];
    for (const { manifest, object } of deployments) {
      const namespace = object.metadata.namespace;
      // A manifest without a namespace gets one at apply time: match the claim by name then.
      const accessModesOf = (name: string) =>
        claims.find((c) => c.metadata.name === name && (c.metadata.namespace === undefined || namespace === undefined || c.metadata.namespace === namespace))?.spec.accessModes;
      const risky = rwoRollingClaims(object, accessModesOf);
      if (!risky) continue;
      findings.push({
        subject: `deployment ${manifest.name} in ${manifest.file.path}`,
        message: rwoRollingMessage(risky, false),
        location: manifestLocation(manifest, ["spec", "strategy"]),
        evidence: [strategyEvidence(object)],
        fix: recreateFix(manifest.name, undefined, manifest),
      });
    }
    return findings.length > 0 ? findings : [pass(`${deployments.length} Deployment manifest(s): none can deadlock on a ReadWriteOnce volume`)];
  },
});
