import check from "./vm-migration.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { configs, hoursAgo, perSubject, PROVIDER_DEFAULT_CONFIG, talosVm, task } from "../../test/harness/pve-facts.ts";
import type { OmniMachine } from "../../src/sources/omni/facts.ts";

const UUID = "0e7d1c52-3b9a-4f6e-8d21-7c5b4a3f2e10"; // the provider default config's SMBIOS UUID
const omniMachine = (connected: boolean): OmniMachine => ({
  metadata: { namespace: "default", type: "Machines.omni.sidero.dev", id: UUID, phase: "running", labels: {}, annotations: {}, finalizers: [] },
  spec: { connected, managementaddress: "" },
});
const migrated = perSubject({ pve1: [task({ type: "qmigrate", id: "105", starttime: hoursAgo(6), user: "root@pam", tokenid: "" })] });
const cfg = configs({ 105: PROVIDER_DEFAULT_CONFIG });

testCheck(check, {
  valid: [
    { name: "not under HA, never migrated", facts: { vms: [talosVm(105, { node: "pve2" })], tasks: perSubject({ pve1: [], pve2: [task({ type: "qmstart", id: "105", starttime: hoursAgo(6) })] }) }, message: "1 Talos VM(s), none under HA or migrated in the last 30 days" },
    { name: "a migration long ago", facts: { vms: [talosVm(105)], tasks: perSubject({ pve1: [task({ type: "qmigrate", id: "105", starttime: hoursAgo(24 * 40) })] }) } },
  ],
  invalid: [
    {
      name: "under HA",
      facts: { vms: [talosVm(105, { hastate: "started" })], tasks: perSubject({ pve1: [] }) },
      results: [
        {
          status: "warn",
          message: /is managed by HA \(state started\)/,
          fix: ["api", "manual"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "api" || step.method !== "DELETE" || step.path !== "/cluster/ha/resources/vm:105" || step.equivalent?.join(" ") !== "ha-manager remove vm:105") throw new Error(JSON.stringify(step));
          },
        },
      ],
    },
    { name: "migrated, Omni still connected: a warning", facts: { vms: [talosVm(105, { node: "pve2" })], tasks: migrated, configs: cfg, omni: [omniMachine(true)] }, results: [{ status: "warn", message: /was migrated from pve1 6 h ago: moving a Talos VM/ }] },
    { name: "migrated and Omni lost the machine: a failure", facts: { vms: [talosVm(105, { node: "pve2" })], tasks: migrated, configs: cfg, omni: [omniMachine(false)] }, results: [{ status: "fail", severity: "error", message: /and Omni has lost its machine since/, evidence: [/qmigrate UPID/, `Omni machine ${UUID}: connected false`] }] },
    {
      name: "a migration Proxmox refused because of the ISO",
      facts: { vms: [talosVm(105)], tasks: perSubject({ pve1: [task({ type: "qmigrate", id: "105", starttime: hoursAgo(2), user: "root@pam", tokenid: "", status: "can't migrate local cdrom drive (local:iso/talos.iso)" })] }) },
      results: [{ status: "warn", message: /Proxmox refused because of its ISO; removing the ISO to force it would only break the node/ }],
    },
  ],
  unavailable: [
    { name: "no Proxmox credentials", source: "pve", kind: "not-configured", status: "skip" },
    { name: "token refused (401)", source: "pve", kind: "auth", status: "error" },
  ],
});
