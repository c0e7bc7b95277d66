import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { clusterMachineStatuses, machineRequests, machines, isBeingDestroyed } from "../../src/sources/omni/facts.ts";
import { CLUSTER_LABEL } from "../../src/sources/omni/omnictl.ts";
import { MACHINE_REQUEST_LABEL, NODE_NAME_LABEL } from "../../src/sources/omni/resources.ts";
import { talosVmConfigs, talosVms } from "../../src/sources/proxmox/facts.ts";
import { smbiosUuid } from "../../src/sources/proxmox/machine-ids.ts";
import { deleteClusterMachine } from "../../src/fix/omni-talos-steps.ts";
import type { Fix } from "../../src/model/result.ts";

export default defineCheck({
  meta: {
    id: "omni/state-drift",
    title: "Omni and Proxmox agree on which Talos VMs exist",
    severity: "error",
    sources: ["omni", "pve"],
    symptoms: ["VM deleted in Proxmox but Omni still shows the machine", "Omni shows Running for a VM that no longer exists", "zombie VM", "Configuration file 'nodes/<node>/qemu-server/<vmid>.conf' does not exist"],
    fixable: ["command", "api", "manual"],
  },
  facts: { machines, statuses: clusterMachineStatuses, requests: optional(machineRequests), vms: optional(talosVms), configs: optional(talosVmConfigs) },
  run({ machines, statuses, requests, vms, configs }, { cluster }) {
    if (!vms.ok) return [{ status: vms.error.status, message: `Proxmox could not be read: ${vms.error.describe()}` }];
    if (!configs.ok) return [{ status: configs.error.status, message: `Proxmox VM configs could not be read: ${configs.error.describe()}` }];
    const cmsOf = new Map(statuses.map((s) => [s.metadata.id, s]));
    const uuidOf = new Map(vms.value.map((vm) => [vm.vmid, smbiosUuid(configs.value.values.get(String(vm.vmid)))] as const));
    const vmUuids = new Set([...uuidOf.values()].filter((u): u is string => Boolean(u)));
    const vmNames = new Set(vms.value.map((vm) => vm.name));
    const unreadable = vms.value.filter((vm) => configs.value.errors.has(String(vm.vmid)));
    const findings: Finding[] = [];

    // Omni machines made by the provider whose VM is gone (deleted out of band, 002 scenario 4).
    for (const machine of machines) {
      const request = machine.metadata.labels[MACHINE_REQUEST_LABEL];
      if (!request) continue;
      const id = machine.metadata.id;
      const cms = cmsOf.get(id);
      // Being torn down already: omni/stuck-destroying reports it if it does not finish.
      if (machine.metadata.phase === "tearingDown" || (cms && isBeingDestroyed(cms))) continue;
      if (cluster && cms?.metadata.labels[CLUSTER_LABEL] !== cluster) continue;
      if (vmUuids.has(id) || vmNames.has(request)) continue;
      const node = cms?.metadata.labels[NODE_NAME_LABEL];
      const inCluster = cms?.metadata.labels[CLUSTER_LABEL];
      const subject = `machine ${id}${node ? ` (${node})` : ""}${inCluster ? ` in cluster ${inCluster}` : ""}`;
      if (unreadable.length > 0) {
        findings.push({ status: "error", subject, message: `no Proxmox VM is known to be it, but ${unreadable.length} VM config(s) could not be read: ${configs.value.errors.get(String(unreadable[0]!.vmid))!.describe()}` });
        continue;
      }
      const fix: Fix = cms
        ? { summary: "Remove the machine from its cluster so Omni asks the provider for a new one", steps: [deleteClusterMachine(id, `delete the cluster machine of ${id}; its VM no longer exists`)] }
        : { summary: "Remove the machine from Omni", steps: [{ kind: "manual", description: `the machine is in no cluster: remove it in Omni (Machines → ${id} → Remove)`, destructive: true }] };
      findings.push({
        subject,
        message: `was created by the provider (request ${request}) but no Proxmox VM has its UUID or that name any more: the VM was deleted outside Omni`,
        evidence: [`smbios1 uuid=${id}: no VM`, `VM named ${request}: none`, `connected: ${machine.spec.connected !== false}`],
        fix,
      });
    }

    // Provider-tagged VMs that no Omni machine or machine request owns (zombies).
    const machineIds = new Set(machines.map((m) => m.metadata.id));
    const requestIds = new Set([...machines.map((m) => m.metadata.labels[MACHINE_REQUEST_LABEL]).filter(Boolean), ...(requests.ok ? requests.value.map((r) => r.metadata.id) : [])]);
    for (const vm of vms.value) {
      const uuid = uuidOf.get(vm.vmid);
      if (!uuid || machineIds.has(uuid) || requestIds.has(vm.name)) continue;
      const set = vm.tags.find((t) => t.startsWith("machine-request."))?.slice("machine-request.".length) ?? "";
      if (cluster && !set.startsWith(`${cluster}-`)) continue;
      const subject = `VM ${vm.vmid} (${vm.name}) on ${vm.node}`;
      if (!requests.ok) {
        findings.push({ status: "skip", subject, message: `belongs to no Omni machine, and whether a machine request still owns it is unknown: ${requests.error.describe()}` });
        continue;
      }
      const path = `/nodes/${vm.node}/qemu/${vm.vmid}`;
      findings.push({
        subject,
        message: `is tagged machine-request.${set} but no Omni machine (UUID ${uuid}) or machine request owns it: a leftover VM using Proxmox resources`,
        evidence: [`smbios1 uuid=${uuid}`, `tags: ${vm.tags.join(";")}`, `status: ${vm.status ?? "unknown"}`],
        fix: {
          summary: `Destroy VM ${vm.vmid}`,
          steps: [
            { kind: "api", description: `stop VM ${vm.vmid}`, method: "POST", path: `${path}/status/stop`, parameters: {}, equivalent: ["qm", "stop", String(vm.vmid)], destructive: false },
            { kind: "api", description: `destroy VM ${vm.vmid} and its disks`, method: "DELETE", path, parameters: { purge: 1, "destroy-unreferenced-disks": 1 }, equivalent: ["qm", "destroy", String(vm.vmid), "--purge"], destructive: true },
          ],
        },
      });
    }
    if (vms.value.length === 0 && findings.length === 0) return [skip("no Talos VMs (tagged machine-request.*) on this Proxmox")];
    return findings.length > 0 ? findings : [pass(`${vms.value.length} Talos VM(s) and their Omni machines match`)];
  },
});
