/**
 * Kubernetes objects as `kubectl get -o json` prints them; only the fields checks read. The same
 * schemas read manifests in the kit (YAML documents), so label values are brought back to strings
 * and every list may be missing.
 */
import { z } from "zod";
import { stringMap } from "../exec-output.ts";

/** A list field that may be absent or null. */
const list = <S extends z.ZodType>(item: S) =>
  z
    .array(item)
    .nullish()
    .transform((items) => items ?? []);

const text = z.string().nullish();

export const metadata = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  labels: stringMap,
  annotations: stringMap,
  creationTimestamp: text,
  deletionTimestamp: text,
  ownerReferences: list(z.looseObject({ kind: z.string(), name: z.string(), controller: z.boolean().nullish() })),
});

export const condition = z.looseObject({
  type: z.string(),
  status: z.string(),
  reason: z.string().nullish(),
  message: z.string().nullish(),
  lastTransitionTime: z.string().nullish(),
});
export type KubeCondition = z.infer<typeof condition>;

export const node = z.looseObject({
  metadata,
  spec: z.looseObject({ unschedulable: z.boolean().nullish(), taints: z.array(z.looseObject({ key: z.string(), effect: z.string() })).nullish() }).default({}),
  status: z
    .looseObject({
      conditions: list(condition),
      addresses: list(z.object({ type: z.string(), address: z.string() })),
      nodeInfo: z.looseObject({ kubeletVersion: z.string().optional(), osImage: z.string().optional() }).nullish(),
    })
    .default({ conditions: [], addresses: [] }),
});
export type KubeNode = z.infer<typeof node>;

export const event = z.looseObject({
  metadata,
  involvedObject: z.looseObject({ kind: z.string().nullish(), name: z.string().nullish(), namespace: z.string().nullish() }),
  reason: z.string().nullish(),
  message: z.string().nullish(),
  type: z.string().nullish(),
  count: z.number().nullish(),
  lastTimestamp: z.string().nullish(),
});
export type KubeEvent = z.infer<typeof event>;

const containerState = z.looseObject({
  waiting: z.looseObject({ reason: text, message: text }).nullish(),
  running: z.looseObject({ startedAt: text }).nullish(),
  terminated: z.looseObject({ exitCode: z.number().nullish(), reason: text, message: text, finishedAt: text }).nullish(),
});

export const containerStatus = z.looseObject({
  name: z.string(),
  ready: z.boolean().nullish(),
  restartCount: z.number().nullish(),
  image: text,
  state: containerState.nullish(),
  lastState: containerState.nullish(),
});
export type KubeContainerStatus = z.infer<typeof containerStatus>;

const container = z.looseObject({
  name: z.string(),
  image: text,
  args: list(z.string()),
  securityContext: z
    .looseObject({
      privileged: z.boolean().nullish(),
      allowPrivilegeEscalation: z.boolean().nullish(),
      capabilities: z.looseObject({ add: list(z.string()) }).nullish(),
    })
    .nullish(),
});

const volume = z.looseObject({
  name: z.string(),
  persistentVolumeClaim: z.looseObject({ claimName: z.string() }).nullish(),
  hostPath: z.looseObject({ path: z.string() }).nullish(),
});

export const podSpec = z.looseObject({
  nodeName: text,
  hostNetwork: z.boolean().nullish(),
  hostPID: z.boolean().nullish(),
  hostIPC: z.boolean().nullish(),
  containers: list(container),
  initContainers: list(container),
  volumes: list(volume),
});
export type KubePodSpec = z.infer<typeof podSpec>;

export const pod = z.looseObject({
  metadata,
  spec: podSpec.default({ containers: [], initContainers: [], volumes: [] }),
  status: z
    .looseObject({
      phase: text,
      reason: text,
      message: text,
      startTime: text,
      conditions: list(condition),
      containerStatuses: list(containerStatus),
      initContainerStatuses: list(containerStatus),
    })
    .default({ conditions: [], containerStatuses: [], initContainerStatuses: [] }),
});
export type KubePod = z.infer<typeof pod>;

export const namespace = z.looseObject({ metadata });
export type KubeNamespace = z.infer<typeof namespace>;

