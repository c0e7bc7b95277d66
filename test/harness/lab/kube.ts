/**
 * Kubernetes objects for a lab, as the API server returns them (List objects), plus what
 * `kubectl get <r> -A -o json` prints for them (the in-process lab transport uses that).
 * Objects are keyed by kubectl's full resource name: `pods`, `deployments.apps`,
 * `helmreleases.helm.toolkit.fluxcd.io`. A custom kind is served only when the lab has its key
 * (its CRD is installed), even with no objects.
 */
import type { ExecAnswer } from "../../../src/sources/transport.ts";
import type { Lab } from "./model.ts";

export interface KubeResource {
  /** Plural name, as in the URL. */
  name: string;
  /** API group; "" for the core group. */
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
  /** Served only when installed (a CRD); built-in kinds are always served. */
  custom: boolean;
}

const builtIn = (name: string, group: string, version: string, kind: string, namespaced: boolean): KubeResource => ({ name, group, version, kind, namespaced, custom: false });
const crd = (name: string, group: string, version: string, kind: string): KubeResource => ({ name, group, version, kind, namespaced: true, custom: true });

/** Every kind the fake API server knows, with the versions current releases serve. */
export const KUBE_RESOURCES: KubeResource[] = [
  builtIn("nodes", "", "v1", "Node", false),
  builtIn("events", "", "v1", "Event", true),
  builtIn("pods", "", "v1", "Pod", true),
  builtIn("namespaces", "", "v1", "Namespace", false),
  builtIn("persistentvolumeclaims", "", "v1", "PersistentVolumeClaim", true),
  builtIn("configmaps", "", "v1", "ConfigMap", true),
  builtIn("deployments", "apps", "v1", "Deployment", true),
  builtIn("daemonsets", "apps", "v1", "DaemonSet", true),
  builtIn("storageclasses", "storage.k8s.io", "v1", "StorageClass", false),
  crd("kustomizations", "kustomize.toolkit.fluxcd.io", "v1", "Kustomization"),
  crd("helmreleases", "helm.toolkit.fluxcd.io", "v2", "HelmRelease"),
  crd("certificates", "cert-manager.io", "v1", "Certificate"),
  crd("challenges", "acme.cert-manager.io", "v1", "Challenge"),
  crd("externalsecrets", "external-secrets.io", "v1", "ExternalSecret"),
  crd("pushsecrets", "external-secrets.io", "v1alpha1", "PushSecret"),
  crd("sealedsecrets", "bitnami.com", "v1alpha1", "SealedSecret"),
  crd("terraforms", "infra.contrib.fluxcd.io", "v1alpha2", "Terraform"),
];

/** kubectl's full name for a kind, and the lab's key for its objects. */
const resourceKey = (r: KubeResource): string => (r.group ? `${r.name}.${r.group}` : r.name);

export const groupVersion = (r: KubeResource): string => (r.group ? `${r.group}/${r.version}` : r.version);

/** The kinds this lab's cluster serves. */
export function servedResources(lab: Lab): KubeResource[] {
  return KUBE_RESOURCES.filter((r) => !r.custom || (lab.kube?.objects[resourceKey(r)] !== undefined));
}

/** `metadata.name=x,metadata.namespace=y` applied the way the API server applies it. */
function matchesFieldSelector(object: Record<string, unknown>, selector: string | undefined): boolean {
  if (!selector) return true;
  const meta = (object.metadata ?? {}) as Record<string, unknown>;
  return selector.split(",").every((term) => {
    const [field, value] = term.split("=");
    const actual = field === "metadata.name" ? meta.name : field === "metadata.namespace" ? meta.namespace : undefined;
    return actual === value;
  });
}

export function kubeList(lab: Lab, resource: KubeResource, options: { namespace?: string; fieldSelector?: string } = {}): Record<string, unknown> {
  const items = (lab.kube?.objects[resourceKey(resource)] ?? []).filter(
    (o) => (!options.namespace || (o.metadata as { namespace?: string } | undefined)?.namespace === options.namespace) && matchesFieldSelector(o, options.fieldSelector),
  );
  return { apiVersion: groupVersion(resource), kind: `${resource.kind}List`, metadata: { resourceVersion: "12345" }, items };
}

