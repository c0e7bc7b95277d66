import check from "./pods-stuck.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { event as eventSchema, node as nodeSchema, pod as podSchema } from "../../src/sources/kube/objects.ts";
import { kube } from "../../test/harness/lab/kube.ts";

const pod = (...args: Parameters<typeof kube.pod>) => podSchema.parse(kube.pod(...args));
const node = (...args: Parameters<typeof kube.node>) => nodeSchema.parse(kube.node(...args));
const nodes = [node("talos-w-1", "10.0.0.31"), node("talos-w-2", "10.0.0.32", { ready: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." })];
// TEST_NOW is 2026-11-20T10:00:00Z.
const LONG_AGO = "2026-11-20T09:00:00Z";
const JUST_NOW = "2026-11-20T09:58:00Z";

testCheck(check, {
  valid: [
    {
      name: "running, completed and just-created pods",
      facts: {
        pods: [
          pod("apps", "web-7d9f8b7c6-abcde", { owner: { kind: "ReplicaSet", name: "web-7d9f8b7c6" } }),
          pod("apps", "migrate-x1", { phase: "Succeeded", owner: { kind: "Job", name: "migrate" } }),
          pod("apps", "new-1", { phase: "Pending", node: "talos-w-1", created: JUST_NOW, noStatus: true }),
          pod("apps", "starting-1", { phase: "Pending", created: JUST_NOW, containers: [{ state: "waiting:ContainerCreating" }] }),
        ],
        nodes,
        events: [],
      },
      message: "4 pod(s): none stuck or crash-looping",
    },
    {
      name: "pods pending on a NotReady node are kube/nodes' business",
      facts: { pods: [pod("apps", "p", { phase: "Pending", node: "talos-w-2", created: LONG_AGO, noStatus: true })], nodes, events: [] },
    },
  ],
  invalid: [
    {
      name: "crash loop with its restart count and last exit",
      facts: { pods: [pod("apps", "api-1", { containers: [{ name: "api", state: "waiting:CrashLoopBackOff", restarts: 12, lastExit: { exitCode: 1, message: "panic: no database" } }] })], nodes, events: [] },
      results: [
        {
          status: "fail",
          subject: "pod apps/api-1",
          message: 'container "api" is crash-looping (12 restarts, last exit code 1 (Error))',
          evidence: ["api: CrashLoopBackOff", "api last run: panic: no database"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "command" || step.argv.join(" ") !== "kubectl logs api-1 --namespace apps --container api --previous") throw new Error(JSON.stringify(step));
          },
        },
      ],
    },
    {
      name: "image pull back-off and a missing Secret",
      facts: {
        pods: [
          pod("apps", "img", { containers: [{ state: { waiting: { reason: "ImagePullBackOff", message: 'Back-off pulling image "ghcr.io/example/app:nope"' } } }] }),
          pod("apps", "cfg", { phase: "Pending", containers: [{ state: { waiting: { reason: "CreateContainerConfigError", message: 'secret "db-credentials" not found' } } }] }),
        ],
        nodes,
        events: [],
      },
      results: [
        { status: "fail", subject: "pod apps/img", message: /cannot pull its image \(ImagePullBackOff\)/, fix: ["command"] },
        { status: "fail", subject: "pod apps/cfg", message: /Secret or ConfigMap .* does not exist/, evidence: ['app: CreateContainerConfigError: secret "db-credentials" not found'] },
      ],
    },
    {
      name: "zombie kubelet: a Ready node that starts nothing (003)",
      facts: {
        pods: [
          pod("apps", "a", { phase: "Pending", node: "talos-w-1", created: LONG_AGO, noStatus: true }),
          pod("vault", "b", { phase: "Pending", node: "talos-w-1", created: "2026-11-20T09:30:00Z", noStatus: true }),
        ],
        nodes,
        events: [],
      },
      results: [
        {
          status: "fail",
          subject: "node talos-w-1",
          message: "reports Ready, but 2 pod(s) scheduled to it up to 60 minutes ago were never started: its kubelet is not running new pods",
          evidence: ["pod apps/a: Pending, no container status", "pod vault/b: Pending, no container status"],
          satisfies: (r) => {
            const argv = r.fix!.steps.map((s) => (s.kind === "command" ? s.argv.join(" ") : ""));
            if (argv[1] !== "talosctl --nodes 10.0.0.31 reboot") throw new Error(argv.join("; "));
          },
        },
      ],
    },
    {
      name: "unschedulable is a warning with the scheduler's words; a slow start shows its events",
      facts: {
        pods: [
          pod("apps", "big", { phase: "Pending", created: LONG_AGO, unschedulable: "0/3 nodes are available: 3 Insufficient memory." }),
          pod("apps", "mount", { phase: "Pending", created: LONG_AGO, containers: [{ state: "waiting:ContainerCreating" }] }),
        ],
        nodes,
        events: [kube.event({ namespace: "apps", kind: "Pod", name: "mount", reason: "FailedMount", message: 'MountVolume.SetUp failed for volume "data"' })].map((e) => eventSchema.parse(e)),
      },
      results: [
        { status: "warn", severity: "warning", subject: "pod apps/big", message: "has waited 60 minutes for a node: 0/3 nodes are available: 3 Insufficient memory." },
        { status: "fail", subject: "pod apps/mount", message: "has been starting on talos-w-1 for 60 minutes", evidence: ['event FailedMount: MountVolume.SetUp failed for volume "data"'] },
      ],
    },
  ],
  unavailable: [
    { name: "kubectl not installed", source: "kube", kind: "not-installed", status: "skip" },
    { name: "credentials refused", source: "kube", kind: "auth", status: "error" },
  ],
});
