/** Reading Kubernetes objects: node readiness, who owns a pod, which containers are blocked and why. Pure; shared by the kube checks. */
import type { KubeCondition, KubeContainerStatus, KubeNode, KubePod } from "../sources/kube/objects.ts";

/** A problem that outlasts this is not a pod starting up or being rescheduled. */
export const STUCK_AFTER_MINUTES = 10;

export function minutesSince(timestamp: string | null | undefined, now: Date): number | undefined {
  if (!timestamp) return undefined;
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? undefined : Math.floor((now.getTime() - time) / 60_000);
}

export function conditionOf(conditions: readonly KubeCondition[], type: string): KubeCondition | undefined {
  return conditions.find((c) => c.type === type);
}

export function isNodeReady(node: KubeNode): boolean {
  return conditionOf(node.status.conditions, "Ready")?.status === "True";
}

export function internalIp(node: KubeNode): string {
  return node.status.addresses.find((a) => a.type === "InternalIP")?.address ?? node.metadata.name;
}

/** The workload a pod belongs to; a Deployment's pods are owned by its ReplicaSet `<deployment>-<pod-template-hash>`. */
export function podOwner(pod: KubePod): { kind: string; name: string } | undefined {
  const ref = pod.metadata.ownerReferences.find((r) => r.controller) ?? pod.metadata.ownerReferences[0];
  if (!ref) return undefined;
  const hash = pod.metadata.labels["pod-template-hash"];
  if (ref.kind === "ReplicaSet" && hash && ref.name.endsWith(`-${hash}`)) return { kind: "Deployment", name: ref.name.slice(0, -hash.length - 1) };
  return { kind: ref.kind, name: ref.name };
}

export interface DeploymentPods {
  namespace: string;
  name: string;
  pods: KubePod[];
}

/** A pod that runs an image matching `image` (how a controller is found, whatever its install named it). */
export const runsImage = (image: RegExp) => (pod: KubePod) => pod.spec.containers.some((c) => image.test(c.image ?? ""));

/** The Deployment whose pods match (a controller found by its pods), with those pods. */
export function findDeployment(pods: readonly KubePod[], matches: (pod: KubePod) => boolean): DeploymentPods | undefined {
  for (const pod of pods.filter(matches)) {
    const owner = podOwner(pod);
    if (owner?.kind !== "Deployment") continue;
    const namespace = pod.metadata.namespace ?? "default";
    return { namespace, name: owner.name, pods: pods.filter((p) => p.metadata.namespace === namespace && podOwner(p)?.name === owner.name && matches(p)) };
  }
  return undefined;
}

/** Waiting reasons that mean the container cannot run until something changes (not a normal start). */
const BLOCKED = new Set(["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError"]);

export interface ContainerTrouble {
  container: string;
  reason: string;
  message: string;
  restarts: number;
  /** How the previous run ended, e.g. `exit code 1 (Error)`. */
  lastExit?: string;
  lastMessage?: string;
}

function lastExit(status: KubeContainerStatus): Pick<ContainerTrouble, "lastExit" | "lastMessage"> {
  const terminated = status.lastState?.terminated;
  if (!terminated) return {};
  const exit = `exit code ${terminated.exitCode ?? "?"}${terminated.reason ? ` (${terminated.reason})` : ""}`;
  return terminated.message ? { lastExit: exit, lastMessage: terminated.message.trim() } : { lastExit: exit };
}

/** Containers (init containers included) blocked in a waiting state such as CrashLoopBackOff or ImagePullBackOff. */
export function containerTroubles(pod: KubePod): ContainerTrouble[] {
  return [...pod.status.initContainerStatuses, ...pod.status.containerStatuses].flatMap((status) => {
    const waiting = status.state?.waiting;
    if (!waiting?.reason || !BLOCKED.has(waiting.reason)) return [];
    return [{ container: status.name, reason: waiting.reason, message: waiting.message ?? "", restarts: status.restartCount ?? 0, ...lastExit(status) }];
  });
}

export function isCrashLooping(pod: KubePod): boolean {
  return containerTroubles(pod).some((t) => t.reason === "CrashLoopBackOff");
}
