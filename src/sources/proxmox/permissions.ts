/**
 * Proxmox permissions as `GET /access/permissions` reports them, and what the Omni provider
 * needs (reference/proxmox.md §3.9). Pure: checks and the test lab both judge with it.
 */

/** path → privilege → 1 (propagates to sub-paths) or 0 (this path only). */
export type PermissionTree = Record<string, Record<string, number>>;

function parentOf(path: string): string | undefined {
  if (path === "/") return undefined;
  const cut = path.lastIndexOf("/");
  return cut <= 0 ? "/" : path.slice(0, cut);
}

/**
 * Whether `privilege` holds on `path`. The report lists the effective privileges of every path
 * with an ACL; a path without one inherits from its nearest listed ancestor, but only the
 * privileges marked as propagating.
 */
export function hasPrivilege(tree: PermissionTree, path: string, privilege: string): boolean {
  const own = tree[path];
  if (own) return own[privilege] !== undefined;
  for (let p = parentOf(path); p !== undefined; p = parentOf(p)) {
    const inherited = tree[p];
    if (inherited) return inherited[privilege] === 1;
  }
  return false;
}

/** Whether `privilege` holds on `path` or anywhere below it (e.g. one storage under /storage). */
export function hasPrivilegeWithin(tree: PermissionTree, path: string, privilege: string): boolean {
  if (hasPrivilege(tree, path, privilege)) return true;
  const prefix = path === "/" ? "/" : `${path}/`;
  return Object.entries(tree).some(([p, privs]) => p.startsWith(prefix) && privs[privilege] !== undefined);
}

export interface PrivilegeGrant {
  path: string;
  privileges: string[];
}

/** Something the provider does, and the privileges it takes: any one of the grants, each in full. */
export interface Requirement {
  /** What fails without it, in plain words. */
  why: string;
  /** `error` when the provider certainly fails without it, `warning` when it only works worse. */
  severity: "error" | "warning";
  anyOf: PrivilegeGrant[];
}

export const VM_PRIVILEGES = [
  "VM.Allocate",
  "VM.Audit",
  "VM.Config.CDROM",
  "VM.Config.CPU",
  "VM.Config.Disk",
  "VM.Config.HWType",
  "VM.Config.Memory",
  "VM.Config.Network",
  "VM.Config.Options",
  "VM.PowerMgmt",
];

export interface ProviderScope {
  nodes: string[];
  /** Storages the machine classes put disks on; undefined when unknown (no classes or no storage list). */
  diskStorages: string[] | undefined;
  /** Storages the provider uploads ISOs to (the first enabled `iso` storage of each node). */
  isoStorages: string[];
  bridges: string[];
  /** PVE ≥ 8 checks SDN.Use on bridges. */
  sdn: boolean;
}

/** What the provider needs for the nodes, storages and bridges it will use. */
export function providerRequirements(scope: ProviderScope): Requirement[] {
  const requirements: Requirement[] = [{ why: "create, configure and start its VMs", severity: "error", anyOf: [{ path: "/vms", privileges: VM_PRIVILEGES }] }];
  for (const storage of scope.diskStorages ?? []) {
    requirements.push({ why: `allocate VM disks on storage ${storage}`, severity: "error", anyOf: [{ path: `/storage/${storage}`, privileges: ["Datastore.AllocateSpace", "Datastore.Audit"] }] });
  }
  for (const storage of scope.isoStorages) {
    requirements.push({ why: `upload the Talos and cloud-init ISOs to storage ${storage}`, severity: "error", anyOf: [{ path: `/storage/${storage}`, privileges: ["Datastore.AllocateTemplate", "Datastore.Audit"] }] });
  }
  for (const node of scope.nodes) {
    requirements.push({
      why: `have node ${node} download the Talos ISO from the Image Factory`,
      severity: "error",
      anyOf: [
        { path: `/nodes/${node}`, privileges: ["Sys.AccessNetwork"] },
        { path: "/", privileges: ["Sys.Audit", "Sys.Modify"] },
      ],
    });
    requirements.push({ why: `see the free memory of node ${node} (without it, placement ignores memory)`, severity: "warning", anyOf: [{ path: `/nodes/${node}`, privileges: ["Sys.Audit"] }] });
  }
  if (scope.sdn) {
    for (const bridge of scope.bridges) {
      requirements.push({ why: `attach VM network cards to bridge ${bridge}`, severity: "error", anyOf: [{ path: `/sdn/zones/localnetwork/${bridge}`, privileges: ["SDN.Use"] }] });
    }
  }
  return requirements;
}

/** The privileges of the first grant that are missing, or [] when any grant is held in full. */
export function missingFor(tree: PermissionTree, requirement: Requirement): string[] {
  const missing = requirement.anyOf.map((grant) => grant.privileges.filter((p) => !hasPrivilege(tree, grant.path, p)));
  return missing.some((m) => m.length === 0) ? [] : missing[0]!;
}
