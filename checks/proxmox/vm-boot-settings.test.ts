import check from "./vm-boot-settings.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { configs, hoursAgo, perSubject, PROVIDER_DEFAULT_CONFIG, talosVm, task } from "../../test/harness/pve-facts.ts";
import { SourceError } from "../../src/sources/source-error.ts";

const starts = (vmid: number, n: number) => perSubject({ pve1: Array.from({ length: n }, (_, i) => task({ type: "qmstart", id: String(vmid), starttime: hoursAgo(1 + i), user: "root@pam", tokenid: "" })) });
const pciController = { ...PROVIDER_DEFAULT_CONFIG, scsihw: "virtio-scsi-pci" };

testCheck(check, {
  valid: [
    { name: "the provider's default VM (SeaBIOS, virtio-scsi-single, disk first)", facts: { vms: [talosVm(105)], configs: configs({ 105: PROVIDER_DEFAULT_CONFIG }), tasks: perSubject({ pve1: [] }) } },
    { name: "UEFI with an EFI disk", facts: { vms: [talosVm(105)], configs: configs({ 105: { ...PROVIDER_DEFAULT_CONFIG, bios: "ovmf", efidisk0: "local-lvm:vm-105-disk-1,efitype=4m,size=4M" } }) } },
  ],
  invalid: [
    {
      name: "virtio-scsi-pci without the symptom is info only",
      facts: { vms: [talosVm(106)], configs: configs({ 106: pciController }), tasks: starts(106, 1) },
      results: [
        {
          status: "warn",
          severity: "info",
          subject: "VM 106 (lab-workers-106) on pve1",
          message: /uses SCSI controller virtio-scsi-pci; .*shows no sign of one/,
          fix: ["api"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "api" || step.path !== "/nodes/pve1/qemu/106/config" || step.parameters.scsihw !== "virtio-scsi-single" || step.equivalent?.join(" ") !== "qm set 106 --scsihw virtio-scsi-single") throw new Error(JSON.stringify(step));
          },
        },
      ],
    },
    {
      name: "the same VM restarting: the reboot-loop symptom raises it to fail, SeaBIOS named too",
      facts: { vms: [talosVm(106)], configs: configs({ 106: pciController }), tasks: starts(106, 3) },
      results: [{ status: "fail", severity: "error", message: /keeps restarting \(3 starts in 24 h\) and uses SCSI controller virtio-scsi-pci, SeaBIOS firmware/, evidence: ["SCSI controller virtio-scsi-pci", "SeaBIOS firmware (the provider's default)", /3 start\/reset\/reboot tasks/], fix: ["api", "api", "api"] }],
    },
    {
      name: "the provider's default VM restarting: SeaBIOS is named as advice, never a failure",
      facts: { vms: [talosVm(105)], configs: configs({ 105: PROVIDER_DEFAULT_CONFIG }), tasks: starts(105, 5) },
      results: [{ status: "warn", severity: "info", message: /keeps restarting \(5 starts in 24 h\) with the provider's default settings; one guide blames SeaBIOS/ }],
    },
    {
      name: "CD-ROM before the disk, OVMF without an EFI disk",
      facts: { vms: [talosVm(107)], configs: configs({ 107: { ...PROVIDER_DEFAULT_CONFIG, bios: "ovmf", boot: "order=ide2;scsi0;net0" } }) },
      results: [
        {
          status: "warn",
          message: /OVMF \(UEFI\) without an EFI disk, boot order ide2;scsi0;net0/,
          satisfies: (r) => {
            const [efi, boot] = r.fix!.steps;
            if (efi?.kind !== "api" || efi.parameters.efidisk0 !== "local-lvm:1,efitype=4m,pre-enrolled-keys=0") throw new Error(JSON.stringify(efi));
            if (boot?.kind !== "api" || boot.parameters.boot !== "order=scsi0;ide2;net0") throw new Error(JSON.stringify(boot));
          },
        },
      ],
    },
    {
      name: "the legacy boot letters, CD-ROM first",
      facts: { vms: [talosVm(109)], configs: configs({ 109: { ...PROVIDER_DEFAULT_CONFIG, boot: "dcn" } }) },
      results: [{ status: "warn", message: /boot order ide2;scsi0;net0 \(a CD-ROM before the disk\)/, satisfies: (r) => { const step = r.fix!.steps[0]!; if (step.kind !== "api" || step.parameters.boot !== "order=scsi0;ide2;net0") throw new Error(JSON.stringify(step)); } }],
    },
    {
      name: "a VM on an offline node is an error, the others are still judged",
      facts: { vms: [talosVm(106), talosVm(108, { node: "pve3" })], configs: configs({ 106: pciController }, { 108: new SourceError("pve", "unreachable", "GET /nodes/pve3/qemu/108/config: 595 No route to host") }) },
      results: [{ status: "warn", subject: /VM 106/ }, { status: "error", subject: "VM 108 (lab-workers-108) on pve3", message: /595 No route to host/ }],
    },
  ],
  unavailable: [
    { name: "no Proxmox credentials", source: "pve", kind: "not-configured", status: "skip" },
    { name: "token refused (401)", source: "pve", kind: "auth", status: "error" },
  ],
});
