import { defineCheck, pass, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { daemonSets, events, namespaces, nodes } from "../../src/sources/kube/facts.ts";
import { manifests } from "../../src/sources/kit/facts.ts";
import { editManifest, findManifest, type ManifestDoc } from "../../src/sources/kit/manifests.ts";
import type { KubeDaemonSet, KubeNamespace, KubeNode, KubePodSpec } from "../../src/sources/kube/objects.ts";
import type { Fix, FixStep } from "../../src/model/result.ts";

const ENFORCE = "pod-security.kubernetes.io/enforce";
const PRIVILEGED = "privileged";
/** Capabilities the baseline level allows a container to add (Pod Security Standards). */
const BASELINE_CAPABILITIES = new Set(["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]);

/** What in a pod template the baseline level refuses (hostNetwork, privileged containers, hostPath, extra capabilities). */
function baselineViolations(spec: KubePodSpec): string[] {
  const found: string[] = [];
  if (spec.hostNetwork) found.push("hostNetwork");
  if (spec.hostPID) found.push("hostPID");
  if (spec.hostIPC) found.push("hostIPC");
  for (const c of [...spec.initContainers, ...spec.containers]) {
    if (c.securityContext?.privileged) found.push(`privileged container ${c.name}`);
    const extra = (c.securityContext?.capabilities?.add ?? []).filter((cap) => !BASELINE_CAPABILITIES.has(cap.replace(/^CAP_/, "")));
    if (extra.length > 0) found.push(`container ${c.name} adds ${extra.join(", ")}`);
  }
  const hostPaths = spec.volumes.filter((v) => v.hostPath).map((v) => v.hostPath!.path);
  if (hostPaths.length > 0) found.push(`hostPath ${hostPaths.join(", ")}`);
  return found;
}

/**
 * The level enforced in a namespace: its label, else the cluster default. Talos enforces baseline
 * by default and exempts kube-system; elsewhere the default is privileged.
 */
function enforcedLevel(namespace: KubeNamespace | undefined, name: string, talos: boolean): { level: string; labelled: boolean } {
  const label = namespace?.metadata.labels[ENFORCE];
  if (label) return { level: label, labelled: true };
  return { level: talos && name !== "kube-system" ? "baseline" : PRIVILEGED, labelled: false };
}

const isTalos = (nodes: readonly KubeNode[]) => nodes.length > 0 && nodes.every((n) => (n.status.nodeInfo?.osImage ?? "").startsWith("Talos"));

export default defineCheck({
  meta: {
    id: "kube/pod-security",
    title: "DaemonSets blocked by PodSecurity admission",
    severity: "warning",
    sources: ["kube", "files"],
    symptoms: ['violates PodSecurity "baseline:latest"', 'violates PodSecurity "restricted:latest"', "Error creating: pods <pod> is forbidden: violates PodSecurity"],
    fixable: ["command", "edit"],
  },
  facts: { daemonSets, namespaces, nodes, events: optional(events), manifests: optional(manifests) },
  run({ daemonSets, namespaces, nodes, events, manifests }) {
    const talos = isTalos(nodes);
    const findings: Finding[] = [];
    for (const ds of daemonSets) {
      const { name, namespace = "default" } = ds.metadata;
      if ((ds.status.desiredNumberScheduled ?? 0) === 0 || (ds.status.numberReady ?? 0) > 0) continue;
      const refusals = (events.ok ? events.value : []).filter(
        (e) => e.involvedObject.kind === "DaemonSet" && e.involvedObject.namespace === namespace && e.involvedObject.name === name && /violates PodSecurity/i.test(e.message ?? ""),
      );
      const { level, labelled } = enforcedLevel(
        namespaces.find((n) => n.metadata.name === namespace),
        namespace,
        talos,
      );
      const needs = baselineViolations(ds.spec.template.spec);
      // Without the admission's own refusal, only a DaemonSet that created no pod at all and needs more than its namespace allows.
      const inferred = refusals.length === 0 && (ds.status.currentNumberScheduled ?? 0) === 0 && needs.length > 0 && level !== PRIVILEGED;
      if (refusals.length === 0 && !inferred) continue;
      findings.push({
        subject: `daemonset ${namespace}/${name}`,
        message: `has ${ds.status.desiredNumberScheduled} pod(s) desired and none ready: namespace ${namespace} enforces PodSecurity "${level}"${needs.length > 0 ? `, and its pods need ${needs.join("; ")}` : ""}`,
        evidence: refusals.length > 0 ? refusals.slice(0, 2).map((e) => `event ${e.reason ?? ""}: ${e.message ?? ""}`) : [`${ENFORCE}=${level}${labelled ? "" : " (the cluster's default)"}`],
        fix: privilegedNamespaceFix(ds, namespace, manifests.ok ? findManifest(manifests.value, "Namespace", namespace, undefined) : undefined),
      });
    }
    return findings.length > 0 ? findings : [pass(`${daemonSets.length} DaemonSet(s): none blocked by PodSecurity`)];
  },
});

function privilegedNamespaceFix(ds: KubeDaemonSet, namespace: string, manifest: ManifestDoc | undefined): Fix {
  const label = manifest && editManifest(manifest, `label namespace ${namespace} ${ENFORCE}=${PRIVILEGED}`, (doc) => doc.setIn(["metadata", "labels", ENFORCE], PRIVILEGED));
  const steps: FixStep[] = label ? [label] : [];
  steps.push(
    { kind: "command", description: `allow privileged pods in namespace ${namespace}`, argv: ["kubectl", "label", "namespace", namespace, `${ENFORCE}=${PRIVILEGED}`, "--overwrite"], destructive: false },
    { kind: "command", description: `let daemonset ${ds.metadata.name} create its pods now`, argv: ["kubectl", "rollout", "restart", `daemonset.apps/${ds.metadata.name}`, "--namespace", namespace], destructive: false },
  );
  return { summary: `Let namespace ${namespace} run privileged pods`, steps };
}
