/**
 * Workload clusters for the kube checks, served by the loopback API server to the real kubectl:
 * one with a problem for every check, the same cluster healthy, and a bare one without any of the
 * optional CRDs (Flux, cert-manager, External Secrets, Sealed Secrets, tofu-controller) or Cilium.
 * Plus the GitOps manifests the broken cluster was deployed from, for the fixes that edit the kit.
 */
import type { Lab } from "./lab/model.ts";
import { kube } from "./lab/kube.ts";

export const KUBE_LAB_NOW = "2026-11-20T10:00:00Z";
/** An hour before KUBE_LAB_NOW: long enough for anything to count as stuck. */
const AN_HOUR_AGO = "2026-11-20T09:00:00Z";

type Objects = NonNullable<Lab["kube"]>["objects"];

const nodes = (workerReady: boolean) => [
  kube.node("talos-cp-1", "10.0.0.21", { role: "control-plane" }),
  kube.node("talos-w-1", "10.0.0.31"),
  workerReady ? kube.node("talos-w-2", "10.0.0.32") : kube.node("talos-w-2", "10.0.0.32", { ready: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." }),
];

const namespaces = () => ["kube-system", "flux-system", "apps", "git", "wiki", "vault", "csi-proxmox", "longhorn-system"].map((n) => kube.namespace(n));

const storageClasses = () => [kube.storageClass("proxmox-data", "csi.proxmox.sinextra.dev")];

const fluxControllers = () => [
  kube.pod("flux-system", "kustomize-controller-5d8f9c7b6-k2p4q", { owner: { kind: "ReplicaSet", name: "kustomize-controller-5d8f9c7b6" }, containers: [{ name: "manager", image: "ghcr.io/fluxcd/kustomize-controller:v1.5.1" }] }),
  kube.pod("flux-system", "tofu-controller-tf-controller-6b7f9c8d5-q2w3e", {
    owner: { kind: "ReplicaSet", name: "tofu-controller-tf-controller-6b7f9c8d5" },
    startTime: AN_HOUR_AGO,
    containers: [{ name: "manager", image: "ghcr.io/flux-iac/tofu-controller:v0.16.0-rc.5" }],
  }),
];

const ready = (reason: string, message: string) => [kube.condition("Ready", "True", reason, message)];
const RUNNER_SECRET = "terraform-runner.tls-1763540000";

/** Everything installed, nothing wrong. */
export function healthyKubeLab(): Lab {
  const objects: Objects = {
    nodes: nodes(true),
    namespaces: namespaces(),
    events: [],
    pods: [
      ...fluxControllers(),
      kube.pod("git", "gitea-7d9f8b7c6-abcde", { owner: { kind: "ReplicaSet", name: "gitea-7d9f8b7c6" }, claims: ["gitea-data"] }),
      kube.pod("flux-system", "authentik-tf-runner", { labels: { "app.kubernetes.io/name": "tf-runner", "tf.weave.works/tls-secret-name": RUNNER_SECRET }, owner: { kind: "Terraform", name: "authentik" } }),
    ],
    persistentvolumeclaims: [kube.pvc("git", "gitea-data")],
    configmaps: [kube.configMap("kube-system", "cilium-config", { mtu: "1450", "tunnel-protocol": "vxlan" })],
    "deployments.apps": [kube.deployment("git", "gitea", { claims: ["gitea-data"], strategy: { type: "Recreate" } })],
    "daemonsets.apps": [kube.daemonSet("kube-system", "cilium", { hostNetwork: true }), kube.daemonSet("longhorn-system", "longhorn-manager", { containers: [{ securityContext: { privileged: true } }] })],
    "storageclasses.storage.k8s.io": storageClasses(),
    "kustomizations.kustomize.toolkit.fluxcd.io": [kube.conditioned("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "flux-system", "apps", ready("ReconciliationSucceeded", "Applied revision: main@sha1:0a1b2c3d"))],
    "helmreleases.helm.toolkit.fluxcd.io": [kube.conditioned("helm.toolkit.fluxcd.io/v2", "HelmRelease", "longhorn-system", "longhorn", ready("InstallSucceeded", "Helm install succeeded"))],
    "certificates.cert-manager.io": [kube.certificate("wiki", "wiki", kube.condition("Ready", "True", "Ready", "Certificate is up to date and has not expired"))],
    "challenges.acme.cert-manager.io": [],
    "externalsecrets.external-secrets.io": [kube.externalSecret("wiki", "wiki-oidc", { secretStoreRef: { name: "vault-backend", kind: "ClusterSecretStore" }, dataFrom: [{ extract: { key: "sso/wiki" } }] })],
    "pushsecrets.external-secrets.io": [],
    "sealedsecrets.bitnami.com": [kube.conditioned("bitnami.com/v1alpha1", "SealedSecret", "csi-proxmox", "proxmox-csi-plugin", [kube.condition("Synced", "True", "", "")])],
    "terraforms.infra.contrib.fluxcd.io": [kube.conditioned("infra.contrib.fluxcd.io/v1alpha2", "Terraform", "flux-system", "authentik", ready("TerraformAppliedSucceed", "Applied successfully"))],
  };
  return { now: KUBE_LAB_NOW, kube: { objects } };
}

/** The same cluster with one problem per check. */
export function brokenKubeLab(): Lab {
  const lab = healthyKubeLab();
  const o = lab.kube!.objects;
  o.nodes = nodes(false);
  o.pods = [
    ...fluxControllers(),
    // kube/pods-stuck: a crash loop, and a Ready node that starts nothing
    kube.pod("apps", "api-6c5b4a3d2-x9y8z", { owner: { kind: "ReplicaSet", name: "api-6c5b4a3d2" }, containers: [{ name: "api", state: "waiting:CrashLoopBackOff", restarts: 14, lastExit: { exitCode: 1 } }] }),
    kube.pod("apps", "worker-0", { phase: "Pending", node: "talos-w-1", created: AN_HOUR_AGO, noStatus: true }),
    // kube/rwo-rolling-deadlock: the old pod holds the volume, the new one waits for it
    kube.pod("git", "gitea-7d9f8b7c6-abcde", { owner: { kind: "ReplicaSet", name: "gitea-7d9f8b7c6" }, claims: ["gitea-data"] }),
    kube.pod("git", "gitea-5c8f9d7b4-xk2lp", { phase: "Pending", node: "talos-w-1", owner: { kind: "ReplicaSet", name: "gitea-5c8f9d7b4" }, claims: ["gitea-data"], containers: [{ state: "waiting:ContainerCreating" }], created: "2026-11-20T09:55:00Z" }),
    // kube/tf-runner-tls: a runner created before the controller restarted
    kube.pod("flux-system", "authentik-tf-runner", {
      created: "2026-11-19T18:00:00Z",
      owner: { kind: "Terraform", name: "authentik" },
      labels: { "app.kubernetes.io/name": "tf-runner", "tf.weave.works/tls-secret-name": RUNNER_SECRET },
      containers: [{ name: "tf-runner", args: ["--grpc-port", "30000", "--tls-secret-name", RUNNER_SECRET], state: "waiting:CrashLoopBackOff", restarts: 9, lastExit: { exitCode: 1 } }],
    }),
    // kube/storage: the claim's pod waits
    kube.pod("vault", "vault-0", { phase: "Pending", claims: ["data-vault-0"], containers: [{ state: "waiting:ContainerCreating" }], created: "2026-11-20T09:55:00Z" }),
  ];
  o["deployments.apps"] = [kube.deployment("git", "gitea", { claims: ["gitea-data"] })];
  o.persistentvolumeclaims = [kube.pvc("git", "gitea-data"), kube.pvc("vault", "data-vault-0", { phase: "Pending", created: AN_HOUR_AGO, selectedNode: "talos-w-1" })];
  o.events = [
    kube.event({ namespace: "git", kind: "Pod", name: "gitea-5c8f9d7b4-xk2lp", reason: "FailedAttachVolume", message: 'Multi-Attach error for volume "pvc-0a1b2c3d" Volume is already used by pod(s) gitea-7d9f8b7c6-abcde' }),
    kube.event({ namespace: "vault", kind: "PersistentVolumeClaim", name: "data-vault-0", reason: "ProvisioningFailed", message: 'failed to provision volume with StorageClass "proxmox-data": rpc error: code = Internal desc = 401 Unauthorized' }),
    kube.event({
      namespace: "longhorn-system",
      kind: "DaemonSet",
      name: "longhorn-manager",
      reason: "FailedCreate",
      message: 'Error creating: pods "longhorn-manager-x7k2p" is forbidden: violates PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)',
    }),
  ];
  o["daemonsets.apps"] = [kube.daemonSet("kube-system", "cilium", { hostNetwork: true }), kube.daemonSet("longhorn-system", "longhorn-manager", { desired: 3, ready: 0, current: 0, containers: [{ securityContext: { privileged: true } }] })];
  o.configmaps = [kube.configMap("kube-system", "cilium-config", { "tunnel-protocol": "vxlan" })];
  o["kustomizations.kustomize.toolkit.fluxcd.io"] = [
    kube.conditioned("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "flux-system", "apps", [
      kube.condition("Ready", "False", "ReconciliationFailed", 'ServiceMonitor/monitoring/api dry-run failed: no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1"'),
    ]),
  ];
  o["challenges.acme.cert-manager.io"] = [
    kube.challenge("wiki", "wiki-1-2977785523-3125713291", { dnsName: "wiki.lab.example", state: "pending", reason: "Waiting for DNS-01 challenge propagation: propagation check failed: lookup ns1.old-dns.example: no such host", created: AN_HOUR_AGO }),
  ];
  o["externalsecrets.external-secrets.io"] = [
    kube.externalSecret("wiki", "wiki-oidc", { dataFrom: [{ sourceRef: { generatorRef: { apiVersion: "generators.external-secrets.io/v1alpha1", kind: "Password", name: "wiki-oidc-generator" } } }] }),
    kube.externalSecret("git", "git-oidc", { secretStoreRef: { name: "vault-backend", kind: "ClusterSecretStore" }, dataFrom: [{ extract: { key: "sso/git" } }] }),
  ];
  o["sealedsecrets.bitnami.com"] = [kube.conditioned("bitnami.com/v1alpha1", "SealedSecret", "csi-proxmox", "proxmox-csi-plugin", [kube.condition("Synced", "False", "ErrUnsealFailed", "no key could decrypt secret (config.yaml)")])];
  return lab;
}

/** A plain cluster: built-in kinds only, no optional CRD installed, no Cilium. */
export function bareKubeLab(): Lab {
  const healthy = healthyKubeLab().kube!.objects;
  const builtIn = Object.fromEntries(Object.entries(healthy).filter(([key]) => !key.includes(".") || key.endsWith(".apps") || key.endsWith(".k8s.io")));
  return { now: KUBE_LAB_NOW, kube: { objects: { ...builtIn, configmaps: [], pods: healthy.pods!.filter((p) => (p.metadata as { namespace: string }).namespace !== "flux-system") } } };
}

/** The GitOps tree the broken cluster was deployed from. */
export const KUBE_LAB_KIT: Record<string, string> = {
  "k8s/git/gitea.yaml": `# Gitea: one replica on a Proxmox volume
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: gitea-data
  namespace: git
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Gi}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: gitea
  namespace: git
spec:
  replicas: 1
  template:
    spec:
      volumes:
      - name: data
        persistentVolumeClaim:
          claimName: gitea-data # the repositories
`,
  "k8s/wiki/oidc.yaml": `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: wiki-oidc
  namespace: wiki
spec:
  dataFrom:
    - sourceRef:
        generatorRef:
          apiVersion: generators.external-secrets.io/v1alpha1
          kind: Password
          name: wiki-oidc-generator
`,
  "k8s/longhorn/namespace.yaml": `apiVersion: v1
kind: Namespace
metadata:
  name: longhorn-system
`,
};
