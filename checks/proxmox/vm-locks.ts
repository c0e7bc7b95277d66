import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { NO_TALOS_VMS, nodeTasks, talosVms, type TalosVm } from "../../src/sources/proxmox/facts.ts";
import { isRunning } from "../../src/sources/proxmox/tasks.ts";
import type { Fix } from "../../src/model/result.ts";

/** What each lock says was going on when it was taken. */
const LOCK_MEANING: Record<string, string> = {
  create: "a VM creation that never finished (the provider or the node stopped half-way)",
  migrate: "a migration that never finished",
  backup: "a backup that is no longer running",
  clone: "a clone that never finished",
  snapshot: "a snapshot that never finished",
  "snapshot-delete": "a snapshot removal that never finished",
  rollback: "a rollback that never finished",
  suspending: "a hibernation that never finished",
  suspended: "the VM was hibernated to disk",
};

function fixFor(vm: TalosVm): Fix {
  const id = String(vm.vmid);
  if (vm.lock === "suspended") {
    return {
      summary: `Resume VM ${vm.vmid}`,
      steps: [{ kind: "api", description: `resume VM ${vm.vmid} from hibernation`, method: "POST", path: `/nodes/${vm.node}/qemu/${vm.vmid}/status/resume`, parameters: {}, equivalent: ["qm", "resume", id], destructive: false }],
    };
  }
  return {
    summary: `Remove the stale ${vm.lock} lock of VM ${vm.vmid}`,
    steps: [
      {
        kind: "api",
        description: `remove the lock (Proxmox lets only root@pam with a password login change it through the API; otherwise run the equivalent on ${vm.node})`,
        method: "PUT",
        path: `/nodes/${vm.node}/qemu/${vm.vmid}/config`,
        parameters: { delete: "lock", skiplock: 1 },
        equivalent: ["qm", "unlock", id],
        destructive: false,
      },
    ],
  };
}

export default defineCheck({
  meta: {
    id: "proxmox/vm-locks",
    title: "Talos VM is stuck with a Proxmox lock",
    severity: "warning",
    sources: ["pve"],
    symptoms: ["VM <vmid> is locked (<lock>)", "can't lock file '/var/lock/qemu-server/lock-<vmid>.conf' - got timeout", "is locked (create)", "is locked (backup)", "is locked (migrate)"],
    fixable: ["api"],
  },
  facts: { vms: talosVms, tasks: optional(nodeTasks) },
  run({ vms, tasks }) {
    if (vms.length === 0) return [skip(NO_TALOS_VMS)];
    const running = tasks.ok ? [...tasks.value.values.values()].flat().filter(isRunning) : [];
    const findings: Finding[] = [];
    for (const vm of vms) {
      if (!vm.lock) continue;
      const busy = running.filter((t) => t.id === String(vm.vmid));
      // A lock held by a task that is still running is the lock doing its job.
      if (busy.length > 0) continue;
      const meaning = LOCK_MEANING[vm.lock] ?? `an operation (${vm.lock}) that is not running any more`;
      findings.push({
        subject: `VM ${vm.vmid} (${vm.name}) on ${vm.node}`,
        message: `is locked (${vm.lock}) by ${meaning}${tasks.ok ? "" : " (its node's tasks could not be read to tell whether it still runs)"}; the provider cannot change, start or delete it until the lock is gone`,
        evidence: [`lock: ${vm.lock}`, tasks.ok ? `no running task for VM ${vm.vmid}` : `tasks unavailable: ${tasks.error.describe()}`],
        fix: fixFor(vm),
      });
    }
    return findings.length > 0 ? findings : [pass(`no stale lock on ${vms.length} Talos VM(s)`)];
  },
});
