import { defineCheck, pass, skip, type CheckContext, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { NO_TALOS_VMS, nodeTasks, smbiosUuid, talosVmConfigs, talosVms } from "../../src/sources/proxmox/facts.ts";
import { machines } from "../../src/sources/omni/facts.ts";
import { age, isFailed, isRunning } from "../../src/sources/proxmox/tasks.ts";
import type { FixStep, Severity } from "../../src/model/result.ts";

/** How far back a migration still explains a node's trouble. */
const RECENT_S = 30 * 24 * 3600;
/** Proxmox refuses to migrate a VM with a local ISO attached (the provider always attaches two). */
const LOCAL_CDROM = /local CD\/DVD|can't migrate/i;

const DONT_MIGRATE: FixStep = {
  kind: "manual",
  description: "do not migrate Talos VMs: let Omni replace the machine instead (delete it in Omni, or scale the machine set down and up) and the provider creates a new VM where it places it",
  destructive: false,
};

export default defineCheck({
  meta: {
    id: "proxmox/vm-migration",
    title: "Talos VM is under HA or was migrated",
    severity: "warning",
    sources: ["pve", "omni"],
    symptoms: ["Cannot migrate with local CD/DVD", "can't migrate local cdrom", "migration aborted", "machine disconnected after migration"],
    fixable: ["api", "manual"],
  },
  facts: { vms: talosVms, tasks: optional(nodeTasks), configs: optional(talosVmConfigs), omni: optional(machines) },
  run({ vms, tasks, configs, omni }, ctx: CheckContext) {
    if (vms.length === 0) return [skip(NO_TALOS_VMS)];
    const since = ctx.now.getTime() / 1000 - RECENT_S;
    const migrations = tasks.ok ? [...tasks.value.values.values()].flat().filter((t) => t.type === "qmigrate" && t.starttime >= since && !isRunning(t)) : [];
    const findings: Finding[] = [];
    for (const vm of vms) {
      const reasons: string[] = [];
      const evidence: string[] = [];
      const steps: FixStep[] = [];
      let severity: Severity = "warning";
      if (vm.hastate) {
        reasons.push(`is managed by HA (state ${vm.hastate}), which moves it to another node when its node fails`);
        evidence.push(`hastate: ${vm.hastate}`);
        steps.push({ kind: "api", description: `stop HA from managing VM ${vm.vmid} (the VM keeps running)`, method: "DELETE", path: `/cluster/ha/resources/vm:${vm.vmid}`, parameters: {}, equivalent: ["ha-manager", "remove", `vm:${vm.vmid}`], destructive: false });
      }
      const own = migrations.filter((t) => t.id === String(vm.vmid)).sort((a, b) => b.starttime - a.starttime);
      const done = own.find((t) => !isFailed(t));
      const refused = own.find((t) => isFailed(t));
      if (done) {
        const uuid = configs.ok ? smbiosUuid(configs.value.values.get(String(vm.vmid))) : undefined;
        const machine = omni.ok && uuid ? omni.value.find((m) => m.metadata.id.toLowerCase() === uuid) : undefined;
        const lost = machine !== undefined && machine.spec.connected === false;
        if (lost) severity = "error";
        reasons.push(`was migrated from ${done.node} ${age(done, ctx.now)}${lost ? ", and Omni has lost its machine since" : ""}`);
        evidence.push(`qmigrate ${done.upid}: ${done.status}`, ...(machine ? [`Omni machine ${machine.metadata.id}: connected ${machine.spec.connected}`] : []));
      }
      if (refused) {
        reasons.push(LOCAL_CDROM.test(refused.status ?? "") ? `was tried to be migrated ${age(refused, ctx.now)} and Proxmox refused because of its ISO; removing the ISO to force it would only break the node` : `had a failed migration ${age(refused, ctx.now)}`);
        evidence.push(`qmigrate ${refused.upid}: ${refused.status}`);
      }
      if (reasons.length === 0) continue;
      findings.push({
        severity,
        subject: `VM ${vm.vmid} (${vm.name}) on ${vm.node}`,
        message: `${reasons.join("; it ")}: moving a Talos VM to another node breaks its node identity and SideroLink connection`,
        evidence,
        fix: { summary: "Keep Talos VMs where the provider put them", steps: [...steps, DONT_MIGRATE] },
      });
    }
    return findings.length > 0 ? findings : [pass(`${vms.length} Talos VM(s), none under HA or migrated in the last 30 days`)];
  },
});
