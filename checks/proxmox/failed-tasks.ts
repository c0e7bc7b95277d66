import { defineCheck, pass, skip, type CheckContext, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { nodeTasks, ownPermissions, providerIdentity, talosVms } from "../../src/sources/proxmox/facts.ts";
import { providerMachineRequests } from "../../src/sources/omni/facts.ts";
import { hasPrivilege } from "../../src/sources/proxmox/permissions.ts";
import { age, isFailed, newestPerSubject, startedBy, startedByProvider } from "../../src/sources/proxmox/tasks.ts";
import type { PveTask } from "../../src/sources/proxmox/responses.ts";

/** Failures older than this are history, not the reason anything is stuck now. */
const RECENT_S = 7 * 24 * 3600;
/** The tasks the provider starts: create, start, the ISO download, and the stop/delete of deprovisioning. */
const PROVIDER_TASKS = new Set(["qmcreate", "qmstart", "download", "qmstop", "qmdestroy"]);
/** The provider reports a failed task by its status word only (reference/proxmox.md §3.8). */
const BARE_STOPPED = /(^|:\s*)stopped\s*$/i;

/** Known exit statuses: what they mean (the fix's summary) and what to do. */
const CAUSES: Array<{ pattern: RegExp; summary: string; action: string }> = [
  { pattern: /storage '[^']+' (is not available on node|does not exist)/, summary: "The selected storage is not usable on that node", action: "see machine-class/storage-match and make the class select a storage the node has" },
  { pattern: /can't lock file|is locked/, summary: "Another operation held the VM's lock", action: "see proxmox/vm-locks, then let the provider retry" },
  { pattern: /already exists on node/, summary: "Two creations raced for one VM id", action: "nothing to change: the provider picks a new id when it retries" },
  { pattern: /KVM virtualisation configured, but not available/, summary: "The node cannot run KVM", action: "enable virtualization (VT-x/AMD-V) in the node's firmware, or nested virtualization when Proxmox itself runs in a VM" },
  { pattern: /not enough space|No space left|insufficient (free )?space/i, summary: "The storage is full", action: "free space, or select a larger storage in the machine class" },
  {
    pattern: /download|could not connect|Name or service not known|Temporary failure in name resolution|Connection timed out|certificate verify failed|Can't connect/i,
    summary: "The node could not fetch the Talos ISO",
    action: "check the node's DNS, proxy and outbound HTTPS to factory.talos.dev (`curl -I https://factory.talos.dev` on the node)",
  },
  { pattern: /Parameter verification failed|value does not match|minimum value/i, summary: "Proxmox refused a VM setting of the machine class", action: "correct the providerdata (e.g. machine_type: q35 instead of i440fx, set sockets)" },
];

function causeOf(task: PveTask): { summary: string; action: string } {
  return CAUSES.find(({ pattern }) => pattern.test(task.status ?? "")) ?? { summary: "Read the task log", action: `read the task log for the details: \`pvesh get /nodes/${task.node}/tasks/${task.upid}/log\`` };
}

function subjectOf(task: PveTask): string {
  return task.type === "download" ? `ISO download to storage ${task.id} on ${task.node}` : `${task.type} of VM ${task.id} on ${task.node}`;
}

export default defineCheck({
  meta: {
    id: "proxmox/failed-tasks",
    title: "A Proxmox task for a Talos VM failed",
    severity: "error",
    sources: ["pve", "files", "omni"],
    symptoms: ["error: stopped", '"error": "stopped"', "unable to create VM", "storage '<storage>' is not available on node '<node>'", "can't lock file '/var/lock/qemu-server/lock-<vmid>.conf' - got timeout", "VM <vmid> already exists on node", "TASK ERROR"],
    fixable: ["manual"],
  },
  facts: { vms: talosVms, tasks: nodeTasks, provider: optional(providerIdentity), requests: optional(providerMachineRequests), own: optional(ownPermissions) },
  run({ vms, tasks, provider, requests, own }, ctx: CheckContext) {
    const identity = provider.ok ? provider.value : undefined;
    const talosIds = new Map(vms.map((vm) => [String(vm.vmid), vm]));
    const since = ctx.now.getTime() / 1000 - RECENT_S;
    const bareStopped = requests.ok ? requests.value.filter((r) => BARE_STOPPED.test(r.spec.error ?? "")) : [];
    const findings: Finding[] = [];
    for (const [node, error] of tasks.errors) findings.push({ status: error.status, subject: `Proxmox node ${node}`, message: `its tasks could not be read: ${error.describe()}` });
    for (const [node, list] of tasks.values) {
      const relevant = list.filter((t) => PROVIDER_TASKS.has(t.type) && (talosIds.has(t.id) || startedByProvider(t, identity)));
      // Without Sys.Audit on the node, Proxmox lists only the caller's own tasks.
      if (identity && own.ok && !hasPrivilege(own.value, `/nodes/${node}`, "Sys.Audit") && !list.some((t) => startedByProvider(t, identity))) {
        findings.push({ status: "skip", subject: `Proxmox node ${node}`, message: `only tasks of omni-doctor's own credentials are visible on ${node}; the provider's (${identity.id}) need Sys.Audit on /nodes/${node}` });
        continue;
      }
      for (const task of newestPerSubject(relevant)) {
        if (!isFailed(task) || task.starttime < since) continue;
        const vm = talosIds.get(task.id);
        const linked = vm ? bareStopped.filter((r) => r.metadata.id === vm.name) : task.type === "download" ? [] : bareStopped;
        const cause = causeOf(task);
        findings.push({
          subject: subjectOf(task),
          message: `failed ${age(task, ctx.now)}: ${task.status}`,
          evidence: [
            `exit status: ${task.status}`,
            `task ${task.upid} started by ${startedBy(task)}`,
            ...(linked.length > 0 ? [`Omni reports only "stopped" for machine request ${linked.map((r) => r.metadata.id).join(", ")}: this exit status is the reason behind it`] : []),
          ],
          fix: { summary: cause.summary, steps: [{ kind: "manual", description: cause.action, destructive: false }] },
        });
      }
    }
    if (findings.length > 0) return findings;
    if (tasks.values.size === 0) return [skip("no online Proxmox node to read tasks from")];
    return [pass(`no failed provider task in the last 7 days on ${tasks.values.size} node(s)`)];
  },
});
