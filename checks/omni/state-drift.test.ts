import check from "./state-drift.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { SourceError } from "../../src/sources/source-error.ts";
import type { ClusterMachineRequestStatus, ClusterMachineStatus, OmniMachine } from "../../src/sources/omni/facts.ts";
import type { PerSubject } from "../../src/sources/proxmox/facts.ts";
import type { ClusterVm, QemuConfig } from "../../src/sources/proxmox/responses.ts";

const W1 = "0b6a4c1e-2222-4a1b-9c2d-3e4f5a6b7c02";
const W2 = "0b6a4c1e-3333-4a1b-9c2d-3e4f5a6b7c03";
const ZOMBIE = "0b6a4c1e-9999-4a1b-9c2d-3e4f5a6b7c09";
const meta = (type: string, id: string, labels: Record<string, string> = {}) => ({ namespace: "default", type, id, phase: "running", labels, annotations: {}, finalizers: [] });

const machine = (id: string, request: string): OmniMachine => ({ metadata: meta("Machines.omni.sidero.dev", id, { "omni.sidero.dev/machine-request": request, "omni.sidero.dev/infra-provider-id": "proxmox" }), spec: { connected: false } });
function cms(id: string, node: string, stage: ClusterMachineStatus["spec"]["stage"] = "RUNNING"): ClusterMachineStatus {
  return { metadata: meta("ClusterMachineStatuses.omni.sidero.dev", id, { "omni.sidero.dev/cluster": "lab", "omni.sidero.dev/node-name": node }), spec: { stage, ready: true, configapplystatus: "APPLIED" } };
}
const request = (id: string): ClusterMachineRequestStatus => ({ metadata: meta("ClusterMachineRequestStatuses.omni.sidero.dev", id, { "omni.sidero.dev/cluster": "lab" }), spec: { stage: "PROVISIONING", status: "", error: "" } });
const vm = (vmid: number, name: string): ClusterVm => ({ vmid, node: "pve1", type: "qemu", name, status: "running", tags: ["go-proxmox+cloud-init", "machine-request.lab-workers"], template: false });
function configs(byVmid: Record<number, string>, errors: number[] = []): PerSubject<QemuConfig> {
  return {
    values: new Map(Object.entries(byVmid).map(([vmid, uuid]) => [vmid, { smbios1: `uuid=${uuid}`, name: "x" }])),
    errors: new Map(errors.map((vmid) => [String(vmid), new SourceError("pve", "unreachable", "595 Errors during connection establishment")])),
  };
}

const both = { machines: [machine(W1, "lab-workers-aaaaaa"), machine(W2, "lab-workers-bbbbbb")], statuses: [cms(W1, "talos-w-1"), cms(W2, "talos-w-2")], requests: [] };

testCheck(check, {
  valid: [
    { name: "every VM and machine matches", facts: { ...both, vms: [vm(102, "lab-workers-aaaaaa"), vm(103, "lab-workers-bbbbbb")], configs: configs({ 102: W1, 103: W2 }) }, message: "2 Talos VM(s) and their Omni machines match" },
    { name: "a VM still being provisioned has a request, not yet a machine", facts: { ...both, requests: [request("lab-workers-cccccc")], vms: [vm(102, "lab-workers-aaaaaa"), vm(103, "lab-workers-bbbbbb"), vm(107, "lab-workers-cccccc")], configs: configs({ 102: W1, 103: W2, 107: ZOMBIE }) } },
    { name: "a machine being destroyed is omni/stuck-destroying's", facts: { ...both, statuses: [cms(W1, "talos-w-1"), cms(W2, "talos-w-2", "DESTROYING")], vms: [vm(102, "lab-workers-aaaaaa")], configs: configs({ 102: W1 }) } },
  ],
  invalid: [
    {
      name: "a VM deleted in Proxmox (002 scenario 4) and a zombie VM",
      facts: { ...both, vms: [vm(102, "lab-workers-aaaaaa"), vm(107, "lab-workers-zzzzzz")], configs: configs({ 102: W1, 107: ZOMBIE }) },
      results: [
        {
          status: "fail",
          subject: `machine ${W2} (talos-w-2) in cluster lab`,
          message: /request lab-workers-bbbbbb.*deleted outside Omni/,
          fix: ["command"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "command" || step.argv.join(" ") !== `omnictl delete clustermachine ${W2}` || !step.destructive) throw new Error(JSON.stringify(step));
          },
        },
        {
          status: "fail",
          subject: "VM 107 (lab-workers-zzzzzz) on pve1",
          message: /no Omni machine \(UUID 0b6a4c1e-9999-4a1b-9c2d-3e4f5a6b7c09\) or machine request owns it/,
          fix: ["api", "api"],
          satisfies: (r) => {
            const step = r.fix!.steps[1]!;
            if (step.kind !== "api" || step.method !== "DELETE" || step.path !== "/nodes/pve1/qemu/107" || !step.destructive || step.equivalent?.join(" ") !== "qm destroy 107 --purge") throw new Error(JSON.stringify(step));
          },
        },
      ],
    },
    {
      name: "requests unknown: the VM without a machine is not judged",
      facts: { ...both, requests: new SourceError("omni", "not-installed", "x"), vms: [vm(102, "lab-workers-aaaaaa"), vm(103, "lab-workers-bbbbbb"), vm(107, "lab-workers-zzzzzz")], configs: configs({ 102: W1, 103: W2, 107: ZOMBIE }) },
      results: [{ status: "skip", subject: "VM 107 (lab-workers-zzzzzz) on pve1" }],
    },
    {
      name: "one VM config unreadable: the missing machine cannot be judged",
      facts: { ...both, vms: [vm(102, "lab-workers-aaaaaa"), vm(104, "renamed")], configs: configs({ 102: W1 }, [104]) },
      results: [{ status: "error", subject: `machine ${W2} (talos-w-2) in cluster lab`, message: /1 VM config\(s\) could not be read/ }],
    },
  ],
  unavailable: [
    { name: "omnictl not installed", source: "omni", kind: "not-installed", status: "skip" },
    { name: "Proxmox not configured", source: "pve", kind: "not-configured", facts: { machines: [], statuses: [] }, status: "skip" },
    { name: "Proxmox unreachable", source: "pve", kind: "unreachable", facts: { machines: [], statuses: [] }, status: "error" },
  ],
});
