import check from "./cluster-health.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { SourceError } from "../../src/sources/source-error.ts";
import type { ClusterMachineRequestStatus, ClusterStatus, InfraProviderStatus } from "../../src/sources/omni/facts.ts";
import type { PerSubject } from "../../src/sources/proxmox/facts.ts";
import type { ResolverAnswer } from "../../src/sources/net/facts.ts";

const meta = (type: string, id: string, labels: Record<string, string> = {}) => ({ namespace: "default", type, id, phase: "running", labels, annotations: {}, finalizers: [] });

function cluster(id: string, phase: ClusterStatus["spec"]["phase"], ready: boolean, machines = { total: 3, healthy: 3, connected: 3, requested: 3 }): ClusterStatus {
  return { metadata: meta("ClusterStatuses.omni.sidero.dev", id), spec: { phase, ready, machines, controlplaneready: true, kubernetesapiready: true } };
}

function request(id: string, error: string): ClusterMachineRequestStatus {
  return {
    metadata: meta("ClusterMachineRequestStatuses.omni.sidero.dev", id, { "omni.sidero.dev/cluster": "lab", "omni.sidero.dev/machine-set": "lab-workers" }),
    spec: { stage: "FAILED", error, status: `Provision Failed: ${error}`, providerid: "proxmox", machineuuid: "" },
  };
}

const provider = (connected: boolean): InfraProviderStatus => ({ metadata: meta("InfraProviderCombinedStatuses.omni.sidero.dev", "proxmox"), spec: { health: { connected, initialized: true, error: "" } } });

function answers(address: string): PerSubject<ResolverAnswer[]> {
  return { values: new Map([["pve1", [{ server: "192.168.10.1", answer: { rcode: "NOERROR", addresses: [address] } }]]]), errors: new Map() };
}
const host = { host: "omni.lab.example", url: "https://omni.lab.example:8090", from: "omni/compose.yaml" };
const scaling = cluster("lab", "SCALING_UP", false, { total: 2, healthy: 2, connected: 2, requested: 3 });

testCheck(check, {
  valid: [
    { name: "running and ready", facts: { clusters: [cluster("lab", "RUNNING", true)] }, message: "1 cluster(s) running and ready" },
    { name: "being destroyed is not unhealthy here", facts: { clusters: [cluster("old", "DESTROYING", false)] } },
    { name: "ready while scaling, with nothing wrong", facts: { clusters: [cluster("lab", "SCALING_UP", true)], requests: [], host, answers: answers("192.168.10.20") } },
  ],
  invalid: [
    {
      name: "stuck SCALING_UP because the selector matches no storage (000)",
      facts: { clusters: [scaling], requests: [request("lab-workers-a1b2c3", 'failed to pick the disk: no matches for the condition "name == \\"fast\\""')], providers: [provider(true)] },
      results: [
        {
          status: "fail",
          subject: "cluster lab",
          message: 'is SCALING_UP, not ready, 2/2 machines healthy, 3 requested: the provider cannot create its machines: the machine class\'s storage selector `name == "fast"` matches no storage on the Proxmox node the provider picked, so it cannot create the disk',
          evidence: ["phase: SCALING_UP", "machines: total 2, healthy 2, connected 2, requested 3", /control plane ready/, /machine request lab-workers-a1b2c3 \(machine set lab-workers, cluster lab\): failed to pick the disk/],
          fix: ["manual", "manual"],
        },
      ],
    },
    {
      name: "stuck because resolvers answer Omni's tailnet address (split DNS)",
      facts: { clusters: [scaling], requests: [], host, answers: answers("100.101.102.103") },
      results: [{ status: "fail", message: /new VMs cannot find Omni: .*split-horizon DNS/, evidence: [/phase/, /machines/, /control plane/, "pve1: 192.168.10.1 → omni.lab.example: NOERROR 100.101.102.103"] }],
    },
    {
      name: "provider disconnected, and a second cause counted",
      facts: { clusters: [scaling], providers: [provider(false)], requests: [request("lab-workers-x", "not authorized to access endpoint")] },
      results: [{ status: "fail", message: /Proxmox refused the provider's credentials.*\(and 1 more cause\(s\)\)/ }],
    },
    {
      name: "no cause known: points at the status tree",
      facts: { clusters: [cluster("lab", "RUNNING", false)], requests: new SourceError("omni", "auth", "denied") },
      results: [
        {
          status: "fail",
          message: "is RUNNING, not ready, 3/3 machines healthy; Omni's state names no cause",
          fix: ["command"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "command" || step.argv.join(" ") !== "omnictl cluster status lab") throw new Error(JSON.stringify(step));
          },
        },
      ],
    },
  ],
  unavailable: [
    { name: "omnictl not installed", source: "omni", kind: "not-installed", status: "skip" },
    { name: "Omni session expired", source: "omni", kind: "auth", status: "error" },
  ],
});