/** The context the harness kubeconfig defines (Omni's naming for a cluster called "lab"). */
export const LAB_CONTEXT = "omni-lab";

/** What kubectl prints for `get <resource> [-A] [--field-selector ...] -o json` and the `config` questions. */
export function kubectlAnswer(lab: Lab, argv: readonly string[]): ExecAnswer {
  if (argv[0] === "config") {
    if (argv[1] === "get-contexts") return { exitCode: 0, stdout: lab.kube ? `${LAB_CONTEXT}\n` : "", stderr: "" };
    return lab.kube ? { exitCode: 0, stdout: `${LAB_CONTEXT}\n`, stderr: "" } : { exitCode: 1, stdout: "", stderr: "error: current-context is not set\n" };
  }
  if (!lab.kube) {
    return { exitCode: 1, stdout: "", stderr: "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n" };
  }
  if (lab.kube.failure?.status === 401) return { exitCode: 1, stdout: "", stderr: "error: You must be logged in to the server (Unauthorized)\n" };
  const name = argv[1] ?? "";
  const resource = servedResources(lab).find((r) => resourceKey(r) === name || r.name === name);
  if (!resource) return { exitCode: 1, stdout: "", stderr: `error: the server doesn't have a resource type "${name.split(".")[0]}"\n` };
  const selectorAt = argv.indexOf("--field-selector");
  const fieldSelector = selectorAt >= 0 ? argv[selectorAt + 1] : undefined;
  const { items } = kubeList(lab, resource, fieldSelector ? { fieldSelector } : {});
  // kubectl prints a List with apiVersion v1 and kind List whatever the kind.
  return { exitCode: 0, stdout: `${JSON.stringify({ apiVersion: "v1", kind: "List", metadata: { resourceVersion: "" }, items }, null, 4)}\n`, stderr: "" };
}

type Obj = Record<string, unknown>;
type Condition = { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string };

const CREATED = "2026-11-01T10:00:00Z";

function meta(namespace: string | undefined, name: string, extra: Obj = {}): Obj {
  return { name, ...(namespace ? { namespace } : {}), uid: `uid-${namespace ?? ""}-${name}`, creationTimestamp: CREATED, ...extra };
}

export interface ContainerSpec {
  name?: string;
  image?: string;
  args?: string[];
  /** `running` (default), `waiting:<Reason>` or a full containerStatus state. */
  state?: "running" | `waiting:${string}` | Obj;
  restarts?: number;
  /** The previous run ended like this. */
  lastExit?: { exitCode: number; reason?: string; message?: string };
  securityContext?: Obj;
}

export interface PodTemplateSpec {
  containers?: ContainerSpec[];
  /** PersistentVolumeClaims mounted as volumes. */
  claims?: string[];
  hostNetwork?: boolean;
  labels?: Record<string, string>;
}

function podSpec(t: PodTemplateSpec, nodeName?: string): Obj {
  const containers = t.containers ?? [{}];
  return {
    ...(nodeName ? { nodeName } : {}),
    ...(t.hostNetwork ? { hostNetwork: true } : {}),
    containers: containers.map((c, i) => ({
      name: c.name ?? (i === 0 ? "app" : `c${i}`),
      image: c.image ?? "ghcr.io/example/app:1.0.0",
      ...(c.args ? { args: c.args } : {}),
      ...(c.securityContext ? { securityContext: c.securityContext } : {}),
    })),
    volumes: (t.claims ?? []).map((claimName) => ({ name: claimName, persistentVolumeClaim: { claimName } })),
  };
}

