/** Facts read from the workload cluster through kubectl: one list per kind, shared by every check. */
import { defineFact } from "../../engine/fact.ts";
import { event, node, type KubeEvent, type KubeNode } from "./objects.ts";
import type { z } from "zod";
import type { Fact } from "../../engine/fact.ts";
import type { KubeList } from "./kubectl.ts";
import { certificate, challenge, conditioned, configMap, daemonSet, deployment, externalSecret, namespace, persistentVolumeClaim, pod, pushSecret, storageClass } from "./objects.ts";
import type { KubeCertificate, KubeChallenge, KubeConditioned, KubeConfigMap, KubeDaemonSet, KubeDeployment, KubeExternalSecret, KubeNamespace, KubePersistentVolumeClaim, KubePod, KubePushSecret, KubeStorageClass } from "./objects.ts";

/** A built-in kind: every cluster serves it, so the items are all a check needs. */
function builtIn<S extends z.ZodType>(id: string, resource: string, item: S, options: { namespaced?: boolean } = {}): Fact<Array<z.infer<S>>> {
  return defineFact({ id: `kube.${id}`, source: "kube", resolve: async (ctx) => (await ctx.kube.list(resource, item, options)).items });
}

/** A kind from a CRD that may be absent: `installed: false` lets the check say "not installed" instead of failing. */
function customKind<S extends z.ZodType>(id: string, resource: string, item: S): Fact<KubeList<z.infer<S>>> {
  return defineFact({ id: `kube.${id}`, source: "kube", resolve: (ctx) => ctx.kube.list(resource, item) });
}

export const pods: Fact<KubePod[]> = builtIn("pods", "pods", pod);
export const namespaces: Fact<KubeNamespace[]> = builtIn("namespaces", "namespaces", namespace, { namespaced: false });
export const persistentVolumeClaims: Fact<KubePersistentVolumeClaim[]> = builtIn("persistentVolumeClaims", "persistentvolumeclaims", persistentVolumeClaim);
export const storageClasses: Fact<KubeStorageClass[]> = builtIn("storageClasses", "storageclasses.storage.k8s.io", storageClass, { namespaced: false });
export const deployments: Fact<KubeDeployment[]> = builtIn("deployments", "deployments.apps", deployment);
export const daemonSets: Fact<KubeDaemonSet[]> = builtIn("daemonSets", "daemonsets.apps", daemonSet);

/** Cilium's ConfigMap wherever Cilium is installed (usually kube-system); undefined without Cilium. */
export const ciliumConfig = defineFact<KubeConfigMap | undefined>({
  id: "kube.ciliumConfig",
  source: "kube",
  resolve: async (ctx) => (await ctx.kube.list("configmaps", configMap, { fieldSelector: "metadata.name=cilium-config" })).items[0],
});

/** The name of the context kubectl talks to (Omni names its contexts `omni-<cluster>`). */
export const context = defineFact<string | undefined>({
  id: "kube.context",
  source: "kube",
  resolve: (ctx) => ctx.kube.contextName(),
});

export const kustomizations: Fact<KubeList<KubeConditioned>> = customKind("kustomizations", "kustomizations.kustomize.toolkit.fluxcd.io", conditioned);
export const helmReleases: Fact<KubeList<KubeConditioned>> = customKind("helmReleases", "helmreleases.helm.toolkit.fluxcd.io", conditioned);
export const certificates: Fact<KubeList<KubeCertificate>> = customKind("certificates", "certificates.cert-manager.io", certificate);
export const challenges: Fact<KubeList<KubeChallenge>> = customKind("challenges", "challenges.acme.cert-manager.io", challenge);
export const externalSecrets: Fact<KubeList<KubeExternalSecret>> = customKind("externalSecrets", "externalsecrets.external-secrets.io", externalSecret);
export const pushSecrets: Fact<KubeList<KubePushSecret>> = customKind("pushSecrets", "pushsecrets.external-secrets.io", pushSecret);
export const sealedSecrets: Fact<KubeList<KubeConditioned>> = customKind("sealedSecrets", "sealedsecrets.bitnami.com", conditioned);
export const terraforms: Fact<KubeList<KubeConditioned>> = customKind("terraforms", "terraforms.infra.contrib.fluxcd.io", conditioned);

export const nodes = defineFact<KubeNode[]>({
  id: "kube.nodes",
  source: "kube",
  resolve: async (ctx) => (await ctx.kube.list("nodes", node, { namespaced: false })).items,
});

export const events = defineFact<KubeEvent[]>({
  id: "kube.events",
  source: "kube",
  resolve: async (ctx) => (await ctx.kube.list("events", event)).items,
});
