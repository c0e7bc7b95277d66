/**
 * Which Proxmox VM is which Omni machine: the provider gives every VM `smbios1: uuid=<machine id>`
 * (reference/proxmox.md §3.6), and Talos reports that UUID to Omni as the machine's ID.
 */
import type { ClusterVm, QemuConfig } from "./responses.ts";
import type { PerSubject } from "./facts.ts";

/** The SMBIOS UUID of a VM config (`uuid=...[,manufacturer=...]`), lowercased. */
export function smbiosUuid(config: QemuConfig | undefined): string | undefined {
  const match = /(?:^|,)uuid=([0-9a-f-]{32,36})(?:,|$)/i.exec(config?.smbios1 ?? "");
  return match?.[1]?.toLowerCase();
}

/** Talos VMs by the machine ID they boot as; VMs whose config could not be read are left out. */
export function vmsByMachineId(vms: readonly ClusterVm[], configs: PerSubject<QemuConfig>): Map<string, ClusterVm> {
  const result = new Map<string, ClusterVm>();
  for (const vm of vms) {
    const uuid = smbiosUuid(configs.values.get(String(vm.vmid)));
    if (uuid) result.set(uuid, vm);
  }
  return result;
}
