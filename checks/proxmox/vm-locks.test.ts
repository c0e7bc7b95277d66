import check from "./vm-locks.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { hoursAgo, perSubject, talosVm, task } from "../../test/harness/pve-facts.ts";

const backupRunning = perSubject({ pve1: [task({ type: "vzdump", id: "105", starttime: hoursAgo(0.2), endtime: null, status: null, user: "root@pam", tokenid: "" })] });

testCheck(check, {
  valid: [
    { name: "no locks", facts: { vms: [talosVm(105), talosVm(106)], tasks: perSubject({ pve1: [] }) }, message: "no stale lock on 2 Talos VM(s)" },
    { name: "a backup lock while the backup runs", facts: { vms: [talosVm(105, { lock: "backup" })], tasks: backupRunning } },
  ],
  invalid: [
    {
      name: "a create lock with nothing running (the provider died mid-create)",
      facts: { vms: [talosVm(106, { lock: "create", status: "stopped" })], tasks: perSubject({ pve1: [task({ type: "qmcreate", id: "106", starttime: hoursAgo(30), status: "interrupted by signal" })] }) },
      results: [
        {
          status: "warn",
          subject: "VM 106 (lab-workers-106) on pve1",
          message: /is locked \(create\) by a VM creation that never finished/,
          evidence: ["lock: create", "no running task for VM 106"],
          fix: ["api"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "api" || step.method !== "PUT" || step.parameters.delete !== "lock" || step.parameters.skiplock !== 1 || step.equivalent?.join(" ") !== "qm unlock 106") throw new Error(JSON.stringify(step));
          },
        },
      ],
    },
    { name: "a backup lock after the backup ended", facts: { vms: [talosVm(105, { lock: "backup" })], tasks: perSubject({ pve1: [task({ type: "vzdump", id: "105", starttime: hoursAgo(5), status: "job errors", user: "root@pam", tokenid: "" })] }) }, results: [{ status: "warn", message: /a backup that is no longer running/ }] },
    { name: "a hibernated VM is resumed, not unlocked", facts: { vms: [talosVm(107, { lock: "suspended" })], tasks: perSubject({ pve1: [] }) }, results: [{ status: "warn", message: /hibernated/, satisfies: (r) => { if (r.fix!.steps[0]!.kind !== "api" || (r.fix!.steps[0] as { equivalent?: string[] }).equivalent?.join(" ") !== "qm resume 107") throw new Error("resume expected"); } }] },
    { name: "tasks unreadable: still reported, and said so", facts: { vms: [talosVm(106, { lock: "migrate" })] }, results: [{ status: "warn", message: /could not be read to tell whether it still runs/ }] },
  ],
  unavailable: [
    { name: "no Proxmox credentials", source: "pve", kind: "not-configured", status: "skip" },
    { name: "token refused (401)", source: "pve", kind: "auth", status: "error" },
  ],
});
