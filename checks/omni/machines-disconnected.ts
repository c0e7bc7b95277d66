import { defineCheck, pass, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { clusterMachineStatuses, machines, isBeingDestroyed } from "../../src/sources/omni/facts.ts";
import { CLUSTER_LABEL } from "../../src/sources/omni/omnictl.ts";
import { MACHINE_REQUEST_LABEL, NODE_NAME_LABEL } from "../../src/sources/omni/resources.ts";
import { siderolinkAnswers, siderolinkHost } from "../../src/sources/net/facts.ts";
import { talosVmConfigs, talosVms } from "../../src/sources/proxmox/facts.ts";
import { vmsByMachineId } from "../../src/sources/proxmox/machine-ids.ts";
import type { Fix } from "../../src/model/result.ts";
import { dnsRootCause } from "./cluster-health.ts";

const reachFix: Fix = {
  summary: "Let the machine reach Omni again",
  steps: [
    { kind: "manual", description: "open the VM's console: Talos prints why it cannot reach Omni (DNS, routing, certificate)", destructive: false },
    { kind: "manual", description: "check that the VM can reach Omni's SideroLink ports (TCP 8090, UDP 50180; see network/siderolink-ports)", destructive: false },
  ],
};

export default defineCheck({
  meta: {
    id: "omni/machines-disconnected",
    title: "Machines are connected to Omni",
    severity: "error",
    sources: ["omni", "dns", "pve", "files"],
    symptoms: ["Unreachable", "machine is not connected", "disconnected", "SideroLink shows a red X", "Registering but never progresses"],
    fixable: ["api", "manual"],
  },
  facts: { machines, statuses: clusterMachineStatuses, host: optional(siderolinkHost), answers: optional(siderolinkAnswers), vms: optional(talosVms), configs: optional(talosVmConfigs) },
  run({ machines, statuses, host, answers, vms, configs }, { cluster }) {
    const byId = new Map(statuses.map((s) => [s.metadata.id, s]));
    const vmOf = vms.ok && configs.ok ? vmsByMachineId(vms.value, configs.value) : undefined;
    const dns = dnsRootCause(host, answers);
    const findings: Finding[] = [];
    let judged = 0;
    for (const machine of machines) {
      const cms = byId.get(machine.metadata.id);
      // Machines being torn down are omni/stuck-destroying's; with --cluster, only that cluster's.
      if (machine.metadata.phase === "tearingDown" || (cms && isBeingDestroyed(cms))) continue;
      if (cluster && !cms) continue;
      judged++;
      if (machine.spec.connected !== false) continue;
      const node = cms?.metadata.labels[NODE_NAME_LABEL];
      const inCluster = cms?.metadata.labels[CLUSTER_LABEL];
      const subject = `machine ${machine.metadata.id}${node ? ` (${node})` : ""}${inCluster ? ` in cluster ${inCluster}` : ""}`;
      const evidence = [`connected: false`, ...(machine.spec.managementaddress ? [`last address: ${machine.spec.managementaddress}`] : [])];
      const vm = vmOf?.get(machine.metadata.id);
      // Only the provider's machines are expected to have a VM among the provider's VMs.
      const gone = vmOf !== undefined && !vm && Boolean(machine.metadata.labels[MACHINE_REQUEST_LABEL]);
      if (gone) {
        findings.push({
          subject,
          message: "is not connected to Omni because its VM no longer exists: no Proxmox VM has its UUID (see omni/state-drift)",
          evidence: [...evidence, `smbios1 uuid=${machine.metadata.id}: no VM`],
          fix: { summary: "Reconcile Omni with Proxmox", steps: [{ kind: "manual", description: "follow omni/state-drift's fix: remove the cluster machine whose VM was deleted", destructive: false }] },
        });
      } else if (vm && vm.status === "stopped") {
        const path = `/nodes/${vm.node}/qemu/${vm.vmid}/status/start`;
        findings.push({
          subject,
          message: `is not connected to Omni because its VM ${vm.vmid} (${vm.name}) on ${vm.node} is stopped`,
          evidence: [...evidence, `VM ${vm.vmid}: stopped`],
          fix: { summary: `Start VM ${vm.vmid}`, steps: [{ kind: "api", description: `start VM ${vm.vmid}`, method: "POST", path, parameters: {}, equivalent: ["qm", "start", String(vm.vmid)], destructive: false }] },
        });
      } else if (dns) {
        findings.push({ subject, message: `is not connected to Omni; likely because ${dns.cause}`, evidence: [...evidence, ...dns.evidence], fix: { summary: "Make Omni resolvable from the VMs", steps: dns.steps } });
      } else {
        findings.push({ subject, message: "is not connected to Omni", evidence, fix: reachFix });
      }
    }
    return findings.length > 0 ? findings : [pass(`${judged} machine(s) connected to Omni`)];
  },
});
