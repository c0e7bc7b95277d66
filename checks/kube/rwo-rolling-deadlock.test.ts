import { expect } from "vitest";
import check from "./rwo-rolling-deadlock.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { deployment as deploymentSchema, event as eventSchema, persistentVolumeClaim as pvcSchema, pod as podSchema } from "../../src/sources/kube/objects.ts";
import { manifestDocs } from "../../src/sources/kit/manifests.ts";
import { kube } from "../../test/harness/lab/kube.ts";

const deployment = (...args: Parameters<typeof kube.deployment>) => deploymentSchema.parse(kube.deployment(...args));
const pvc = (...args: Parameters<typeof kube.pvc>) => pvcSchema.parse(kube.pvc(...args));
const claims = [pvc("git", "gitea-data"), pvc("git", "shared", { accessModes: ["ReadWriteMany"] })];
const multiAttach = eventSchema.parse(
  kube.event({ namespace: "git", kind: "Pod", name: "gitea-5c8f9d7b4-xk2lp", reason: "FailedAttachVolume", message: 'Multi-Attach error for volume "pvc-0a1b" Volume is already used by pod(s) gitea-7d9f8b7c6-abcde' }),
);
const newPod = podSchema.parse(kube.pod("git", "gitea-5c8f9d7b4-xk2lp", { phase: "Pending", owner: { kind: "ReplicaSet", name: "gitea-5c8f9d7b4" }, containers: [{ state: "waiting:ContainerCreating" }] }));

const GITEA_YAML = `# gitea, one replica
apiVersion: apps/v1
kind: Deployment
metadata:
  name: gitea
  namespace: git
spec:
  replicas: 1
  strategy:
    type: RollingUpdate # the default
    rollingUpdate:
      maxSurge: 1
  template:
    spec:
      volumes:
      - name: data
        persistentVolumeClaim:
          claimName: gitea-data
`;

testCheck(check, {
  valid: [
    {
      name: "Recreate, several replicas, no surge, ReadWriteMany",
      facts: {
        deployments: [
          deployment("git", "a", { claims: ["gitea-data"], strategy: { type: "Recreate" } }),
          deployment("git", "b", { claims: ["gitea-data"], replicas: 2 }),
          deployment("git", "c", { claims: ["gitea-data"], strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } }),
          deployment("git", "d", { claims: ["shared"] }),
          deployment("git", "e", { claims: ["not-visible"] }),
        ],
        persistentVolumeClaims: claims,
        events: [],
        pods: [],
      },
      message: "5 deployment(s): none can deadlock on a ReadWriteOnce volume",
    },
  ],
  invalid: [
    {
      name: "the risk alone is a warning with the patch",
      facts: { deployments: [deployment("git", "gitea", { claims: ["gitea-data"] })], persistentVolumeClaims: claims, events: [], pods: [] },
      results: [
        {
          status: "warn",
          subject: "deployment git/gitea",
          message: /runs one replica with RollingUpdate and mounts ReadWriteOnce claim "gitea-data"/,
          evidence: ["replicas=1 strategy=RollingUpdate maxSurge=25%"],
          fix: ["command"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            expect(step.kind === "command" && step.argv).toEqual(["kubectl", "patch", "deployment.apps", "gitea", "--namespace", "git", "--type", "merge", "--patch", '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}']);
          },
        },
      ],
    },
    {
      name: "a Multi-Attach event of its new pod makes it a failure (003)",
      facts: { deployments: [deployment("git", "gitea", { claims: ["gitea-data"] })], persistentVolumeClaims: claims, events: [multiAttach], pods: [newPod] },
      results: [{ status: "fail", message: /is deadlocked in a rollout/, evidence: [/replicas=1/, /^event FailedAttachVolume on pod gitea-5c8f9d7b4-xk2lp: Multi-Attach error/] }],
    },
    {
      name: "from a kit manifest: the edit keeps comments, the location points at the strategy",
      facts: {
        deployments: [deployment("git", "gitea", { claims: ["gitea-data"] })],
        persistentVolumeClaims: claims,
        events: [multiAttach],
        pods: [],
        manifests: manifestDocs(kitFrom({ "apps/gitea.yaml": GITEA_YAML })),
      },
      results: [
        {
          status: "fail",
          location: { file: "apps/gitea.yaml", line: 9, column: 3 },
          fix: ["edit", "command"],
          satisfies: (r) => {
            const edit = r.fix!.steps[0]!;
            if (edit.kind !== "edit") throw new Error("no edit");
            expect(edit.edit.after).toBe(GITEA_YAML.replace("    type: RollingUpdate # the default\n    rollingUpdate:\n      maxSurge: 1\n", "    type: Recreate # the default\n"));
          },
        },
      ],
    },
  ],
  unavailable: [
    { name: "kubectl not installed", source: "kube", kind: "not-installed", status: "skip" },
    { name: "API server timed out", source: "kube", kind: "timeout", status: "error" },
  ],
});
