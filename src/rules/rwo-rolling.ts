/**
 * The RWO rolling-update deadlock, judged the same way for a live Deployment (kube/) and a
 * manifest in the kit (manifest/): one replica, the RollingUpdate strategy with a surge, and a
 * ReadWriteOnce claim. The rollout starts the new pod before stopping the old one; when the new
 * pod lands on another node it can never attach the volume the old pod still holds.
 */
import type { Fix, FixStep } from "../model/result.ts";
import type { KubeDeployment } from "../sources/kube/objects.ts";
import { editManifest, setField, type ManifestDoc } from "../sources/kit/manifests.ts";

/** Access modes that tie a volume to one node (or one pod). */
const SINGLE_ATTACH = new Set(["ReadWriteOnce", "ReadWriteOncePod"]);

const isZero = (value: number | string | null | undefined) => value === 0 || value === "0" || value === "0%";

/**
 * The ReadWriteOnce claims that make a rollout of this Deployment deadlock-prone, or undefined
 * when it cannot deadlock. `accessModesOf` gives a claim's access modes, or undefined when the
 * claim is not known (it is then not judged: unknown is not failing).
 */
export function rwoRollingClaims(deployment: KubeDeployment, accessModesOf: (claim: string) => readonly string[] | undefined): string[] | undefined {
  const { spec } = deployment;
  if ((spec.replicas ?? 1) !== 1) return undefined;
  if ((spec.strategy?.type ?? "RollingUpdate") !== "RollingUpdate") return undefined;
  // With no surge the old pod is stopped first, which is what Recreate does.
  if (isZero(spec.strategy?.rollingUpdate?.maxSurge)) return undefined;
  const claims = spec.template.spec.volumes
    .map((v) => v.persistentVolumeClaim?.claimName)
    .filter((claim): claim is string => {
      const modes = claim === undefined ? undefined : accessModesOf(claim);
      return modes !== undefined && modes.some((m) => SINGLE_ATTACH.has(m)) && !modes.includes("ReadWriteMany");
    });
  return claims.length > 0 ? [...new Set(claims)] : undefined;
}

/** What is wrong, in one sentence: a risk, or (with Multi-Attach events) a rollout that is stuck. */
export function rwoRollingMessage(claims: readonly string[], deadlocked: boolean): string {
  const claimText = claims.map((c) => `"${c}"`).join(", ");
  return deadlocked
    ? `is deadlocked in a rollout: its new pod cannot attach ReadWriteOnce claim ${claimText} while the old pod holds it`
    : `runs one replica with RollingUpdate and mounts ReadWriteOnce claim ${claimText}: a rollout deadlocks when the new pod is scheduled on another node`;
}

export function strategyEvidence(deployment: KubeDeployment): string {
  const { spec } = deployment;
  return `replicas=${spec.replicas ?? 1} strategy=${spec.strategy?.type ?? "RollingUpdate"} maxSurge=${spec.strategy?.rollingUpdate?.maxSurge ?? "25%"}`;
}

/** Recreate stops the old pod before starting the new one; rollingUpdate must go with it (the API rejects both). */
const RECREATE_PATCH = JSON.stringify({ spec: { strategy: { type: "Recreate", rollingUpdate: null } } });

/**
 * Switch the Deployment to Recreate: in the live cluster when `namespace` is known from it, and in
 * the kit's manifest when the Deployment comes from one (else the next sync would undo the patch).
 */
export function recreateFix(name: string, live: { namespace: string } | undefined, manifest: ManifestDoc | undefined): Fix {
  const edit =
    manifest &&
    editManifest(manifest, "set spec.strategy.type to Recreate", (doc) => {
      if (doc.hasIn(["spec", "strategy"])) {
        doc.setIn(["spec", "strategy", "type"], "Recreate");
        doc.deleteIn(["spec", "strategy", "rollingUpdate"]);
      } else {
        setField(doc, ["spec"], "strategy", { type: "Recreate" }, "template");
      }
    });
  const steps: FixStep[] = edit ? [edit] : [];
  if (live) {
    steps.push({
      kind: "command",
      description: `switch deployment ${live.namespace}/${name} to the Recreate strategy${manifest ? " now (the edit keeps it so)" : ""}`,
      argv: ["kubectl", "patch", "deployment.apps", name, "--namespace", live.namespace, "--type", "merge", "--patch", RECREATE_PATCH],
      destructive: false,
    });
  }
  return { summary: "Use the Recreate strategy for this single-replica Deployment", steps };
}
