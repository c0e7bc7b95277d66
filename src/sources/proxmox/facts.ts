/** Facts read from the Proxmox VE API. */
import { z } from "zod";
import { defineFact } from "../../engine/fact.ts";
import type { RunContext } from "../../engine/context.ts";
import type { ProxmoxApi } from "./client.ts";
import { parseValue } from "../exec-output.ts";
import { SourceError, isSourceError } from "../source-error.ts";
import { kit as kitFact } from "../kit/facts.ts";
import { machines as omniMachines, providerMachineRequests } from "../omni/facts.ts";
import { providerIdentityIn, type ProviderIdentity } from "./settings.ts";
import { hasPrivilegeWithin, type PermissionTree } from "./permissions.ts";
import { nodesFor, providerClasses } from "./provider-classes.ts";
import {
  clusterStatusEntry,
  clusterVm,
  networkInterface,
  nodeDns,
  nodeStorage,
  pciMapping,
  permissionTree,
  pveNode,
  pveTask,
  pveVersion,
  qemuConfig,
  sdnVnet,
  type ClusterStatusEntry,
  type ClusterVm,
  type NetworkInterface,
  type NodeStorage,
  type PciMapping,
  type PveNode,
  type PveTask,
  type PveVersion,
  type QemuConfig,
} from "./responses.ts";

async function get<S extends z.ZodType>(ctx: RunContext, what: string, schema: S, request: (api: ProxmoxApi) => Promise<unknown>): Promise<z.infer<S>> {
  return parseValue("pve", what, await ctx.pve.call(what, request), schema) as z.infer<S>;
}

/** Per-subject results of a fan-out: what answered, and why the rest did not. */
export interface PerSubject<T> {
  values: Map<string, T>;
  errors: Map<string, SourceError>;
}

async function perSubject<T>(subjects: string[], ask: (subject: string) => Promise<T>): Promise<PerSubject<T>> {
  const result: PerSubject<T> = { values: new Map(), errors: new Map() };
  await Promise.all(
    subjects.map(async (subject) => {
      try {
        result.values.set(subject, await ask(subject));
      } catch (error) {
        if (!isSourceError(error)) throw error;
        result.errors.set(subject, error);
      }
    }),
  );
  return result;
}

export const version = defineFact<PveVersion>({
  id: "pve.version",
  source: "pve",
  resolve: (ctx) => get(ctx, "GET /version", pveVersion, (api) => api.version.$get()),
});

/** How omni-doctor reached the API, and whether it could: the answer of /version, or why not. */
export interface ApiStatus {
  /** `https://host:8006`. */
  endpoint: string;
  /** How the certificate is checked (verified, pinned CA, pinned fingerprint, NOT verified). */
  tls: string;
  auth: "token" | "password";
  /** Where the settings came from. */
  from: string;
  version?: PveVersion;
  /** Why the API could not be used (refused credentials, TLS, unreachable, timeout). */
  failure?: SourceError;
}

export const apiStatus = defineFact<ApiStatus>({
  id: "pve.api",
  source: "pve",
  resolve: async (ctx) => {
    const settings = ctx.pve.settings;
    if (!ctx.pve.availability.ok || !settings) throw (ctx.pve.availability as { error: SourceError }).error;
    const status: ApiStatus = { endpoint: settings.origin, tls: settings.tlsMode, auth: settings.auth.kind, from: settings.from };
    const answer = await ctx.tryFact(version);
    if (answer.ok) return { ...status, version: answer.value };
    // Nothing to ask (offline, not recorded) is not a finding about the API.
    if (answer.error.status === "skip") throw answer.error;
    return { ...status, failure: answer.error };
  },
});

/** The permissions of the credentials omni-doctor uses. */
export const ownPermissions = defineFact<PermissionTree>({
  id: "pve.ownPermissions",
  source: "pve",
  resolve: (ctx) => get(ctx, "GET /access/permissions", permissionTree, (api) => api.access.permissions.$get()),
});

