import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { NO_TALOS_VMS, talosVmConfigs, talosVms } from "../../src/sources/proxmox/facts.ts";

/** QEMU CPU models without the x86-64-v2 features Talos' amd64 images need (reference/talos.md §7). */
const BELOW_V2 = new Set(["486", "athlon", "core2duo", "coreduo", "kvm32", "kvm64", "pentium", "pentium2", "pentium3", "phenom", "qemu32", "qemu64", "conroe", "penryn", "opteron_g1", "opteron_g2", "opteron_g3"]);
/** What a below-v2 model needs added by flags to reach v2 (kvm64/qemu64 already have SSE3). */
const V2_FLAGS = ["cx16", "lahf_lm", "popcnt", "ssse3", "sse4.1", "sse4.2"];
const RECOMMENDED = "x86-64-v2-AES";

export interface CpuVerdict {
  model: string;
  belowV2: boolean;
}

/** Parse PVE's `cpu` option (`[cputype=]<model>[,flags=+a;-b][,...]`); unset means kvm64. */
export function judgeCpu(option: string | undefined): CpuVerdict {
  if (!option) return { model: "kvm64 (Proxmox default, no cpu set)", belowV2: true };
  const parts = option.split(",");
  const model = (parts.find((p) => !p.includes("=")) ?? parts.find((p) => p.startsWith("cputype="))?.slice(8) ?? "").trim();
  const flags = (parts.find((p) => p.startsWith("flags="))?.slice(6) ?? "")
    .split(";")
    .filter((f) => f.startsWith("+"))
    .map((f) => f.slice(1).toLowerCase());
  if (!BELOW_V2.has(model.toLowerCase())) return { model, belowV2: false };
  const needsSse3 = !["kvm64", "qemu64"].includes(model.toLowerCase());
  const required = needsSse3 ? [...V2_FLAGS, "sse3"] : V2_FLAGS;
  return { model, belowV2: !required.every((f) => flags.includes(f)) };
}

export default defineCheck({
  meta: {
    id: "proxmox/vm-cpu",
    title: "Talos VM has a CPU model below x86-64-v2",
    severity: "error",
    sources: ["pve"],
    symptoms: [
      "x86_64 microarchitecture level 2 or higher is required, halting",
      "it might be that the VM is configured with an older CPU model, please check the VM configuration",
      "x86_64 microarchitecture level: 1",
      "Talos halts at boot",
    ],
    fixable: ["api"],
  },
  facts: { vms: talosVms, configs: talosVmConfigs },
  run({ vms, configs }) {
    if (vms.length === 0) return [skip(NO_TALOS_VMS)];
    const findings: Finding[] = [];
    for (const vm of vms) {
      const id = String(vm.vmid);
      const subject = `VM ${vm.vmid} (${vm.name}) on ${vm.node}`;
      const error = configs.errors.get(id);
      if (error) {
        findings.push({ status: error.status, subject, message: `its config could not be read: ${error.describe()}` });
        continue;
      }
      const config = configs.values.get(id);
      const verdict = judgeCpu(config?.cpu);
      if (!verdict.belowV2) continue;
      const path = `/nodes/${vm.node}/qemu/${vm.vmid}`;
      findings.push({
        subject,
        message: `runs CPU model ${verdict.model}, which lacks x86-64-v2: Talos stops in its initramfs ("x86_64 microarchitecture level 2 or higher is required, halting")`,
        evidence: [`cpu: ${config?.cpu ?? "(not set)"}`, `Talos VM: ${vm.identifiedBy}`],
        fix: {
          summary: `Set the CPU type to ${RECOMMENDED} (or host) and restart the VM`,
          steps: [
            { kind: "api", description: `set the CPU type of VM ${vm.vmid}`, method: "PUT", path: `${path}/config`, parameters: { cpu: RECOMMENDED }, equivalent: ["qm", "set", id, "--cpu", RECOMMENDED], destructive: false },
            // A running VM keeps its CPU until QEMU restarts; a stopped one only needs starting.
            vm.status === "stopped"
              ? { kind: "api", description: `start VM ${vm.vmid} with the new CPU type`, method: "POST", path: `${path}/status/start`, parameters: {}, equivalent: ["qm", "start", id], destructive: false }
              : { kind: "api", description: `restart VM ${vm.vmid} so the new CPU type applies`, method: "POST", path: `${path}/status/reboot`, parameters: {}, equivalent: ["qm", "reboot", id], destructive: false },
          ],
        },
      });
    }
    return findings.length > 0 ? findings : [pass(`${vms.length} Talos VM(s) with an x86-64-v2 capable CPU`)];
  },
});
