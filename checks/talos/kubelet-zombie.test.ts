import { expect } from "vitest";
import check from "./kubelet-zombie.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { node as nodeSchema, pod as podSchema, type KubeNode, type KubePod } from "../../src/sources/kube/objects.ts";
import type { ServiceRow } from "../../src/sources/talos/resources.ts";
import { kube } from "../../test/harness/lab/kube.ts";

const ZOMBIE = "Failed running service: error opening runner: error deleting old container instance: cannot delete running task kubelet: failed precondition";
const kubelet = (node: string, state: string, lastEvent: string, health = state === "Running" ? "OK" : "Fail"): ServiceRow => ({ node, service: "kubelet", state, health, lastEvent });
const running = (node: string) => kubelet(node, "Running", "Health check successful");
const targets = [{ cluster: "lab", nodes: ["talos-w-1", "talos-w-2"], controlPlanes: [] }];
const kubeNode = (name: string, ip: string, ready: "True" | "Unknown" = "True"): KubeNode => nodeSchema.parse(kube.node(name, ip, { ready }));
const pending = (name: string, node: string): KubePod => podSchema.parse({ metadata: { name, namespace: "apps" }, spec: { nodeName: node }, status: { phase: "Pending" } });

testCheck(check, {
  valid: [
    { name: "kubelets running", facts: { services: { rows: [running("talos-w-1"), running("talos-w-2")], nodeErrors: {} }, targets }, message: /2 node/ },
    {
      name: "kubelet down and Kubernetes agrees: an outage, not a zombie",
      facts: { services: { rows: [kubelet("talos-w-1", "Waiting", "Waiting for volume /var/lib to be mounted")], nodeErrors: {} }, targets, nodes: [kubeNode("talos-w-1", "10.0.0.31", "Unknown")] },
    },
  ],
  invalid: [
    {
      name: "003: Failed with 'cannot delete running task', Ready in Kubernetes, pods Pending",
      facts: {
        services: { rows: [kubelet("talos-w-1", "Failed", ZOMBIE), running("talos-w-2")], nodeErrors: {} },
        targets,
        nodes: [kubeNode("talos-w-1", "10.0.0.31"), kubeNode("talos-w-2", "10.0.0.32")],
        pods: [pending("web-0", "talos-w-1"), pending("db-0", "talos-w-1"), pending("other", "talos-w-2")],
      },
      results: [
        {
          status: "fail",
          subject: "node talos-w-1",
          message: "kubelet is Failed in Talos while Kubernetes still reports the node Ready and 2 pod(s) stay Pending on it: an orphaned kubelet keeps posting status but starts nothing",
          evidence: [`talosctl service: kubelet Failed, health Fail, last event: ${ZOMBIE}`, "kubectl: node talos-w-1 Ready=True", "2 pod(s) Pending on it: apps/web-0, apps/db-0"],
          fix: ["command"],
          satisfies: (r) => expect(r.fix!.steps[0]).toMatchObject({ kind: "command", argv: ["talosctl", "--cluster", "lab", "-n", "talos-w-1", "reboot"], destructive: false }),
        },
      ],
    },
    {
      name: "the event alone is proof, without Kubernetes (nodes by IP)",
      facts: { services: { rows: [kubelet("10.0.0.31", "Failed", ZOMBIE)], nodeErrors: {} }, targets: [{ nodes: ["10.0.0.31"] }] },
      results: [{ status: "fail", subject: "node 10.0.0.31", message: /Talos cannot start a new one/, satisfies: (r) => expect(r.fix!.steps[0]).toMatchObject({ argv: ["talosctl", "-n", "10.0.0.31", "reboot"] }) }],
    },
    {
      name: "one of three nodes unreachable, another a zombie by Kubernetes' word",
      facts: {
        services: { rows: [kubelet("talos-w-1", "Preparing", "Creating service runner"), running("talos-w-2")], nodeErrors: { "talos-w-3": "rpc error: code = Unavailable desc = connection refused" } },
        targets,
        nodes: [kubeNode("talos-w-1", "10.0.0.31")],
      },
      results: [
        { status: "fail", subject: "node talos-w-1", message: /kubelet is Preparing in Talos while Kubernetes still reports the node Ready: / },
        { status: "error", subject: "node talos-w-3", message: /connection refused/ },
      ],
    },
  ],
  unavailable: [
    { name: "talosctl not installed", source: "talos", kind: "not-installed", status: "skip" },
    { name: "talosconfig refused", source: "talos", kind: "auth", status: "error" },
  ],
});
