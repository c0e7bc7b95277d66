import check from "./stuck-destroying.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import type { ClusterMachineStatus, OmniMachine } from "../../src/sources/omni/facts.ts";

// TEST_NOW is 2026-11-20T10:00:00Z.
function cms(id: string, stage: ClusterMachineStatus["spec"]["stage"], updated: string, node = "talos-w-3"): ClusterMachineStatus {
  return {
    metadata: {
      namespace: "default",
      type: "ClusterMachineStatuses.omni.sidero.dev",
      id,
      phase: "running",
      updated,
      labels: { "omni.sidero.dev/cluster": "lab", "omni.sidero.dev/node-name": node },
      annotations: {},
      finalizers: [],
    },
    spec: { stage, ready: false, configapplystatus: "APPLIED" },
  };
}

function machine(id: string, phase: string, finalizers: string[], updated: string): OmniMachine {
  return { metadata: { namespace: "default", type: "Machines.omni.sidero.dev", id, phase, updated, labels: {}, annotations: {}, finalizers }, spec: { connected: false } };
}

const ID = "3f1c2b7a-9d4e-4f5a-8b6c-1d2e3f4a5b6c";

testCheck(check, {
  valid: [
    { name: "all running", facts: { statuses: [cms(ID, "RUNNING", "2026-11-19T10:00:00Z")], machines: [] }, message: /1 cluster machine/ },
    { name: "destroying for two minutes is normal", facts: { statuses: [cms(ID, "DESTROYING", "2026-11-20T09:58:00Z")], machines: [] } },
    { name: "no machines at all", facts: { statuses: [], machines: [] } },
  ],
  invalid: [
    {
      name: "destroying for three hours",
      facts: { statuses: [cms(ID, "DESTROYING", "2026-11-20T07:00:00Z")], machines: [] },
      results: [
        {
          status: "fail",
          subject: `cluster machine ${ID} (talos-w-3) in cluster lab`,
          message: /DESTROYING for 3h without progress/,
          fix: ["command", "manual"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "command") throw new Error("first step must be a command");
            // `omnictl delete machine` is refused ("only read access is permitted"): it must be clustermachine.
            if (step.argv.join(" ") !== `omnictl delete clustermachine ${ID}` || !step.destructive) throw new Error(step.argv.join(" "));
          },
        },
      ],
    },
    {
      name: "a machine tearing down, held by a finalizer, and not a cluster machine",
      facts: { statuses: [], machines: [machine(ID, "tearingDown", ["MachineSetNodeController"], "2026-11-19T22:00:00Z")] },
      results: [{ status: "fail", subject: `machine ${ID}`, message: /tearing down for 12h, held by finalizers MachineSetNodeController/ }],
    },
    {
      name: "reported once when both the cluster machine and the machine are stuck",
      facts: { statuses: [cms(ID, "BEFORE_DESTROY", "2026-11-20T08:00:00Z")], machines: [machine(ID, "tearingDown", ["x"], "2026-11-20T08:00:00Z")] },
      results: [{ status: "fail", message: /BEFORE_DESTROY for 2h/ }],
    },
  ],
  unavailable: [
    { name: "omnictl not installed", source: "omni", kind: "not-installed", status: "skip" },
    { name: "Omni session expired", source: "omni", kind: "auth", status: "error" },
  ],
});
