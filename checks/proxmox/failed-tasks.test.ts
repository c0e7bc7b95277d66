import check from "./failed-tasks.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { hoursAgo, perSubject, sample, talosVm, task } from "../../test/harness/pve-facts.ts";
import { SourceError } from "../../src/sources/source-error.ts";
import { z } from "zod";
import { pveTask } from "../../src/sources/proxmox/responses.ts";
import type { ProviderIdentity } from "../../src/sources/proxmox/settings.ts";
import type { ProviderMachineRequest } from "../../src/sources/omni/provider-requests.ts";

const provider: ProviderIdentity = { id: "omni@pve!provider", user: "omni@pve", token: "provider", from: "proxmox-provider/config.yaml" };
/** The constructed node task list: the provider's token made VM 105, and a qmcreate of 106 failed. */
const sampleTasks = z.array(pveTask).parse(sample("nodes-node-tasks.constructed.json"));
const SAMPLE_NOW = { now: new Date((1763750301 + 3600) * 1000) };
const stoppedRequest: ProviderMachineRequest = {
  metadata: { namespace: "infra-provider", type: "MachineRequestStatuses.omni.sidero.dev", id: "talos-default-workers-q9m1zz", phase: "running", labels: {}, annotations: {}, finalizers: [] },
  spec: { id: "", stage: "FAILED", error: "stopped", status: "" },
};

testCheck(check, {
  valid: [
    { name: "every provider task succeeded", facts: { vms: [talosVm(105)], tasks: perSubject({ pve1: [task({ type: "qmcreate", id: "105", starttime: hoursAgo(2) }), task({ type: "qmstart", id: "105", starttime: hoursAgo(1) })] }), provider }, message: /no failed provider task in the last 7 days on 1 node/ },
    { name: "a failure followed by a success is history", facts: { vms: [talosVm(105)], tasks: perSubject({ pve1: [task({ type: "qmstart", id: "105", starttime: hoursAgo(3), status: "start failed: QEMU exited with code 1" }), task({ type: "qmstart", id: "105", starttime: hoursAgo(1) })] }) } },
    { name: "a failure older than a week", facts: { vms: [], tasks: perSubject({ pve1: [task({ type: "qmcreate", id: "120", starttime: hoursAgo(24 * 9), status: "unable to create VM 120 - got timeout" })] }), provider } },
    { name: "someone else's failed task on an unrelated VM", facts: { vms: [talosVm(105)], tasks: perSubject({ pve1: [task({ type: "qmstart", id: "900", starttime: hoursAgo(1), user: "root@pam", tokenid: "", status: "start failed" })] }), provider } },
  ],
  invalid: [
    {
      name: "the constructed sample: the real reason behind Omni's bare 'stopped'",
      ctx: SAMPLE_NOW,
      facts: { vms: [talosVm(105, { node: "pve" })], tasks: perSubject({ pve: sampleTasks }), provider, requests: [stoppedRequest] },
      results: [
        {
          status: "fail",
          subject: "qmcreate of VM 106 on pve",
          message: "failed 1 h ago: unable to create VM 106 - storage 'local-lvm' is not available on node 'pve'",
          evidence: [
            "exit status: unable to create VM 106 - storage 'local-lvm' is not available on node 'pve'",
            /UPID:pve:0000BCAC.* started by omni@pve!provider/,
            'Omni reports only "stopped" for machine request talos-default-workers-q9m1zz: this exit status is the reason behind it',
          ],
          fix: ["manual"],
          satisfies: (r) => {
            if (!/machine-class\/storage-match/.test(r.fix!.steps[0]!.description)) throw new Error(r.fix!.steps[0]!.description);
          },
        },
      ],
    },
    {
      name: "a failed ISO download names the Image Factory",
      facts: { vms: [], tasks: perSubject({ pve1: [task({ type: "download", id: "local", starttime: hoursAgo(5), status: "download failed: 500 Can't connect to factory.talos.dev:443 (Name or service not known)" })] }), provider },
      results: [{ status: "fail", subject: "ISO download to storage local on pve1", fix: ["manual"], satisfies: (r) => { if (!/factory.talos.dev/.test(r.fix!.steps[0]!.description)) throw new Error("no factory advice"); } }],
    },
    {
      name: "one node's tasks unreadable, the other judged",
      facts: { vms: [talosVm(105)], tasks: perSubject({ pve1: [task({ type: "qmstart", id: "105", starttime: hoursAgo(1), status: "can't lock file '/var/lock/qemu-server/lock-105.conf' - got timeout" })] }, { pve2: new SourceError("pve", "timeout", "no answer within 1s: GET /nodes/pve2/tasks?limit=500&source=all") }) },
      results: [{ status: "error", subject: "Proxmox node pve2", message: /no answer within 1s/ }, { status: "fail", subject: "qmstart of VM 105 on pve1", message: /got timeout/ }],
    },
    {
      name: "without Sys.Audit on the node the provider's tasks are invisible: said, not passed",
      facts: { vms: [], tasks: perSubject({ pve1: [] }), provider, own: { "/vms": { "VM.Audit": 1 } } },
      results: [{ status: "skip", subject: "Proxmox node pve1", message: /the provider's \(omni@pve!provider\) need Sys.Audit on \/nodes\/pve1/ }],
    },
  ],
  unavailable: [
    { name: "no Proxmox credentials", source: "pve", kind: "not-configured", status: "skip" },
    { name: "token refused (401)", source: "pve", kind: "auth", status: "error" },
  ],
});
