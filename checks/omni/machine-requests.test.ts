import { describe, expect, it } from "vitest";
import check, { explainProviderError } from "./machine-requests.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import type { ClusterMachineRequestStatus } from "../../src/sources/omni/facts.ts";

function request(id: string, stage: ClusterMachineRequestStatus["spec"]["stage"], error = "", status = ""): ClusterMachineRequestStatus {
  return {
    metadata: {
      namespace: "default",
      type: "ClusterMachineRequestStatuses.omni.sidero.dev",
      id,
      phase: "running",
      labels: { "omni.sidero.dev/cluster": "lab", "omni.sidero.dev/machine-set": "lab-workers", "omni.sidero.dev/role-worker": "" },
      annotations: {},
      finalizers: [],
    },
    spec: { stage, error, status, providerid: "proxmox", machineuuid: "" },
  };
}

testCheck(check, {
  valid: [
    { name: "provisioned requests", facts: { requests: [request("lab-workers-a1b2c3", "PROVISIONED", "", "Waiting for the machine to join Omni")] }, message: /1 machine request/ },
    { name: "pending without error", facts: { requests: [request("lab-workers-a1b2c3", "PENDING", "", "Waiting for the infra provider to start provision")] } },
    { name: "no requests", facts: { requests: [] } },
  ],
  invalid: [
    {
      name: "Proxmox credentials refused (002 scenario 5)",
      facts: { requests: [request("lab-workers-a1b2c3", "FAILED", 'machine provision failed: error:"not authorized to access endpoint"', "Provision Failed: not authorized to access endpoint")] },
      results: [
        {
          status: "fail",
          subject: "machine request lab-workers-a1b2c3 (machine set lab-workers, cluster lab)",
          message: /^failed: Proxmox refused the provider's credentials/,
          evidence: [/not authorized to access endpoint/, /^status: Provision Failed/, "provider: proxmox"],
          fix: ["manual", "manual", "manual"],
        },
      ],
    },
    {
      name: "a selector that matches nothing, still retrying",
      facts: { requests: [request("lab-workers-x", "PROVISIONING", 'failed to pick the disk: no matches for the condition "name == \\"fast\\""')] },
      results: [{ status: "fail", message: /^is provisioning but failing: the machine class's storage selector `name == "fast"` matches no storage/ }],
    },
  ],
  unavailable: [
    { name: "omnictl not installed", source: "omni", kind: "not-installed", status: "skip" },
    { name: "Omni unreachable", source: "omni", kind: "unreachable", status: "error" },
  ],
});

describe("every provider error text of reference/proxmox.md §3.8 has its own cause", () => {
  it.each([
    ["not authorized to access endpoint", /credentials/],
    ["ERROR: <input>:1:0: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}", /empty storage selector/],
    ['failed to pick the disk: no matches for the condition "type == \\"lvmthin\\""', /storage selector `type == "lvmthin"` matches no storage/],
    ['step uploadISO: json: cannot unmarshal array into Go value of type proxmox.Node', /no Proxmox node name/],
    ["failed to get storage: unable to find the item you are looking for", /ISO content/],
    ["stopped", /Proxmox task .* failed/],
    ['failed to run step "startVM": stopped', /Proxmox task .* failed/],
    ['bad request: 400 Parameter verification failed. - {"machine":"value does not match the regex pattern"}', /rejected a VM setting .*"machine":"value does not match the regex pattern"/],
    ['failed to get node "pve2", unexpected end of JSON input', /pve2 could not be asked/],
    ["500 Configuration file 'nodes/pve1/qemu-server/104.conf' does not exist", /already gone/],
    ['specified node "pve3" not found in cluster', /pins node pve3, which does not exist/],
    ['specified node "pve2" is not online', /pins node pve2, which is offline/],
    ["static hostname is already set in v1alpha1 config", /hostname config patch/],
    ["something new", /provider reported an error/],
  ])("%s", (error, cause) => {
    expect(explainProviderError(error).cause).toMatch(cause);
  });
});
