import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import check, { judgeCpu } from "./vm-cpu.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { clusterVm, qemuConfig } from "../../src/sources/proxmox/responses.ts";
import { SourceError } from "../../src/sources/source-error.ts";

const vm = (vmid: number, node = "pve1") => ({ ...clusterVm.parse({ vmid, node, type: "qemu", name: `lab-workers-${vmid}`, status: "running", tags: "go-proxmox+cloud-init;machine-request.lab-workers", template: 0 }), identifiedBy: "tagged machine-request.lab-workers by the Omni provider" });
const configs = (entries: Record<number, Record<string, unknown>>, errors: Record<number, SourceError> = {}) => ({
  values: new Map(Object.entries(entries).map(([id, c]) => [id, qemuConfig.parse(c)])),
  errors: new Map(Object.entries(errors)),
});
/** The config the provider creates by default must never fail (CATALOG severity policy). */
const providerDefault = (JSON.parse(readFileSync(new URL("../../fixtures/samples/proxmox/omni-vm-config.expected.constructed.json", import.meta.url), "utf8")) as { data: Record<string, unknown> }).data;

testCheck(check, {
  valid: [
    { name: "the provider's default VM (x86-64-v2-AES)", facts: { vms: [vm(105)], configs: configs({ 105: providerDefault }) }, message: /1 Talos VM/ },
    { name: "host CPU", facts: { vms: [vm(105)], configs: configs({ 105: { cpu: "host" } }) } },
    { name: "kvm64 with every v2 flag added", facts: { vms: [vm(105)], configs: configs({ 105: { cpu: "kvm64,flags=+cx16;+lahf_lm;+popcnt;+ssse3;+sse4.1;+sse4.2" } }) } },
  ],
  invalid: [
    {
      name: "kvm64",
      facts: { vms: [vm(104)], configs: configs({ 104: { cpu: "kvm64" } }) },
      results: [
        {
          status: "fail",
          subject: "VM 104 (lab-workers-104) on pve1",
          message: /kvm64, which lacks x86-64-v2/,
          evidence: ["cpu: kvm64"],
          fix: ["api", "api"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "api" || step.method !== "PUT" || step.path !== "/nodes/pve1/qemu/104/config" || step.parameters.cpu !== "x86-64-v2-AES") throw new Error(JSON.stringify(step));
            if (step.equivalent?.join(" ") !== "qm set 104 --cpu x86-64-v2-AES") throw new Error(String(step.equivalent));
          },
        },
      ],
    },
    {
      name: "a stopped VM is started, not rebooted",
      facts: { vms: [{ ...vm(108), status: "stopped" }], configs: configs({ 108: { cpu: "qemu64" } }) },
      results: [{ status: "fail", fix: ["api", "api"], satisfies: (r) => { const step = r.fix!.steps[1]!; if (step.kind !== "api" || step.path !== "/nodes/pve1/qemu/108/status/start" || step.equivalent?.join(" ") !== "qm start 108") throw new Error(JSON.stringify(step)); } }],
    },
    { name: "no cpu set: Proxmox defaults to kvm64", facts: { vms: [vm(106)], configs: configs({ 106: { cores: 2 } }) }, results: [{ status: "fail", message: /kvm64 \(Proxmox default/, evidence: ["cpu: (not set)"] }] },
    {
      name: "a node offline: that VM is an error, the other is still judged",
      facts: { vms: [vm(104), vm(107, "pve3")], configs: configs({ 104: { cpu: "qemu64" } }, { 107: new SourceError("pve", "unreachable", "GET /nodes/pve3/qemu/107/config: 595 No route to host") }) },
      results: [
        { status: "fail", subject: /VM 104/ },
        { status: "error", subject: "VM 107 (lab-workers-107) on pve3", message: /595 No route to host/ },
      ],
    },
  ],
  unavailable: [
    { name: "no Proxmox credentials", source: "pve", kind: "not-configured", status: "skip" },
    { name: "token refused (401)", source: "pve", kind: "auth", status: "error" },
  ],
});

describe("judgeCpu", () => {
  it.each([
    ["x86-64-v2-AES", false],
    ["cputype=x86-64-v3", false],
    ["host,flags=+aes", false],
    ["EPYC-Rome", false],
    ["qemu64", true],
    ["Penryn", true],
    ["kvm64,flags=+cx16;+popcnt", true],
    ["pentium3,flags=+cx16;+lahf_lm;+popcnt;+ssse3;+sse4.1;+sse4.2", true],
  ])("%s below v2: %s", (cpu, below) => {
    expect(judgeCpu(cpu).belowV2).toBe(below);
  });
});
