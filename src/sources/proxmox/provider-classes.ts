/**
 * The kit's machine classes as the Proxmox provider reads them: which disks it creates (and with
 * which storage selector), which node it pins, which bridges and PCI mappings it attaches. Pure:
 * checks and facts share it, and each value keeps its path so findings point into the kit file.
 */
import type { Kit } from "../kit/kit.ts";
import { machineClassDocs, type MachineClassDoc } from "../kit/machine-classes.ts";
import { isRecord } from "../kit/yaml-file.ts";

export type DataPath = Array<string | number>;

export interface ClassDisk {
  /** `disk` (scsi0) or `additional disk N` (scsiN). */
  label: string;
  selector: string;
  /** GiB, when the class says. */
  sizeGb: number | undefined;
  /** Where the selector is inside the providerdata. */
  path: DataPath;
}

export interface ProviderClass {
  id: string;
  doc: MachineClassDoc;
  disks: ClassDisk[];
  /** `node`: the only node the provider may use for this class. */
  node: { name: string; path: DataPath } | undefined;
  bridges: Array<{ name: string; path: DataPath }>;
  pciMappings: Array<{ mapping: string; path: DataPath }>;
}

/** The provider's default bridge when `network_bridge` is not set (reference/proxmox.md §3.3). */
export const DEFAULT_BRIDGE = "vmbr0";

const size = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);
const text = (v: unknown) => (typeof v === "string" ? v : undefined);

/** Machine classes whose providerdata is Proxmox-shaped (it names a storage selector). */
export function providerClasses(kit: Kit): ProviderClass[] {
  return machineClassDocs(kit).flatMap((doc) => {
    const data = doc.providerData?.value;
    if (!isRecord(data) || !("storage_selector" in data)) return [];
    const disks: ClassDisk[] = [{ label: "disk", selector: text(data.storage_selector) ?? "", sizeGb: size(data.disk_size), path: ["storage_selector"] }];
    const additional = Array.isArray(data.additional_disks) ? data.additional_disks : [];
    additional.forEach((disk, i) => {
      if (isRecord(disk)) disks.push({ label: `additional disk ${i + 1}`, selector: text(disk.storage_selector) ?? "", sizeGb: size(disk.disk_size), path: ["additional_disks", i, "storage_selector"] });
    });
    const bridges = [{ name: text(data.network_bridge) || DEFAULT_BRIDGE, path: ["network_bridge"] as DataPath }];
    const nics = Array.isArray(data.additional_nics) ? data.additional_nics : [];
    nics.forEach((nic, i) => {
      const bridge = isRecord(nic) ? text(nic.bridge) : undefined;
      if (bridge) bridges.push({ name: bridge, path: ["additional_nics", i, "bridge"] });
    });
    const devices = Array.isArray(data.pci_devices) ? data.pci_devices : [];
    const pciMappings = devices.flatMap((device, i) => {
      const mapping = isRecord(device) ? text(device.mapping) : undefined;
      return mapping ? [{ mapping, path: ["pci_devices", i, "mapping"] as DataPath }] : [];
    });
    const node = text(data.node);
    return [{ id: doc.id ?? doc.file.path, doc, disks, node: node ? { name: node, path: ["node"] } : undefined, bridges, pciMappings }];
  });
}

/** The nodes the provider may place a class on: its pinned node, else every online node. */
export function nodesFor(cls: ProviderClass, onlineNodes: readonly string[]): string[] {
  return cls.node ? (onlineNodes.includes(cls.node.name) ? [cls.node.name] : []) : [...onlineNodes];
}
