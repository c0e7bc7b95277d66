import check from "./machine-stage.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import type { TalosMachineStatuses } from "../../src/sources/talos/facts.ts";

function status(node: string, stage: string, ready: boolean, unmetConditions: Array<{ name: string; reason: string }> = []): TalosMachineStatuses["resources"][number] {
  return { node, metadata: { namespace: "runtime", type: "MachineStatuses.runtime.talos.dev", id: "machine", phase: "running", labels: {} }, spec: { stage, status: { ready, unmetConditions } } };
}

testCheck(check, {
  valid: [
    { name: "all running and ready", facts: { statuses: { resources: [status("10.0.0.21", "running", true), status("10.0.0.31", "running", true)], nodeErrors: {} } }, message: "2 node(s) running and ready" },
    { name: "maintenance is talos/not-installed's", facts: { statuses: { resources: [status("10.0.0.40", "maintenance", true)], nodeErrors: {} } } },
  ],
  invalid: [
    {
      name: "sample get-machinestatus.two-nodes: kubelet not running",
      facts: { statuses: { resources: [status("10.0.0.21", "running", true), status("10.0.0.31", "running", false, [{ name: "services", reason: "kubelet not running" }])], nodeErrors: {} } },
      results: [{ status: "warn", severity: "warning", subject: "node 10.0.0.31", message: "is running but not ready: services (kubelet not running)", evidence: ["stage: running", "ready: false", "unmet: services: kubelet not running"], fix: ["manual"] }],
    },
    {
      name: "booting with time not synced; one node unreachable",
      facts: { statuses: { resources: [status("10.0.0.32", "booting", false, [{ name: "time", reason: "time is not synced" }, { name: "network", reason: "waiting on: address, connectivity" }])], nodeErrors: { "10.0.0.33": "connection refused" } } },
      results: [
        { status: "warn", message: "is in stage booting: time (time is not synced), network (waiting on: address, connectivity)", fix: ["manual", "manual"] },
        { status: "error", subject: "node 10.0.0.33" },
      ],
    },
  ],
  unavailable: [
    { name: "talosctl not installed", source: "talos", kind: "not-installed", status: "skip" },
    { name: "talosconfig refused", source: "talos", kind: "auth", status: "error" },
  ],
});