export const providerIdentity = defineFact<ProviderIdentity | undefined>({
  id: "pve.providerIdentity",
  source: "files",
  resolve: async (ctx) => providerIdentityIn(await ctx.fact(kitFact)),
});

export interface PermissionsView {
  /** Whose permissions: the provider's id, or undefined when the kit does not say who the provider is. */
  provider: ProviderIdentity | undefined;
  tree: PermissionTree;
}

/** The provider's permissions when the kit names its credentials, else those omni-doctor uses. */
export const providerPermissions = defineFact<PermissionsView>({
  id: "pve.providerPermissions",
  source: "pve",
  alsoReads: ["files"],
  resolve: async (ctx) => {
    const identity = await ctx.tryFact(providerIdentity);
    const provider = identity.ok ? identity.value : undefined;
    if (!provider) return { provider, tree: await ctx.fact(ownPermissions) };
    const what = `GET /access/permissions?userid=${provider.id}`;
    try {
      return { provider, tree: await get(ctx, what, permissionTree, (api) => api.access.permissions.$get({ userid: provider.id })) };
    } catch (error) {
      if (isSourceError(error) && error.kind === "auth") {
        throw new SourceError("pve", "auth", `cannot read the permissions of ${provider.id} (the provider's credentials in ${provider.from}): ${error.message}`, "reading another user's permissions needs Sys.Audit on /access; run omni-doctor with the provider's credentials, or grant PVEAuditor on /access");
      }
      throw error;
    }
  },
});

/**
 * An empty list Proxmox filtered by permission is not "nothing there": when our own permissions
 * explain the emptiness, say so instead of reporting nothing.
 */
async function notFilteredAway<T>(ctx: RunContext, what: string, list: T[], path: string, privileges: string[]): Promise<T[]> {
  if (list.length > 0) return list;
  const own = await ctx.tryFact(ownPermissions);
  if (!own.ok || privileges.some((p) => hasPrivilegeWithin(own.value, path, p))) return list;
  throw new SourceError(
    "pve",
    "auth",
    `${what} answered an empty list, and these credentials lack ${privileges.join(" or ")} on ${path}: Proxmox hides what a user may not see, so this is not "nothing there"`,
    `grant ${privileges[0]} on ${path} (the PVEAuditor role has it) to the credentials omni-doctor uses`,
  );
}

export const nodes = defineFact<PveNode[]>({
  id: "pve.nodes",
  source: "pve",
  resolve: (ctx) => get(ctx, "GET /nodes", z.array(pveNode), (api) => api.nodes.$get()),
});

export const onlineNodeNames = (list: readonly PveNode[]) => list.filter((n) => n.status === "online").map((n) => n.node);

/** Quorum and membership; needs Sys.Audit on `/`. */
export const clusterStatus = defineFact<ClusterStatusEntry[]>({
  id: "pve.clusterStatus",
  source: "pve",
  resolve: (ctx) => get(ctx, "GET /cluster/status", z.array(clusterStatusEntry), (api) => api.cluster.status.$get()),
});

export const vms = defineFact<ClusterVm[]>({
  id: "pve.vms",
  source: "pve",
  resolve: async (ctx) => {
    const what = "GET /cluster/resources?type=vm";
    const all = await get(ctx, what, z.array(clusterVm), (api) => api.cluster.resources.$get({ type: "vm" }));
    return notFilteredAway(
      ctx,
      what,
      all.filter((vm) => vm.type === "qemu"),
      "/vms",
      ["VM.Audit"],
    );
  },
});

/** The provider tags every VM it creates `machine-request.<set>` (reference/proxmox.md §3.6). */
export function isProviderVm(vm: ClusterVm): boolean {
  return !vm.template && vm.tags.some((tag) => tag.startsWith("machine-request."));
}

/** The machine UUID Talos reports to Omni is the VM's SMBIOS UUID (`smbios1: uuid=...`). */
export function smbiosUuid(config: QemuConfig | undefined): string | undefined {
  return /(?:^|,)uuid=([0-9a-f-]{36})/i.exec(config?.smbios1 ?? "")?.[1]?.toLowerCase();
}

