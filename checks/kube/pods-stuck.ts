import { defineCheck, pass, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { events, nodes, pods } from "../../src/sources/kube/facts.ts";
import type { KubeEvent, KubeNode, KubePod } from "../../src/sources/kube/objects.ts";
import type { Fix } from "../../src/model/result.ts";
import { conditionOf, containerTroubles, internalIp, isNodeReady, minutesSince, STUCK_AFTER_MINUTES, type ContainerTrouble } from "../../src/rules/kube-objects.ts";

const name = (pod: KubePod) => `${pod.metadata.namespace}/${pod.metadata.name}`;

function describePod(pod: KubePod): Fix["steps"][number] {
  return { kind: "command", description: `read the pod's events`, argv: ["kubectl", "describe", "pod", pod.metadata.name, "--namespace", pod.metadata.namespace ?? "default"], destructive: false };
}

/** A container that cannot run: what it is waiting for, in words, and where to look. */
function troubleFinding(pod: KubePod, troubles: ContainerTrouble[]): Finding {
  const first = troubles[0]!;
  const what =
    first.reason === "CrashLoopBackOff"
      ? `is crash-looping (${first.restarts} restarts${first.lastExit ? `, last ${first.lastExit}` : ""})`
      : /ImagePull|InvalidImageName/.test(first.reason)
        ? `cannot pull its image (${first.reason})`
        : first.reason === "CreateContainerConfigError"
          ? "cannot start: it refers to a Secret or ConfigMap (or a key in one) that does not exist"
          : `cannot start (${first.reason})`;
  const steps: Fix["steps"] =
    first.reason === "CrashLoopBackOff"
      ? [{ kind: "command", description: `read the log of the run that crashed`, argv: ["kubectl", "logs", pod.metadata.name, "--namespace", pod.metadata.namespace ?? "default", "--container", first.container, "--previous"], destructive: false }]
      : [describePod(pod)];
  return {
    subject: `pod ${name(pod)}`,
    message: `container "${first.container}" ${what}`,
    evidence: troubles.flatMap((t) => [`${t.container}: ${t.reason}${t.message ? `: ${t.message}` : ""}`, ...(t.lastMessage ? [`${t.container} last run: ${t.lastMessage}`] : [])]),
    fix: { summary: first.reason === "CrashLoopBackOff" ? "Find out why it crashes" : "Find out what it waits for", steps },
  };
}

/** Pods a Ready node accepted but never started: its kubelet lost track of them (a "zombie" kubelet after a containerd crash). */
function zombieFinding(node: KubeNode, stuck: KubePod[], now: Date): Finding {
  const ip = internalIp(node);
  const oldest = Math.max(...stuck.map((p) => minutesSince(conditionOf(p.status.conditions, "PodScheduled")?.lastTransitionTime ?? p.metadata.creationTimestamp, now) ?? 0));
  return {
    subject: `node ${node.metadata.name}`,
    message: `reports Ready, but ${stuck.length} pod(s) scheduled to it up to ${oldest} minutes ago were never started: its kubelet is not running new pods`,
    evidence: stuck.slice(0, 5).map((p) => `pod ${name(p)}: Pending, no container status`),
    fix: {
      summary: "Restart the node's kubelet through Talos",
      steps: [
        { kind: "command", description: `see the kubelet's state on ${node.metadata.name} (look for "cannot delete running task kubelet")`, argv: ["talosctl", "--nodes", ip, "service", "kubelet"], destructive: false },
        { kind: "command", description: `reboot ${node.metadata.name}, the clean way out of a kubelet Talos cannot restart (its pods move elsewhere)`, argv: ["talosctl", "--nodes", ip, "reboot"], destructive: false },
      ],
    },
  };
}

function eventsOf(pod: KubePod, events: readonly KubeEvent[]): string[] {
  return events
    .filter((e) => e.type === "Warning" && e.involvedObject.kind === "Pod" && e.involvedObject.namespace === pod.metadata.namespace && e.involvedObject.name === pod.metadata.name)
    .slice(0, 3)
    .map((e) => `event ${e.reason ?? ""}: ${e.message ?? ""}`);
}

export default defineCheck({
  meta: {
    id: "kube/pods-stuck",
    title: "Pods that cannot start or keep crashing",
    severity: "error",
    sources: ["kube"],
    symptoms: [
      "Back-off restarting failed container",
      "CrashLoopBackOff",
      "ImagePullBackOff",
      "CreateContainerConfigError",
      "0/<n> nodes are available",
    ],
    fixable: ["command"],
  },
  facts: { pods, nodes, events: optional(events) },
  run({ pods, nodes, events }, { now }) {
    const nodeByName = new Map(nodes.map((n) => [n.metadata.name, n]));
    const warnings = events.ok ? events.value : [];
    const findings: Finding[] = [];
    const neverStarted = new Map<KubeNode, KubePod[]>();
    for (const pod of pods) {
      const phase = pod.status.phase;
      if (pod.metadata.deletionTimestamp || phase === "Succeeded" || phase === "Failed") continue;
      const troubles = containerTroubles(pod);
      if (troubles.length > 0) {
        findings.push(troubleFinding(pod, troubles));
        continue;
      }
      if (phase !== "Pending") continue;
      const scheduled = conditionOf(pod.status.conditions, "PodScheduled");
      const minutes = minutesSince(scheduled?.lastTransitionTime ?? pod.metadata.creationTimestamp, now);
      if (minutes === undefined || minutes < STUCK_AFTER_MINUTES) continue;
      if (scheduled?.status === "False") {
        findings.push({
          subject: `pod ${name(pod)}`,
          severity: "warning",
          message: `has waited ${minutes} minutes for a node: ${scheduled.message ?? scheduled.reason ?? "the scheduler gave no reason"}`,
          evidence: [`PodScheduled=False reason=${scheduled.reason ?? ""}`],
          fix: { summary: "Find out why no node fits", steps: [describePod(pod)] },
        });
        continue;
      }
      const node = nodeByName.get(pod.spec.nodeName ?? "");
      // A NotReady node explains its pods; kube/nodes reports it.
      if (!node || !isNodeReady(node)) continue;
      const started = pod.status.containerStatuses.length > 0 || pod.status.initContainerStatuses.length > 0 || conditionOf(pod.status.conditions, "Initialized") !== undefined;
      if (!started) {
        neverStarted.set(node, [...(neverStarted.get(node) ?? []), pod]);
        continue;
      }
      findings.push({
        subject: `pod ${name(pod)}`,
        message: `has been starting on ${node.metadata.name} for ${minutes} minutes`,
        evidence: eventsOf(pod, warnings),
        fix: { summary: "Find out what it waits for (often a volume that cannot be mounted)", steps: [describePod(pod)] },
      });
    }
    for (const [node, stuck] of neverStarted) findings.push(zombieFinding(node, stuck, now));
    return findings.length > 0 ? findings : [pass(`${pods.length} pod(s): none stuck or crash-looping`)];
  },
});