function containerStatus(c: ContainerSpec, i: number, started: string): Obj {
  const state = c.state ?? "running";
  const shaped = typeof state === "object" ? state : state === "running" ? { running: { startedAt: started } } : { waiting: { reason: state.slice("waiting:".length), message: "" } };
  return {
    name: c.name ?? (i === 0 ? "app" : `c${i}`),
    image: c.image ?? "ghcr.io/example/app:1.0.0",
    ready: state === "running",
    restartCount: c.restarts ?? 0,
    started: state === "running",
    state: shaped,
    lastState: c.lastExit ? { terminated: { exitCode: c.lastExit.exitCode, reason: c.lastExit.reason ?? "Error", ...(c.lastExit.message ? { message: c.lastExit.message } : {}), finishedAt: "2026-11-20T09:58:00Z" } } : {},
  };
}

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

  namespace(name: string, labels: Record<string, string> = {}): Obj {
    return { apiVersion: "v1", kind: "Namespace", metadata: meta(undefined, name, { labels: { "kubernetes.io/metadata.name": name, ...labels } }), status: { phase: "Active" } };
  },

  /**
   * A pod. `owner` is its controller: a Deployment's pods belong to a ReplicaSet `<deployment>-<hash>`.
   * `phase: "Pending"` with a node and no containers means the kubelet never picked it up.
   */
  pod(
    namespace: string,
    name: string,
    o: PodTemplateSpec & {
      node?: string;
      phase?: "Running" | "Pending" | "Succeeded" | "Failed";
      created?: string;
      startTime?: string;
      owner?: { kind: string; name: string };
      /** The scheduler's verdict, for Pending pods without a node. */
      unschedulable?: string;
      /** No container statuses at all (nothing reported by a kubelet). */
      noStatus?: boolean;
    } = {},
  ): Obj {
    const phase = o.phase ?? "Running";
    const created = o.created ?? CREATED;
    const labels = { ...(o.owner?.kind === "ReplicaSet" ? { "pod-template-hash": o.owner.name.split("-").pop()! } : {}), ...(o.labels ?? {}) };
    const conditions: Condition[] = o.unschedulable
      ? [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: o.unschedulable, lastTransitionTime: created }]
      : [
          { type: "PodScheduled", status: "True", lastTransitionTime: created },
          ...(o.noStatus ? [] : [{ type: "Initialized", status: "True", lastTransitionTime: created }, { type: "Ready", status: phase === "Running" ? "True" : "False", lastTransitionTime: created }]),
        ];
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: meta(namespace, name, {
        creationTimestamp: created,
        labels,
        ...(o.owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: o.owner.kind, name: o.owner.name, uid: `uid-${o.owner.name}`, controller: true }] } : {}),
      }),
      spec: podSpec(o, o.unschedulable ? undefined : (o.node ?? "talos-w-1")),
      status: {
        phase,
        conditions,
        ...(o.unschedulable || o.noStatus ? {} : { startTime: o.startTime ?? created, containerStatuses: (o.containers ?? [{}]).map((c, i) => containerStatus(c, i, o.startTime ?? created)) }),
      },
    };
  },

  deployment(namespace: string, name: string, o: PodTemplateSpec & { replicas?: number; strategy?: Obj } = {}): Obj {
    return {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta(namespace, name),
      spec: {
        replicas: o.replicas ?? 1,
        selector: { matchLabels: { app: name } },
        strategy: o.strategy ?? { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
        template: { metadata: { labels: { app: name, ...(o.labels ?? {}) } }, spec: podSpec(o) },
      },
      status: { replicas: o.replicas ?? 1 },
    };
  },

  daemonSet(namespace: string, name: string, o: PodTemplateSpec & { desired?: number; ready?: number; current?: number } = {}): Obj {
    const desired = o.desired ?? 3;
    return {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: meta(namespace, name),
      spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec(o) } },
      status: { desiredNumberScheduled: desired, currentNumberScheduled: o.current ?? o.ready ?? desired, numberReady: o.ready ?? desired, numberMisscheduled: 0 },
    };
  },

  /** A claim; `selectedNode` is where the scheduler placed its first pod (WaitForFirstConsumer classes). */
  pvc(namespace: string, name: string, o: { accessModes?: string[]; phase?: "Bound" | "Pending" | "Lost"; storageClass?: string; created?: string; selectedNode?: string } = {}): Obj {
    return {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: meta(namespace, name, { creationTimestamp: o.created ?? CREATED, ...(o.selectedNode ? { annotations: { "volume.kubernetes.io/selected-node": o.selectedNode } } : {}) }),
      spec: { accessModes: o.accessModes ?? ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } }, storageClassName: o.storageClass ?? "proxmox-data", volumeMode: "Filesystem" },
      status: { phase: o.phase ?? "Bound" },
    };
  },

  storageClass(name: string, provisioner: string, volumeBindingMode: "Immediate" | "WaitForFirstConsumer" = "WaitForFirstConsumer"): Obj {
    return { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: meta(undefined, name), provisioner, reclaimPolicy: "Delete", volumeBindingMode };
  },

  event(o: { namespace: string; kind: string; name: string; reason: string; message: string; type?: "Normal" | "Warning"; count?: number }): Obj {
    return {
      apiVersion: "v1",
      kind: "Event",
      metadata: meta(o.namespace, `${o.name}.${o.reason.toLowerCase()}`),
      involvedObject: { kind: o.kind, name: o.name, namespace: o.namespace },
      reason: o.reason,
      message: o.message,
      type: o.type ?? "Warning",
      count: o.count ?? 1,
      lastTimestamp: "2026-11-20T09:55:00Z",
    };
  },

  configMap(namespace: string, name: string, data: Record<string, string>): Obj {
    return { apiVersion: "v1", kind: "ConfigMap", metadata: meta(namespace, name), data };
  },

  /** A Ready (or other) condition. */
  condition(type: string, status: "True" | "False" | "Unknown", reason: string, message: string, since = "2026-11-20T08:00:00Z"): Condition {
    return { type, status, reason, message, lastTransitionTime: since };
  },

  /** An object whose state is its conditions: Kustomization, HelmRelease, SealedSecret, Terraform. */
  conditioned(apiVersion: string, kind: string, namespace: string, name: string, conditions: Condition[], spec: Obj = {}): Obj {
    return { apiVersion, kind, metadata: meta(namespace, name), spec, status: { conditions } };
  },

  certificate(namespace: string, name: string, ready: Condition, o: { dnsNames?: string[]; notAfter?: string } = {}): Obj {
    return {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: meta(namespace, name),
      spec: { secretName: `${name}-tls`, dnsNames: o.dnsNames ?? [`${name}.lab.example`], issuerRef: { name: "letsencrypt", kind: "ClusterIssuer" } },
      status: { conditions: [ready], ...(o.notAfter ? { notAfter: o.notAfter } : {}) },
    };
  },

  challenge(namespace: string, name: string, o: { dnsName: string; state: string; reason: string; type?: "DNS-01" | "HTTP-01"; created?: string }): Obj {
    return {
      apiVersion: "acme.cert-manager.io/v1",
      kind: "Challenge",
      metadata: meta(namespace, name, { creationTimestamp: o.created ?? CREATED }),
      spec: { dnsName: o.dnsName, type: o.type ?? "DNS-01", issuerRef: { name: "letsencrypt", kind: "ClusterIssuer" } },
      status: { presented: true, processing: o.state === "pending", reason: o.reason, state: o.state },
    };
  },

  externalSecret(namespace: string, name: string, spec: Obj): Obj {
    return { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", metadata: meta(namespace, name), spec };
  },

  pushSecret(namespace: string, name: string, secretName: string): Obj {
    return { apiVersion: "external-secrets.io/v1alpha1", kind: "PushSecret", metadata: meta(namespace, name), spec: { selector: { secret: { name: secretName } }, secretStoreRefs: [{ name: "vault-backend", kind: "ClusterSecretStore" }] } };
  },
};