export const persistentVolumeClaim = z.looseObject({
  metadata,
  spec: z.looseObject({ accessModes: list(z.string()), storageClassName: text, volumeName: text }).default({ accessModes: [] }),
  status: z.looseObject({ phase: text }).default({}),
});
export type KubePersistentVolumeClaim = z.infer<typeof persistentVolumeClaim>;

export const storageClass = z.looseObject({
  metadata,
  provisioner: z.string(),
  volumeBindingMode: text,
});
export type KubeStorageClass = z.infer<typeof storageClass>;

const podTemplate = z.looseObject({ metadata: z.looseObject({ labels: stringMap }).nullish(), spec: podSpec.default({ containers: [], initContainers: [], volumes: [] }) });

export const deployment = z.looseObject({
  metadata,
  spec: z
    .looseObject({
      replicas: z.number().nullish(),
      strategy: z
        .looseObject({
          type: text,
          rollingUpdate: z.looseObject({ maxSurge: z.union([z.number(), z.string()]).nullish(), maxUnavailable: z.union([z.number(), z.string()]).nullish() }).nullish(),
        })
        .nullish(),
      template: podTemplate.default({ spec: { containers: [], initContainers: [], volumes: [] } }),
    })
    .default({ template: { spec: { containers: [], initContainers: [], volumes: [] } } }),
});
export type KubeDeployment = z.infer<typeof deployment>;

export const daemonSet = z.looseObject({
  metadata,
  spec: z.looseObject({ template: podTemplate.default({ spec: { containers: [], initContainers: [], volumes: [] } }) }).default({ template: { spec: { containers: [], initContainers: [], volumes: [] } } }),
  status: z
    .looseObject({
      desiredNumberScheduled: z.number().nullish(),
      currentNumberScheduled: z.number().nullish(),
      numberReady: z.number().nullish(),
    })
    .default({}),
});
export type KubeDaemonSet = z.infer<typeof daemonSet>;

export const configMap = z.looseObject({ metadata, data: stringMap });
export type KubeConfigMap = z.infer<typeof configMap>;

/** Any object whose state is a list of conditions: Flux kinds, cert-manager Certificates, SealedSecrets, Terraforms. */
export const conditioned = z.looseObject({
  metadata,
  spec: z.looseObject({ suspend: z.boolean().nullish() }).default({}),
  status: z.looseObject({ conditions: list(condition) }).default({ conditions: [] }),
});
export type KubeConditioned = z.infer<typeof conditioned>;

export const certificate = conditioned.extend({
  spec: z.looseObject({ secretName: text, dnsNames: list(z.string()), issuerRef: z.looseObject({ name: z.string(), kind: text }).nullish() }).default({ dnsNames: [] }),
  status: z.looseObject({ conditions: list(condition), notAfter: text }).default({ conditions: [] }),
});
export type KubeCertificate = z.infer<typeof certificate>;

export const challenge = z.looseObject({
  metadata,
  spec: z.looseObject({ dnsName: text, type: text }).default({}),
  status: z.looseObject({ state: text, reason: text, presented: z.boolean().nullish(), processing: z.boolean().nullish() }).default({}),
});
export type KubeChallenge = z.infer<typeof challenge>;

const storeRef = z.looseObject({ name: z.string(), kind: text });
const generatorRef = z.looseObject({ kind: z.string(), name: z.string(), apiVersion: text });
const sourceRef = z.looseObject({ storeRef: storeRef.nullish(), generatorRef: generatorRef.nullish() }).nullish();

export const externalSecret = z.looseObject({
  metadata,
  spec: z
    .looseObject({
      secretStoreRef: storeRef.nullish(),
      target: z.looseObject({ name: text }).nullish(),
      data: list(z.looseObject({ secretKey: z.string(), remoteRef: z.looseObject({ key: z.string(), property: text }).nullish(), sourceRef })),
      dataFrom: list(z.looseObject({ extract: z.looseObject({ key: z.string() }).nullish(), sourceRef })),
    })
    .default({ data: [], dataFrom: [] }),
});
export type KubeExternalSecret = z.infer<typeof externalSecret>;

export const pushSecret = z.looseObject({
  metadata,
  spec: z.looseObject({ selector: z.looseObject({ secret: z.looseObject({ name: z.string() }).nullish() }).nullish() }).default({}),
});
export type KubePushSecret = z.infer<typeof pushSecret>;
