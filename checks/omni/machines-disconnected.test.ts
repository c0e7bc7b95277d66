import check from "./machines-disconnected.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import type { ClusterMachineStatus, OmniMachine } from "../../src/sources/omni/facts.ts";
import type { PerSubject } from "../../src/sources/proxmox/facts.ts";
import type { ClusterVm, QemuConfig } from "../../src/sources/proxmox/responses.ts";
import type { ResolverAnswer } from "../../src/sources/net/facts.ts";

const ID = "0b6a4c1e-2222-4a1b-9c2d-3e4f5a6b7c02";
const meta = (type: string, id: string, labels: Record<string, string> = {}, phase = "running") => ({ namespace: "default", type, id, phase, labels, annotations: {}, finalizers: [] });

const machine = (id: string, connected: boolean, phase = "running"): OmniMachine => ({
  metadata: meta("Machines.omni.sidero.dev", id, { "omni.sidero.dev/machine-request": "lab-workers-a1b2c3" }, phase),
  spec: { connected, managementaddress: "10.0.0.31" },
});
function cms(id: string, stage: ClusterMachineStatus["spec"]["stage"] = "RUNNING"): ClusterMachineStatus {
  return { metadata: meta("ClusterMachineStatuses.omni.sidero.dev", id, { "omni.sidero.dev/cluster": "lab", "omni.sidero.dev/node-name": "talos-w-1" }), spec: { stage, ready: false, configapplystatus: "APPLIED" } };
}
const vm = (status: string): ClusterVm => ({ vmid: 102, node: "pve1", type: "qemu", name: "lab-workers-x2", status, tags: ["machine-request.lab-workers"], template: false });
const configs = (uuid: string): PerSubject<QemuConfig> => ({ values: new Map([["102", { smbios1: `uuid=${uuid}` }]]), errors: new Map() });
const host = { host: "omni.lab.example", url: "https://omni.lab.example:8090", from: "Omni (SiderolinkAPIConfigs)" };
const tailnet: PerSubject<ResolverAnswer[]> = { values: new Map([["pve2", [{ server: "1.1.1.1", answer: { rcode: "NOERROR", addresses: ["100.101.102.103"] } }]]]), errors: new Map() };

testCheck(check, {
  valid: [
    { name: "connected", facts: { machines: [machine(ID, true)], statuses: [cms(ID)] }, message: "1 machine(s) connected to Omni" },
    { name: "a machine being destroyed is omni/stuck-destroying's", facts: { machines: [machine(ID, false)], statuses: [cms(ID, "DESTROYING")] } },
    { name: "with --cluster, free machines are not judged", facts: { machines: [machine(ID, false)], statuses: [] }, ctx: { cluster: "lab" } },
  ],
  invalid: [
    {
      name: "its VM is stopped: start it",
      facts: { machines: [machine(ID, false)], statuses: [cms(ID)], vms: [vm("stopped")], configs: configs(ID) },
      results: [
        {
          status: "fail",
          subject: `machine ${ID} (talos-w-1) in cluster lab`,
          message: "is not connected to Omni because its VM 102 (lab-workers-x2) on pve1 is stopped",
          fix: ["api"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "api" || step.path !== "/nodes/pve1/qemu/102/status/start" || step.equivalent?.join(" ") !== "qm start 102") throw new Error(JSON.stringify(step));
          },
        },
      ],
    },
    {
      name: "resolvers hand out Omni's tailnet address",
      facts: { machines: [machine(ID, false)], statuses: [cms(ID)], host, answers: tailnet },
      results: [{ status: "fail", message: /likely because new VMs cannot find Omni/, evidence: ["connected: false", "last address: 10.0.0.31", "pve2: 1.1.1.1 → omni.lab.example: NOERROR 100.101.102.103"] }],
    },
    {
      name: "its VM is gone, whatever DNS says",
      facts: { machines: [machine(ID, false)], statuses: [cms(ID)], vms: [vm("running")], configs: configs("ffffffff-0000-4000-8000-000000000000"), host, answers: tailnet },
      results: [{ status: "fail", message: /because its VM no longer exists: no Proxmox VM has its UUID/, fix: ["manual"] }],
    },
    {
      name: "a machine the provider did not make is not expected among its VMs",
      facts: { machines: [{ ...machine(ID, false), metadata: meta("Machines.omni.sidero.dev", ID) }], statuses: [cms(ID)], vms: [vm("running")], configs: configs("ffffffff-0000-4000-8000-000000000000") },
      results: [{ status: "fail", message: "is not connected to Omni", fix: ["manual", "manual"] }],
    },
  ],
  unavailable: [
    { name: "omnictl not installed", source: "omni", kind: "not-installed", status: "skip" },
    { name: "Omni unreachable", source: "omni", kind: "unreachable", status: "error" },
  ],
});