/** What VM checks say when Proxmox has no Talos VM at all. */
export const NO_TALOS_VMS = "no Talos VMs on this Proxmox (none tagged machine-request.* by the Omni provider, named after a machine request, or known to Omni by its UUID)";

export interface TalosVm extends ClusterVm {
  /** Why this VM counts as a Talos VM, for evidence. */
  identifiedBy: string;
}

function vmConfig(ctx: RunContext, vm: ClusterVm): Promise<QemuConfig> {
  return get(ctx, `GET /nodes/${vm.node}/qemu/${vm.vmid}/config`, qemuConfig, (api) => api.nodes.$(vm.node).qemu.$(vm.vmid).config.$get());
}

/**
 * VMs that run Talos for Omni: those the provider made (its tag, or a name that is one of Omni's
 * machine requests) and those whose SMBIOS UUID is a machine Omni knows. Configs of other VMs are
 * read only while Omni knows machines no VM has been found for. Unrelated VMs are never judged.
 */
export const talosVms = defineFact<TalosVm[]>({
  id: "pve.talosVms",
  source: "pve",
  alsoReads: ["omni"],
  resolve: async (ctx) => {
    const all = (await ctx.fact(vms)).filter((vm) => !vm.template);
    const requests = await ctx.tryFact(providerMachineRequests);
    const requestIds = new Set(requests.ok ? requests.value.map((r) => r.metadata.id) : []);
    const found = new Map<number, TalosVm>();
    for (const vm of all) {
      if (isProviderVm(vm)) found.set(vm.vmid, { ...vm, identifiedBy: `tagged ${vm.tags.find((t) => t.startsWith("machine-request."))} by the Omni provider` });
      else if (requestIds.has(vm.name)) found.set(vm.vmid, { ...vm, identifiedBy: `named after Omni machine request ${vm.name}` });
    }
    const machines = await ctx.tryFact(omniMachines);
    const known = new Set([...(machines.ok ? machines.value.map((m) => m.metadata.id) : []), ...(requests.ok ? requests.value.map((r) => r.spec.id ?? "") : [])].filter(Boolean).map((id) => id.toLowerCase()));
    if (known.size > 0) {
      // A config that cannot be read only means that VM cannot be identified this way.
      const uuidOf = (vm: ClusterVm) => vmConfig(ctx, vm).then(smbiosUuid, () => undefined);
      for (const uuid of await Promise.all([...found.values()].map(uuidOf))) if (uuid) known.delete(uuid);
      if (known.size > 0) {
        const others = all.filter((vm) => !found.has(vm.vmid));
        const uuids = await Promise.all(others.map(uuidOf));
        others.forEach((vm, i) => {
          const uuid = uuids[i];
          if (uuid && known.has(uuid)) found.set(vm.vmid, { ...vm, identifiedBy: `its SMBIOS UUID ${uuid} is an Omni machine` });
        });
      }
    }
    return all.filter((vm) => found.has(vm.vmid)).map((vm) => found.get(vm.vmid)!);
  },
});

/** Configs of the Talos VMs, keyed by VM id. */
export const talosVmConfigs = defineFact<PerSubject<QemuConfig>>({
  id: "pve.talosVmConfigs",
  source: "pve",
  resolve: async (ctx) => {
    const byId = new Map((await ctx.fact(talosVms)).map((vm) => [String(vm.vmid), vm]));
    return perSubject([...byId.keys()], (vmid) => vmConfig(ctx, byId.get(vmid)!));
  },
});

/** Each online node's storage list, in the order PVE returned it (the order the provider evaluates). */
export const nodeStorages = defineFact<PerSubject<NodeStorage[]>>({
  id: "pve.nodeStorages",
  source: "pve",
  resolve: async (ctx) =>
    perSubject(onlineNodeNames(await ctx.fact(nodes)), async (node) => {
      const what = `GET /nodes/${node}/storage`;
      const list = await get(ctx, what, z.array(nodeStorage), (api) => api.nodes.$(node).storage.$get());
      return notFilteredAway(ctx, what, list, "/storage", ["Datastore.Audit", "Datastore.AllocateSpace"]);
    }),
});

