import { defineCheck, pass, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { events, persistentVolumeClaims, pods, storageClasses } from "../../src/sources/kube/facts.ts";
import type { KubePersistentVolumeClaim, KubePod, KubeStorageClass } from "../../src/sources/kube/objects.ts";
import type { Fix, FixStep } from "../../src/model/result.ts";
import { findDeployment, minutesSince, runsImage, STUCK_AFTER_MINUTES } from "../../src/rules/kube-objects.ts";

const DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
/** Set on a WaitForFirstConsumer claim when the scheduler has chosen the node for its pod. */
const SELECTED_NODE = "volume.kubernetes.io/selected-node";
/** Refused credentials, as CSI drivers report them (the Proxmox one says 401 even when the token is missing, 003). */
const AUTH = /\b401\b|\b403\b|unauthori[sz]ed|authentication|permission denied|forbidden|no such token|invalid token/i;

const isPending = (pvc: KubePersistentVolumeClaim) => pvc.status.phase === "Pending";

function classOf(pvc: KubePersistentVolumeClaim, classes: readonly KubeStorageClass[]): KubeStorageClass | undefined {
  const wanted = pvc.spec.storageClassName;
  return wanted ? classes.find((c) => c.metadata.name === wanted) : classes.find((c) => c.metadata.annotations[DEFAULT_CLASS] === "true");
}

function usedByPod(pvc: KubePersistentVolumeClaim, pods: readonly KubePod[]): boolean {
  return pods.some((p) => p.metadata.namespace === pvc.metadata.namespace && p.spec.volumes.some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata.name));
}

/** The CSI controller's Deployment for a provisioner, found by its image (proxmox-csi-controller for csi.proxmox.sinextra.dev). */
function csiController(provisioner: string, pods: readonly KubePod[]) {
  const driver = (provisioner.split(".").find((part) => part !== "csi") ?? provisioner).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return findDeployment(pods, runsImage(new RegExp(`${driver}.*csi|csi.*${driver}`)));
}

function fixFor(refused: boolean, provisioner: string, pods: readonly KubePod[], pvc: KubePersistentVolumeClaim): Fix {
  const controller = csiController(provisioner, pods);
  const log: FixStep[] = controller
    ? [{ kind: "command", description: "read the CSI controller's log", argv: ["kubectl", "logs", `deployment/${controller.name}`, "--namespace", controller.namespace, "--all-containers", "--tail", "20"], destructive: false }]
    : [];
  if (refused) {
    return {
      summary: "Give the CSI driver working credentials",
      steps: [
        ...log,
        {
          kind: "manual",
          description: `check the credentials of ${provisioner}: that its API token still exists on the storage backend (for Proxmox: \`pveum token list <user>\` on a node) and that the Secret holding them was created (a SealedSecret that cannot be unsealed leaves it missing, see kube/sealed-secrets)`,
          destructive: false,
        },
      ],
    };
  }
  return {
    summary: "Find out why the driver does not provision it",
    steps: [{ kind: "command", description: "read the claim's events", argv: ["kubectl", "describe", "persistentvolumeclaim", pvc.metadata.name, "--namespace", pvc.metadata.namespace ?? "default"], destructive: false }, ...log],
  };
}

export default defineCheck({
  meta: {
    id: "kube/storage",
    title: "Volumes that cannot be provisioned",
    severity: "error",
    sources: ["kube"],
    symptoms: [
      "ProvisioningFailed",
      "failed to provision volume with StorageClass <class>",
      "401 Unauthorized",
      "waiting for a volume to be created, either by external provisioner <provisioner> or manually created by system administrator",
      "pod has unbound immediate PersistentVolumeClaims",
    ],
    fixable: ["command", "manual"],
  },
  facts: { persistentVolumeClaims, storageClasses, pods: optional(pods), events: optional(events) },
  run({ persistentVolumeClaims, storageClasses, pods, events }, { now }) {
    const allPods = pods.ok ? pods.value : [];
    const findings: Finding[] = [];
    for (const pvc of persistentVolumeClaims) {
      const { name, namespace = "default" } = pvc.metadata;
      const subject = `persistentvolumeclaim ${namespace}/${name}`;
      if (pvc.status.phase === "Lost") {
        findings.push({ subject, message: `lost its volume${pvc.spec.volumeName ? ` ${pvc.spec.volumeName}` : ""}: the PersistentVolume it was bound to no longer exists`, evidence: ["phase=Lost"] });
        continue;
      }
      if (!isPending(pvc)) continue;
      const minutes = minutesSince(pvc.metadata.creationTimestamp, now);
      if (minutes === undefined || minutes < STUCK_AFTER_MINUTES) continue;
      const storageClass = classOf(pvc, storageClasses);
      if (!storageClass) {
        findings.push({
          subject,
          message: pvc.spec.storageClassName ? `asks for storage class "${pvc.spec.storageClassName}", which does not exist` : "names no storage class and the cluster has no default one",
          evidence: [`Pending for ${minutes} minutes`],
          fix: { summary: "Create the storage class or name an existing one", steps: [{ kind: "manual", description: `existing classes: ${storageClasses.map((c) => c.metadata.name).join(", ") || "none"}`, destructive: false }] },
        });
        continue;
      }
      // WaitForFirstConsumer provisions once the scheduler has placed a pod using the claim: before that, pending is normal
      // (a pod that cannot be placed is kube/pods-stuck's to report).
      if (storageClass.volumeBindingMode === "WaitForFirstConsumer" && (!usedByPod(pvc, allPods) || !pvc.metadata.annotations[SELECTED_NODE])) continue;
      const failures = (events.ok ? events.value : []).filter((e) => e.involvedObject.kind === "PersistentVolumeClaim" && e.involvedObject.namespace === namespace && e.involvedObject.name === name && e.reason === "ProvisioningFailed");
      const latest = failures.at(-1)?.message ?? "";
      const refused = AUTH.test(latest);
      findings.push({
        subject,
        message: refused
          ? `cannot be provisioned: ${storageClass.provisioner} was refused by the storage backend (credentials)`
          : latest
            ? `cannot be provisioned by ${storageClass.provisioner}: ${latest}`
            : `has been Pending for ${minutes} minutes waiting for ${storageClass.provisioner}`,
        evidence: [`storageClass=${storageClass.metadata.name} provisioner=${storageClass.provisioner} Pending for ${minutes} minutes`, ...failures.slice(-2).map((e) => `event ProvisioningFailed: ${e.message ?? ""}`)],
        fix: fixFor(refused, storageClass.provisioner, allPods, pvc),
      });
    }
    return findings.length > 0 ? findings : [pass(`${persistentVolumeClaims.length} claim(s) bound or waiting for their first pod`)];
  },
});
