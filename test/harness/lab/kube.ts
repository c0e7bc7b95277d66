/**
 * Kubernetes objects for a lab, as the API server returns them (List objects), plus what
 * `kubectl get <r> -A -o json` prints for them (the in-process lab transport uses that).
 */
import type { ExecAnswer } from "../../../src/sources/transport.ts";
import type { Lab } from "./model.ts";

/** Core resources the fake API server knows (name, kind, namespaced). */
export const CORE_RESOURCES: Array<{ name: string; kind: string; namespaced: boolean }> = [
  { name: "nodes", kind: "Node", namespaced: false },
  { name: "events", kind: "Event", namespaced: true },
  { name: "pods", kind: "Pod", namespaced: true },
  { name: "namespaces", kind: "Namespace", namespaced: false },
  { name: "persistentvolumeclaims", kind: "PersistentVolumeClaim", namespaced: true },
  { name: "configmaps", kind: "ConfigMap", namespaced: true },
];

export const kube = {
  node(name: string, ip: string, o: { ready?: "True" | "False" | "Unknown"; reason?: string; message?: string; role?: "control-plane" | "worker" } = {}): Record<string, unknown> {
    const ready = o.ready ?? "True";
    return {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name,
        uid: `uid-${name}`,
        labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", ...(o.role === "control-plane" ? { "node-role.kubernetes.io/control-plane": "" } : {}) },
        creationTimestamp: "2026-11-01T10:00:00Z",
      },
      spec: { podCIDR: "10.244.0.0/24" },
      status: {
        addresses: [
          { type: "InternalIP", address: ip },
          { type: "Hostname", address: name },
        ],
        conditions: [
          { type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory", message: "kubelet has sufficient memory available" },
          { type: "DiskPressure", status: "False", reason: "KubeletHasNoDiskPressure", message: "kubelet has no disk pressure" },
          { type: "PIDPressure", status: "False", reason: "KubeletHasSufficientPID", message: "kubelet has sufficient PID available" },
          {
            type: "Ready",
            status: ready,
            reason: o.reason ?? (ready === "True" ? "KubeletReady" : "KubeletNotReady"),
            message: o.message ?? (ready === "True" ? "kubelet is posting ready status" : "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"),
            lastHeartbeatTime: "2026-11-20T09:00:00Z",
            lastTransitionTime: "2026-11-20T08:00:00Z",
          },
        ],
        nodeInfo: { kubeletVersion: "v1.35.2", osImage: "Talos (v1.12.4)", containerRuntimeVersion: "containerd://2.1.5" },
      },
    };
  },
};

/** A pod as the API server lists it; Pending pods have no container statuses yet. */
export function kubePod(name: string, namespace: string, node: string, phase: "Pending" | "Running" = "Running"): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, uid: `uid-${namespace}-${name}`, creationTimestamp: "2026-11-20T09:30:00Z" },
    spec: { nodeName: node, containers: [{ name: "main", image: "registry.lab.example/app:1" }] },
    status: { phase, conditions: [{ type: "PodScheduled", status: "True" }, { type: "Ready", status: phase === "Running" ? "True" : "False" }] },
  };
}

export function kubeList(lab: Lab, resource: string): Record<string, unknown> {
  const kind = CORE_RESOURCES.find((r) => r.name === resource)?.kind ?? "Object";
  return { apiVersion: "v1", kind: `${kind}List`, metadata: { resourceVersion: "12345" }, items: lab.kube?.objects[resource] ?? [] };
}

/** What `kubectl get <resource> [-A] -o json` prints (kubectl prints a List with apiVersion v1 and kind List). */
export function kubectlAnswer(lab: Lab, argv: readonly string[]): ExecAnswer {
  if (!lab.kube) {
    return { exitCode: 1, stdout: "", stderr: "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n" };
  }
  if (lab.kube.failure?.status === 401) return { exitCode: 1, stdout: "", stderr: "error: You must be logged in to the server (Unauthorized)\n" };
  const resource = argv[1] ?? "";
  if (!CORE_RESOURCES.some((r) => r.name === resource) && !lab.kube.objects[resource]) {
    return { exitCode: 1, stdout: "", stderr: `error: the server doesn't have a resource type "${resource}"\n` };
  }
  const list = { apiVersion: "v1", kind: "List", metadata: { resourceVersion: "" }, items: lab.kube.objects[resource] ?? [] };
  return { exitCode: 0, stdout: `${JSON.stringify(list, null, 4)}\n`, stderr: "" };
}
