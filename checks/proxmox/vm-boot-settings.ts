import { defineCheck, pass, skip, type CheckContext, type Finding } from "../../src/engine/check.ts";
import { optional, type Availability } from "../../src/engine/fact.ts";
import { NO_TALOS_VMS, nodeTasks, talosVmConfigs, talosVms, type PerSubject, type TalosVm } from "../../src/sources/proxmox/facts.ts";
import type { PveTask, QemuConfig } from "../../src/sources/proxmox/responses.ts";
import type { FixStep } from "../../src/model/result.ts";

/** Starts within this window, and how many of them, that look like a VM that keeps restarting. */
const RESTART_WINDOW_S = 24 * 3600;
const RESTARTS_FOR_LOOP = 3;
const START_TASKS = new Set(["qmstart", "qmreset", "qmreboot"]);
const DISK_KEY = /^(scsi|virtio|sata|ide)\d+$/;

interface Setting {
  /** What is set, for the message. */
  what: string;
  steps: FixStep[];
  /** Sources disagree that it causes loops (the provider's own default): never a failure on its own. */
  disputed?: boolean;
}

const isCdrom = (value: string | undefined) => value !== undefined && (/(^|,)media=cdrom/.test(value) || /^(none|cdrom)(,|$)/.test(value));

/** The device the VM boots Talos from: its first disk that is not a CD-ROM. */
function systemDisk(config: QemuConfig): string | undefined {
  return Object.keys(config)
    .filter((k) => DISK_KEY.test(k) && !isCdrom(config[k]))
    .sort((a, b) => (a.startsWith("scsi") ? -1 : 0) - (b.startsWith("scsi") ? -1 : 0) || a.localeCompare(b))[0];
}

/** The boot order as device names, from `order=a;b;c` or the legacy letters (`c` disk, `d` CD-ROM, `n` network). */
function bootOrder(config: QemuConfig): string[] {
  const boot = config.boot ?? "";
  const order = /(?:^|,)order=([^,]+)/.exec(boot)?.[1];
  if (order) return order.split(";");
  const legacy = /^[cdn]+$/.exec(boot)?.[0] ?? "";
  // `d` is ide2, PVE's CD-ROM slot (where the provider puts the Talos ISO), unless the VM has its CD-ROM elsewhere.
  const cdrom = isCdrom(config.ide2) ? "ide2" : (Object.keys(config).find((k) => DISK_KEY.test(k) && isCdrom(config[k])) ?? "ide2");
  const device: Record<string, string> = { c: systemDisk(config) ?? "scsi0", d: cdrom, n: "net0" };
  return [...legacy].map((letter) => device[letter]!);
}

function riskySettings(vm: TalosVm, config: QemuConfig, loop: boolean): Setting[] {
  const id = String(vm.vmid);
  const path = `/nodes/${vm.node}/qemu/${vm.vmid}/config`;
  const set = (description: string, parameters: Record<string, string>, option: string): FixStep => ({
    kind: "api",
    description,
    method: "PUT",
    path,
    parameters,
    equivalent: ["qm", "set", id, `--${option}`, parameters[option]!],
    destructive: false,
  });
  const settings: Setting[] = [];
  if (config.scsihw === "virtio-scsi-pci") {
    settings.push({ what: "SCSI controller virtio-scsi-pci", steps: [set("use one VirtIO SCSI controller per disk, as the provider does", { scsihw: "virtio-scsi-single" }, "scsihw")] });
  }
  const disk = systemDisk(config);
  const storage = disk ? /^([^:,]+):/.exec(config[disk] ?? "")?.[1] : undefined;
  const efidisk = (s: string) => set("add an EFI disk so OVMF keeps its boot entries (no pre-enrolled keys: Talos' ISO is not signed for Secure Boot)", { efidisk0: `${s}:1,efitype=4m,pre-enrolled-keys=0` }, "efidisk0");
  if (config.bios === "ovmf" && !config.efidisk0) {
    settings.push({ what: "OVMF (UEFI) without an EFI disk", steps: storage ? [efidisk(storage)] : [] });
  }
  const order = bootOrder(config);
  const diskAt = order.indexOf(disk ?? "");
  const cdromAt = order.findIndex((d) => isCdrom(config[d]));
  if (cdromAt >= 0 && (diskAt < 0 || cdromAt < diskAt) && disk) {
    const fixed = [disk, ...order.filter((d) => d !== disk)];
    settings.push({ what: `boot order ${order.join(";")} (a CD-ROM before the disk)`, steps: [set("boot from the installed disk first; the ISO is only used while the disk is empty", { boot: `order=${fixed.join(";")}` }, "boot")] });
  }
  // SeaBIOS is the provider's own default and boots Talos; it is only worth changing on a VM that loops.
  if (loop && (config.bios ?? "seabios") === "seabios" && storage) {
    settings.push({ what: "SeaBIOS firmware (the provider's default)", disputed: true, steps: [set("switch to UEFI firmware; Talos installs again on the next boot", { bios: "ovmf" }, "bios"), efidisk(storage)] });
  }
  return settings;
}

