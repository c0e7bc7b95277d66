import check from "./etcd.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import type { EtcdMembers } from "../../src/sources/talos/facts.ts";
import type { ServiceRow } from "../../src/sources/talos/resources.ts";

const CPS = ["talos-cp-1", "talos-cp-2", "talos-cp-3"];
const targets = [{ cluster: "lab", nodes: [...CPS, "talos-w-1"], controlPlanes: CPS }];
const member = (node: string, id: string): EtcdMembers["resources"][number] => ({ node, metadata: { namespace: "etcd", type: "EtcdMembers.etcd.talos.dev", id: "local", phase: "running", labels: {} }, spec: { memberID: id } });
const etcd = (node: string, state = "Running", health = "OK", lastEvent = "Health check successful"): ServiceRow => ({ node, service: "etcd", state, health, lastEvent });
const members = (nodes: string[], nodeErrors: Record<string, string> = {}) => ({ resources: nodes.map((n, i) => member(n, `3f8a2c1d9e4b7a6${i}`)), nodeErrors });

testCheck(check, {
  valid: [
    { name: "three healthy members", facts: { members: members(CPS), services: { rows: CPS.map((n) => etcd(n)), nodeErrors: {} }, targets }, message: "3 control plane(s), each running a healthy etcd member" },
  ],
  invalid: [
    {
      name: "one control plane's etcd failed and left the cluster",
      facts: { members: members(["talos-cp-1", "talos-cp-2"]), services: { rows: [etcd("talos-cp-1"), etcd("talos-cp-2"), etcd("talos-cp-3", "Failed", "Fail", "Failed running service: context deadline exceeded")], nodeErrors: {} }, targets },
      results: [
        {
          status: "fail",
          subject: "control plane talos-cp-3",
          message: "runs no etcd: the service is Failed (Failed running service: context deadline exceeded) and is not an etcd member",
          evidence: ["etcd service: Failed, health Fail, last event: Failed running service: context deadline exceeded", "etcd member: none"],
          fix: ["command", "manual"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "command" || step.argv.join(" ") !== "talosctl --cluster lab -n talos-cp-3 logs etcd") throw new Error(JSON.stringify(step));
          },
        },
      ],
    },
    {
      name: "two of three down: quorum lost; one unreachable",
      facts: { members: members(["talos-cp-1"], { "talos-cp-3": "connection refused" }), services: { rows: [etcd("talos-cp-1"), etcd("talos-cp-2", "Running", "Fail", "Health check failed: etcdserver: no leader")], nodeErrors: {} }, targets },
      results: [
        { status: "fail", subject: "control plane talos-cp-2", message: /unhealthy etcd \(Health check failed: etcdserver: no leader\) and is not an etcd member yet; etcd has lost quorum \(1 of 3 members healthy, 2 needed\)/ },
        { status: "error", subject: "control plane talos-cp-3", message: /connection refused/ },
      ],
    },
    {
      name: "control planes unknown",
      facts: { members: members(CPS), services: { rows: [], nodeErrors: {} }, targets: [{ nodes: ["10.0.0.21"] }] },
      results: [{ status: "skip", message: /unknown/ }],
    },
  ],
  unavailable: [
    { name: "talosctl not installed", source: "talos", kind: "not-installed", status: "skip" },
    { name: "talosconfig refused", source: "talos", kind: "auth", status: "error" },
  ],
});
