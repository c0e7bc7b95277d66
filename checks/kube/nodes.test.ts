import check from "./nodes.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { node as nodeSchema, event as eventSchema } from "../../src/sources/kube/objects.ts";
import { kube } from "../../test/harness/lab/kube.ts";

const node = (...args: Parameters<typeof kube.node>) => nodeSchema.parse(kube.node(...args));
const event = (nodeName: string, reason: string, message: string) =>
  eventSchema.parse({ metadata: { name: `${nodeName}.1`, namespace: "default" }, involvedObject: { kind: "Node", name: nodeName }, reason, message, type: "Warning" });

testCheck(check, {
  valid: [
    { name: "all Ready", facts: { nodes: [node("cp1", "10.0.0.21"), node("w1", "10.0.0.31")], events: [] }, message: "2 node(s) Ready" },
    {
      name: "unknown distribution-specific conditions are not failures",
      facts: {
        nodes: [
          (() => {
            const n = kube.node("w1", "10.0.0.31") as { status: { conditions: unknown[] } };
            n.status.conditions.push({ type: "KernelReady", status: "False", reason: "KernelHasNoProblem", message: "Monitoring for the Kernel system is active" });
            return nodeSchema.parse(n);
          })(),
        ],
      },
    },
  ],
  invalid: [
    {
      name: "CNI not initialised",
      facts: { nodes: [node("w1", "10.0.0.31", { ready: "False" })], events: [] },
      results: [{ status: "fail", subject: "node w1", message: /no CNI is running yet/, fix: ["manual"] }],
    },
    {
      name: "kubelet stopped posting status",
      facts: { nodes: [node("w2", "10.0.0.32", { ready: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." })], events: [] },
      results: [
        {
          status: "fail",
          message: /kubelet stopped reporting/,
          satisfies: (r) => {
            const step = r.fix!.steps[1]!;
            if (step.kind !== "command" || step.argv.join(" ") !== "talosctl --nodes 10.0.0.32 service kubelet restart") throw new Error(JSON.stringify(step));
          },
        },
      ],
    },
    {
      name: "InvalidDiskCapacity from the node's events (003)",
      facts: { nodes: [node("w3", "10.0.0.33", { ready: "False", reason: "KubeletNotReady", message: "PLEG is not healthy" })], events: [event("w3", "InvalidDiskCapacity", "invalid capacity 0 on image filesystem")] },
      results: [{ status: "fail", message: /InvalidDiskCapacity/, evidence: [/Ready=False/, "event InvalidDiskCapacity: invalid capacity 0 on image filesystem"] }],
    },
  ],
  unavailable: [
    { name: "kubectl not installed", source: "kube", kind: "not-installed", status: "skip" },
    { name: "API server unreachable", source: "kube", kind: "unreachable", status: "error" },
  ],
});
