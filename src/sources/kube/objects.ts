/** Kubernetes objects as `kubectl get -o json` prints them; only the fields checks read. */
import { z } from "zod";

export const metadata = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).nullish().transform((l) => l ?? {}),
  annotations: z.record(z.string(), z.string()).nullish().transform((a) => a ?? {}),
});

export const condition = z.looseObject({
  type: z.string(),
  status: z.string(),
  reason: z.string().nullish(),
  message: z.string().nullish(),
  lastTransitionTime: z.string().nullish(),
});

export const node = z.looseObject({
  metadata,
  spec: z.looseObject({ unschedulable: z.boolean().nullish(), taints: z.array(z.looseObject({ key: z.string(), effect: z.string() })).nullish() }).default({}),
  status: z
    .looseObject({
      conditions: z.array(condition).nullish().transform((c) => c ?? []),
      addresses: z.array(z.object({ type: z.string(), address: z.string() })).nullish().transform((a) => a ?? []),
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

export const pod = z.looseObject({
  metadata,
  spec: z.looseObject({ nodeName: z.string().nullish() }).default({}),
  status: z.looseObject({ phase: z.string().nullish(), conditions: z.array(condition).nullish().transform((c) => c ?? []) }).default({ conditions: [] }),
});
export type KubePod = z.infer<typeof pod>;