function restartsOf(vm: TalosVm, tasks: Availability<PerSubject<PveTask[]>>, now: Date): PveTask[] {
  if (!tasks.ok) return [];
  const since = now.getTime() / 1000 - RESTART_WINDOW_S;
  return [...tasks.value.values.values()].flat().filter((t) => t.id === String(vm.vmid) && START_TASKS.has(t.type) && t.starttime >= since);
}

export default defineCheck({
  meta: {
    id: "proxmox/vm-boot-settings",
    title: "Talos VM has boot settings linked to install reboot loops",
    severity: "info",
    sources: ["pve"],
    symptoms: ["unexpected EOF", "Wrong EFI loader signature", "VM reboot loop", "META and STATE volumes are missing", "reboots after the splash screen"],
    fixable: ["api"],
  },
  facts: { vms: talosVms, configs: talosVmConfigs, tasks: optional(nodeTasks) },
  run({ vms, configs, tasks }, ctx: CheckContext) {
    if (vms.length === 0) return [skip(NO_TALOS_VMS)];
    const findings: Finding[] = [];
    for (const vm of vms) {
      const subject = `VM ${vm.vmid} (${vm.name}) on ${vm.node}`;
      const error = configs.errors.get(String(vm.vmid));
      const config = configs.values.get(String(vm.vmid));
      if (error || !config) {
        findings.push({ status: error?.status ?? "error", subject, message: `its config could not be read: ${error?.describe() ?? "no answer"}` });
        continue;
      }
      const restarts = restartsOf(vm, tasks, ctx.now);
      const loop = restarts.length >= RESTARTS_FOR_LOOP;
      const settings = riskySettings(vm, config, loop);
      if (settings.length === 0) continue;
      const what = settings.map((s) => s.what).join(", ");
      const evidence = [...settings.map((s) => s.what), ...(loop ? [`${restarts.length} start/reset/reboot tasks in the last 24 h: ${restarts.map((t) => t.upid).join(" ")}`] : [])];
      const proven = loop && settings.some((s) => !s.disputed);
      findings.push({
        severity: proven ? "error" : "info",
        subject,
        message: proven
          ? `keeps restarting (${restarts.length} starts in 24 h) and uses ${what}: the reboot-loop settings of a Talos install that never completes`
          : loop
            ? `keeps restarting (${restarts.length} starts in 24 h) with the provider's default settings; one guide blames ${what}, which is worth trying, but the provider's VMs normally boot with it`
            : `uses ${what}; this has been linked to Talos install reboot loops, and the VM shows no sign of one`,
        evidence,
        fix: { summary: `Change ${what}`, steps: settings.flatMap((s) => s.steps) },
      });
    }
    return findings.length > 0 ? findings : [pass(`${vms.length} Talos VM(s) without the boot settings linked to reboot loops`)];
  },
});
