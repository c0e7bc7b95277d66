import check from "./not-installed.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import type { TalosMachineStatuses, VolumeStatuses } from "../../src/sources/talos/facts.ts";

const meta = (type: string, namespace: string, id: string) => ({ namespace, type, id, phase: "running", labels: {} });
const volume = (node: string, id: string, phase: string): VolumeStatuses["resources"][number] => ({ node, metadata: meta("VolumeStatuses.block.talos.dev", "runtime", id), spec: { phase, location: phase === "ready" ? "/dev/sda3" : "" } });
const status = (node: string, stage: string): TalosMachineStatuses["resources"][number] => ({ node, metadata: meta("MachineStatuses.runtime.talos.dev", "runtime", "machine"), spec: { stage, status: { ready: true, unmetConditions: [] } } });
const installed = (node: string) => [volume(node, "META", "ready"), volume(node, "STATE", "ready"), volume(node, "EPHEMERAL", "ready")];
const targets = [{ cluster: "lab", nodes: ["talos-w-1", "talos-w-2"] }];

testCheck(check, {
  valid: [
    { name: "installed nodes", facts: { volumes: { resources: [...installed("talos-w-1"), ...installed("talos-w-2")], nodeErrors: {} }, statuses: { resources: [status("talos-w-1", "running")], nodeErrors: {} }, targets }, message: /2 node\(s\) installed/ },
    { name: "Talos < 1.8 has no volume statuses", facts: { volumes: { resources: [], nodeErrors: { "talos-w-1": 'rpc error: code = NotFound desc = resource "volumestatuses" is not registered' } }, statuses: { resources: [status("talos-w-1", "running")], nodeErrors: {} }, targets } },
  ],
  invalid: [
    {
      name: "002: META and STATE missing after booting the ISO",
      facts: { volumes: { resources: [volume("talos-w-2", "META", "missing"), volume("talos-w-2", "STATE", "missing"), ...installed("talos-w-1")], nodeErrors: {} }, statuses: { resources: [], nodeErrors: {} }, targets },
      results: [
        {
          status: "fail",
          subject: "node talos-w-2",
          message: /no META and no STATE partition/,
          evidence: ["META: missing", "STATE: missing"],
          fix: ["manual", "command"],
          satisfies: (r) => {
            const step = r.fix!.steps[1]!;
            if (step.kind !== "command" || step.argv.join(" ") !== "talosctl --cluster lab -n talos-w-2 reset --graceful=false --reboot" || !step.destructive) throw new Error(JSON.stringify(step));
          },
        },
      ],
    },
    {
      name: "maintenance mode, and an unreachable node",
      facts: { volumes: { resources: [], nodeErrors: {} }, statuses: { resources: [status("10.0.0.40", "maintenance")], nodeErrors: { "10.0.0.41": "connection refused" } }, targets: [{ nodes: ["10.0.0.40", "10.0.0.41"] }] },
      results: [
        { status: "fail", subject: "node 10.0.0.40", message: /maintenance mode/, evidence: ["META: unknown", "STATE: unknown", "machine stage: maintenance"] },
        { status: "error", subject: "node 10.0.0.41", message: /connection refused/ },
      ],
    },
  ],
  unavailable: [
    { name: "talosctl not installed", source: "talos", kind: "not-installed", status: "skip" },
    { name: "nodes unreachable", source: "talos", kind: "unreachable", status: "error" },
  ],
});
