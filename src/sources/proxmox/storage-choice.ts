/**
 * Which storage the provider picks, exactly as it does (reference/proxmox.md §3.4, §3.6): the disk
 * storage is the first entry of `GET /nodes/{node}/storage`, in the order PVE returned them, that
 * the class's selector accepts; enabled, active and content are not looked at. The ISO storage is
 * the first enabled storage whose content includes `iso`.
 */
import { compileSelector, firstMatch, type StorageCandidate } from "../../cel/storage-selector.ts";
import type { NodeStorage } from "./responses.ts";

const GIB = 1024 ** 3;

export interface DiskChoice {
  /** The storage the provider would use, when the selector accepts any. */
  chosen: NodeStorage | undefined;
  /** Every storage the selector accepts, in PVE's order. */
  matches: NodeStorage[];
  /** Storages the selector could not be evaluated for (a CEL runtime error). */
  errors: string[];
}

function candidate(node: string, storage: NodeStorage): StorageCandidate {
  return { name: storage.storage, node, storageType: storage.type, availableSpace: BigInt(Math.max(0, Math.floor(storage.avail ?? 0))) };
}

/** The provider's choice for one selector on one node; undefined when the selector does not compile. */
export function chooseDiskStorage(selector: string, node: string, storages: readonly NodeStorage[]): DiskChoice | undefined {
  const compiled = compileSelector(selector);
  if (!compiled.ok) return undefined;
  const byName = new Map(storages.map((s) => [s.storage, s]));
  const result = firstMatch(compiled, storages.map((s) => candidate(node, s)));
  const matches = result.all.map((c) => byName.get(c.name)!);
  return { chosen: matches[0], matches, errors: result.errors };
}

export interface DiskProblem {
  text: string;
  /** Creation certainly fails (rather than the disk filling up later on a thin-provisioned storage). */
  certain: boolean;
}

/** Storage types that reserve a disk's full size when creating it. */
const THICK = new Set(["lvm", "zfspool", "iscsidirect"]);

/** Why a storage cannot hold a new VM disk of `sizeGb`; [] when it can. */
export function diskProblems(storage: NodeStorage, sizeGb: number | undefined): DiskProblem[] {
  const problems: DiskProblem[] = [];
  if (!storage.enabled) problems.push({ text: "is disabled on this node", certain: true });
  else if (!storage.active) problems.push({ text: "is not active", certain: true });
  if (!storage.content.includes("images")) problems.push({ text: `does not hold VM disks (content: ${storage.content.join(", ") || "none"})`, certain: true });
  if (sizeGb !== undefined && storage.enabled && storage.active && (storage.avail ?? 0) < sizeGb * GIB) {
    problems.push({ text: `has ${formatGib(storage.avail ?? 0)} free, less than the ${sizeGb} GiB disk`, certain: THICK.has(storage.type) });
  }
  return problems;
}

/** The storage name usable for a disk on the most of these nodes (then the most free space): what to select instead. */
export function bestStorage(nodes: readonly string[], lists: ReadonlyMap<string, readonly NodeStorage[]>, sizeGb: number | undefined): { name: string; usableOn: number } | undefined {
  const score = new Map<string, { usableOn: number; minFree: number }>();
  for (const node of nodes) {
    for (const storage of lists.get(node) ?? []) {
      if (diskProblems(storage, sizeGb).length > 0) continue;
      const entry = score.get(storage.storage) ?? { usableOn: 0, minFree: Number.POSITIVE_INFINITY };
      score.set(storage.storage, { usableOn: entry.usableOn + 1, minFree: Math.min(entry.minFree, storage.avail ?? 0) });
    }
  }
  const [best] = [...score].sort(([a, x], [b, y]) => y.usableOn - x.usableOn || y.minFree - x.minFree || a.localeCompare(b));
  return best ? { name: best[0], usableOn: best[1].usableOn } : undefined;
}

/** The storage the provider uploads ISOs to on a node: the first enabled one with `iso` content. */
export function isoStorage(storages: readonly NodeStorage[]): NodeStorage | undefined {
  return storages.find((s) => s.enabled && s.content.includes("iso"));
}

function formatGib(bytes: number): string {
  return `${(bytes / GIB).toFixed(bytes >= 10 * GIB ? 0 : 1)} GiB`;
}