/** How many recent tasks each node is asked for: enough for a week of a homelab's provisioning. */
const TASK_LIMIT = 500;

/** Each online node's recent tasks, running ones included. Without Sys.Audit on the node, only the caller's own tasks. */
export const nodeTasks = defineFact<PerSubject<PveTask[]>>({
  id: "pve.nodeTasks",
  source: "pve",
  resolve: async (ctx) =>
    perSubject(onlineNodeNames(await ctx.fact(nodes)), (node) =>
      get(ctx, `GET /nodes/${node}/tasks?limit=${TASK_LIMIT}&source=all`, z.array(pveTask), (api) => api.nodes.$(node).tasks.$get({ limit: TASK_LIMIT, source: "all" })),
    ),
});

/** The network interfaces of the nodes the kit's machine classes may be placed on (none asked without classes). */
export const nodeNetworks = defineFact<PerSubject<NetworkInterface[]>>({
  id: "pve.nodeNetworks",
  source: "pve",
  alsoReads: ["files"],
  resolve: async (ctx) => {
    const kit = await ctx.tryFact(kitFact);
    const classes = kit.ok ? providerClasses(kit.value) : [];
    if (classes.length === 0) return { values: new Map(), errors: new Map() };
    const online = onlineNodeNames(await ctx.fact(nodes));
    const wanted = [...new Set(classes.flatMap((cls) => nodesFor(cls, online)))];
    return perSubject(wanted, (node) => get(ctx, `GET /nodes/${node}/network`, z.array(networkInterface), (api) => api.nodes.$(node).network.$get()));
  },
});

/** PCI resource mappings (PVE ≥ 8), asked only when a machine class passes PCI devices through. */
export const pciMappings = defineFact<PciMapping[]>({
  id: "pve.pciMappings",
  source: "pve",
  alsoReads: ["files"],
  resolve: async (ctx) => {
    const kit = await ctx.tryFact(kitFact);
    if (!kit.ok || !providerClasses(kit.value).some((cls) => cls.pciMappings.length > 0)) return [];
    const what = "GET /cluster/mapping/pci";
    return notFilteredAway(ctx, what, await get(ctx, what, z.array(pciMapping), (api) => api.cluster.mapping.pci.$get()), "/mapping/pci", ["Mapping.Audit"]);
  },
});

/** SDN VNets, which a VM may use as its bridge; asked only when a class's bridge is not a bridge of its node. */
export const sdnVnets = defineFact<string[]>({
  id: "pve.sdnVnets",
  source: "pve",
  alsoReads: ["files"],
  resolve: async (ctx) => {
    const kit = await ctx.tryFact(kitFact);
    const classes = kit.ok ? providerClasses(kit.value) : [];
    const networks = await ctx.fact(nodeNetworks);
    const online = onlineNodeNames(await ctx.fact(nodes));
    const missing = classes.some((cls) =>
      nodesFor(cls, online).some((node) => {
        const interfaces = networks.values.get(node);
        return interfaces !== undefined && cls.bridges.some((bridge) => !interfaces.some((i) => i.iface === bridge.name));
      }),
    );
    if (!missing) return [];
    return (await get(ctx, "GET /cluster/sdn/vnets", z.array(sdnVnet), (api) => api.cluster.sdn.vnets.$get())).map((v) => v.vnet);
  },
});

/** Each online node's resolvers (what new VMs inherit through the provider's cloud-init). */
export const nodeResolvers = defineFact<PerSubject<string[]>>({
  id: "pve.nodeResolvers",
  source: "pve",
  resolve: async (ctx) =>
    perSubject(onlineNodeNames(await ctx.fact(nodes)), async (node) => {
      const dns = await get(ctx, `GET /nodes/${node}/dns`, nodeDns, (api) => api.nodes.$(node).dns.$get());
      return [dns.dns1, dns.dns2, dns.dns3].filter((s): s is string => Boolean(s));
    }),
});
