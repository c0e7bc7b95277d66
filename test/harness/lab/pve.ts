/**
 * What the Proxmox VE API answers for a lab (reference/proxmox.md §2): `{"data": ...}` with
 * exactly `application/json;charset=UTF-8`, 0/1 booleans, `memory` as a string, PVE's status lines
 * and reason phrases, 401s with no body and no content type, 595 for a node the cluster proxy
 * cannot reach, and lists filtered by the caller's permissions rather than refused.
 */
import type { HttpAnswer } from "../../../src/sources/transport.ts";
import { hasPrivilege, type PermissionTree } from "../../../src/sources/proxmox/permissions.ts";
import type { Lab, PveLab, PveNodeLab, PveStorageLab, PveTaskLab, PveVm } from "./model.ts";

const JSON_TYPE = "application/json;charset=UTF-8";

export interface PveReply extends HttpAnswer {
  delayMs?: number;
}

const ok = (data: unknown): PveReply => ({ status: 200, statusText: "OK", contentType: JSON_TYPE, body: JSON.stringify({ data }) });
const fail = (status: number, statusText: string, withBody = true): PveReply => ({
  status,
  statusText,
  contentType: withBody ? JSON_TYPE : null,
  body: withBody ? JSON.stringify({ data: null, message: `${statusText}\n` }) : "",
});
const denied = (path: string, privilege: string) => fail(403, `Permission check failed (${path}, ${privilege})`);

/** A VM as the provider creates it by default (samples/proxmox/omni-vm-config.expected.constructed.json). */
export function providerVm(o: { vmid: number; node: string; name: string; uuid?: string; set?: string; config?: Record<string, string | number>; status?: "running" | "stopped"; lock?: string }): PveVm {
  const set = o.set ?? "lab-workers";
  const vm: PveVm = {
    vmid: o.vmid,
    node: o.node,
    name: o.name,
    status: o.status ?? "running",
    tags: ["go-proxmox+cloud-init", `machine-request.${set}`],
    config: {
      agent: "enabled=true",
      boot: "order=scsi0;ide2;net0;ide0",
      cores: 2,
      cpu: "x86-64-v2-AES",
      ide0: `local:iso/user-data-${o.vmid}.iso,media=cdrom`,
      ide2: "local:iso/7d4c2ab8f27f6a1e.iso,media=cdrom",
      memory: "4096",
      meta: "creation-qemu=9.0.2,ctime=1763629200",
      name: o.name,
      net0: `virtio=BC:24:11:00:${(o.vmid % 256).toString(16).padStart(2, "0").toUpperCase()}:01,bridge=vmbr0,firewall=1`,
      onboot: 1,
      scsi0: `local-lvm:vm-${o.vmid}-disk-0,size=40G`,
      scsihw: "virtio-scsi-single",
      smbios1: `uuid=${o.uuid ?? "00000000-0000-4000-8000-000000000000"}`,
      sockets: 1,
      tags: `go-proxmox+cloud-init;machine-request.${set}`,
      vmgenid: "d1e2f3a4-0000-4000-8000-000000000001",
      digest: "5f3c1e0f4b7d9a2c8e6f0a1b3c5d7e9f1a2b3c4d",
      ...o.config,
    },
  };
  if (o.lock) vm.lock = o.lock;
  return vm;
}

const GIB = 1024 ** 3;

/** A fresh PVE install's storages: `local` for ISOs and backups, `local-lvm` for VM disks. */
const DEFAULT_STORAGES: PveStorageLab[] = [
  { storage: "local", type: "dir", content: "iso,vztmpl,backup", enabled: 1, active: 1, shared: 0, avail: 78 * GIB, total: 100 * GIB },
  { storage: "local-lvm", type: "lvmthin", content: "rootdir,images", enabled: 1, active: 1, shared: 0, avail: 300 * GIB, total: 400 * GIB },
];

const DEFAULT_NETWORKS = [
  { iface: "eno1", type: "eth" },
  { iface: "vmbr0", type: "bridge" },
];

/** root@pam's view: every privilege on `/`, propagated. */
const EVERYTHING: PermissionTree = {
  "/": Object.fromEntries(
    ["Datastore.Allocate", "Datastore.AllocateSpace", "Datastore.AllocateTemplate", "Datastore.Audit", "Mapping.Audit", "Permissions.Modify", "SDN.Audit", "SDN.Use", "Sys.AccessNetwork", "Sys.Audit", "Sys.Modify", "VM.Allocate", "VM.Audit", "VM.Config.CDROM", "VM.Config.CPU", "VM.Config.Disk", "VM.Config.HWType", "VM.Config.Memory", "VM.Config.Network", "VM.Config.Options", "VM.Migrate", "VM.PowerMgmt"].map((p) => [p, 1]),
  ),
};

/** A login ticket as PVE makes them: `PVE:<user>:<hex time>::<base64 signature>`. */
function ticketFor(username: string): string {
  return `PVE:${username}:6920B110::${Buffer.from(`signature of ${username}`).toString("base64")}`;
}
const CSRF_TOKEN = "6920B110:Y2xlYXJseSBhIHRlc3QgY3NyZiB0b2tlbg";

interface Caller {
  /** The id tasks and ACLs use: `user@realm` or `user@realm!token`. */
  id: string;
}

function header(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
}

/** Who is calling, or PVE's 401. A lab without credentials accepts anyone as root. */
/** Who is calling, or PVE's 401 for a request without valid credentials. */
export function authenticate(pve: PveLab, method: string, headers: Record<string, string>): Caller | PveReply {
  if (!pve.tokenId && !pve.login) return { id: "root@pam" };
  const auth = header(headers, "authorization");
  const cookie = /PVEAuthCookie=([^;]+)/.exec(header(headers, "cookie") ?? "")?.[1];
  if (auth) {
    if (pve.tokenId && auth === `PVEAPIToken=${pve.tokenId}=${pve.tokenSecret}`) return { id: pve.tokenId };
    return fail(401, newerThan(pve.version, "9.1.5") ? "Authentication failed!" : "invalid token value!", false);
  }
  if (cookie && pve.login) {
    if (cookie !== ticketFor(pve.login.username)) return fail(401, newerThan(pve.version, "9.1.5") ? "Authentication failed!" : "permission denied - invalid PVE ticket", false);
    if (method !== "GET" && header(headers, "csrfpreventiontoken") !== CSRF_TOKEN) return fail(401, "Permission denied - invalid csrf token", false);
    return { id: pve.login.username };
  }
  return fail(401, "No ticket", false);
}

function login(pve: PveLab, body: string): PveReply {
  const form = new URLSearchParams(body);
  const username = form.get("username") ?? "";
  const realm = form.get("realm");
  const full = realm && !username.includes("@") ? `${username}@${realm}` : username;
  if (!pve.login || full !== pve.login.username || form.get("password") !== pve.login.password) return fail(401, "authentication failure");
  return ok({ username: full, ticket: ticketFor(full), CSRFPreventionToken: CSRF_TOKEN, cap: { vms: { "VM.Audit": 1 } }, clustername: "lab" });
}

function newerThan(version: string, than: string): boolean {
  const a = version.split(".").map(Number);
  const b = than.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

const hex8 = (n: number) => n.toString(16).toUpperCase().padStart(8, "0");

/** A task as `GET /nodes/{node}/tasks` lists it, with its UPID. */
function taskEntry(node: string, task: PveTaskLab, index: number) {
  const who = task.tokenid ? `${task.user}!${task.tokenid}` : task.user;
  const pid = 48000 + index;
  return {
    upid: `UPID:${node}:${hex8(pid)}:${hex8(91234000 + index)}:${hex8(task.starttime)}:${task.type}:${task.id}:${who}:`,
    node,
    pid,
    pstart: 91234000 + index,
    starttime: task.starttime,
    type: task.type,
    id: task.id,
    user: task.user,
    ...(task.tokenid ? { tokenid: task.tokenid } : {}),
    ...(task.endtime !== undefined ? { endtime: task.endtime } : {}),
    ...(task.status !== undefined ? { status: task.status } : {}),
  };
}

function nodeTasks(node: PveNodeLab, caller: Caller, tree: PermissionTree, params: URLSearchParams) {
  const source = params.get("source") ?? "archive";
  const limit = Number(params.get("limit") ?? 50);
  const visible = hasPrivilege(tree, `/nodes/${node.node}`, "Sys.Audit");
  return (node.tasks ?? [])
    .map((task, i) => ({ task, entry: taskEntry(node.node, task, i) }))
    .filter(({ task }) => visible || (task.tokenid ? `${task.user}!${task.tokenid}` : task.user) === caller.id)
    .filter(({ task }) => (source === "all" ? true : source === "active" ? task.endtime === undefined : task.endtime !== undefined))
    .sort((a, b) => b.task.starttime - a.task.starttime)
    .slice(0, limit)
    .map(({ entry }) => entry);
}

/** Answer `method pathAndQuery` (path relative to /api2/json). */
export function pveAnswer(lab: Lab, method: string, pathAndQuery: string, headers: Record<string, string> = {}, body = ""): PveReply {
  const pve = lab.pve;
  if (!pve) return fail(501, `Method '${method} ${pathAndQuery}' not implemented`);
  if (method === "POST" && pathAndQuery === "/access/ticket") return login(pve, body);
  const caller = authenticate(pve, method, headers);
  if ("status" in caller) return caller;
  const override = pve.overrides?.[`${method} ${pathAndQuery}`] ?? pve.overrides?.[`${method} ${pathAndQuery.split("?")[0]}`];
  if (override) {
    const reply = override.body !== undefined ? { status: override.status, statusText: override.statusText, contentType: override.body ? JSON_TYPE : null, body: override.body } : fail(override.status, override.statusText, override.status !== 401 && override.status < 595);
    return override.delayMs ? { ...reply, delayMs: override.delayMs } : reply;
  }
  const [path = "", query = ""] = pathAndQuery.split("?");
  const params = new URLSearchParams(query);
  const parts = path.split("/").filter(Boolean);
  const tree = pve.permissions ?? EVERYTHING;
  const can = (p: string, privilege: string) => hasPrivilege(tree, p, privilege);
  const nodeOf = (name: string) => pve.nodes.find((n) => n.node === name);
  if (method !== "GET") return fail(501, `Method '${method} ${path}' not implemented`);
  if (path === "/version") return ok({ version: pve.version, release: pve.version.split(".").slice(0, 2).join("."), repoid: "ec58e45e1bcdf2ac" });
  if (path === "/access/permissions") {
    const userid = params.get("userid");
    if (!userid || userid === caller.id) return ok(tree);
    if (!can("/access", "Sys.Audit")) return denied("/access", "Sys.Audit");
    return ok(pve.permissionsOf?.[userid] ?? EVERYTHING);
  }
  if (path === "/nodes") {
    return ok(
      pve.nodes.map((n) => {
        const base = { node: n.node, status: n.status, id: `node/${n.node}`, type: "node", level: "", ssl_fingerprint: fingerprintOf(n.node) };
        // Without Sys.Audit on the node, PVE strips its resource figures.
        if (n.status !== "online" || !can(`/nodes/${n.node}`, "Sys.Audit")) return base;
        return { ...base, maxmem: n.maxmem ?? 68719476736, mem: n.mem ?? 17179869184, maxcpu: 16, cpu: 0.08, uptime: 864000, disk: 10737418240, maxdisk: 107374182400 };
      }),
    );
  }
  if (path === "/cluster/status") {
    if (!can("/", "Sys.Audit")) return denied("/", "Sys.Audit");
    const rows = pve.nodes.map((n, i) => ({ type: "node", id: `node/${n.node}`, name: n.node, nodeid: pve.nodes.length > 1 ? i + 1 : 0, ip: `192.168.10.${11 + i}`, local: i === 0 ? 1 : 0, online: n.status === "online" ? 1 : 0, level: "" }));
    const online = pve.nodes.filter((n) => n.status === "online").length;
    const cluster = { type: "cluster", id: "cluster", name: "lab", nodes: pve.nodes.length, version: pve.nodes.length + 2, quorate: (pve.quorate ?? online * 2 > pve.nodes.length) ? 1 : 0 };
    return ok(pve.nodes.length > 1 ? [cluster, ...rows] : rows);
  }
  if (path === "/cluster/resources") {
    const vms = pve.vms
      .filter((vm) => can(`/vms/${vm.vmid}`, "VM.Audit"))
      .map((vm) => ({
        id: `qemu/${vm.vmid}`,
        type: "qemu",
        vmid: vm.vmid,
        node: vm.node,
        name: vm.name,
        status: nodeOf(vm.node)?.status === "online" ? (vm.status ?? "running") : "unknown",
        template: vm.template ? 1 : 0,
        ...(vm.tags?.length ? { tags: vm.tags.join(";") } : {}),
        ...(vm.lock ? { lock: vm.lock } : {}),
        ...(vm.hastate ? { hastate: vm.hastate } : {}),
        maxcpu: Number(vm.config.cores ?? 1),
        maxmem: Number(vm.config.memory ?? 2048) * 1024 * 1024,
        maxdisk: 42949672960,
        cpu: 0.02,
        mem: 1073741824,
        uptime: 3600,
      }));
    const type = params.get("type");
    return ok(type === "vm" || type === null ? vms : []);
  }
  if (path === "/cluster/mapping/pci") {
    if (!newerThan(pve.version, "8.0.0")) return fail(501, `Method 'GET ${path}' not implemented`);
    return ok((pve.pciMappings ?? []).filter((m) => can(`/mapping/pci/${m.id}`, "Mapping.Audit")).map((m) => ({ id: m.id, type: "pci", map: m.map })));
  }
  if (path === "/cluster/sdn/vnets") return ok((pve.vnets ?? []).map((vnet) => ({ vnet, zone: "lab", type: "vnet", digest: "0a1b2c3d" })));
  if (parts[0] === "nodes" && parts[1]) {
    const node = nodeOf(parts[1]);
    if (!node) return fail(500, `hostname lookup '${parts[1]}' failed - failed to get address info for: ${parts[1]}: Name or service not known`);
    const reply = nodeAnswer(pve, node, parts, params, caller, tree);
    return node.delayMs ? { ...reply, delayMs: node.delayMs } : reply;
  }
  return fail(501, `Method '${method} ${path}' not implemented`);
}

function nodeAnswer(pve: PveLab, node: PveNodeLab, parts: string[], params: URLSearchParams, caller: Caller, tree: PermissionTree): PveReply {
  const path = `/${parts.join("/")}`;
  if (node.status !== "online") return fail(595, "Errors during connection establishment, proxy handshake: No route to host", false);
  if (parts[2] === "dns" && parts.length === 3) {
    if (!hasPrivilege(tree, `/nodes/${node.node}`, "Sys.Audit")) return denied(`/nodes/${node.node}`, "Sys.Audit");
    return ok({ search: node.dns?.search ?? "lan", ...node.dns });
  }
  if (parts[2] === "storage" && parts.length === 3) {
    const storages = (node.storages ?? DEFAULT_STORAGES).filter((s) => hasPrivilege(tree, `/storage/${s.storage}`, "Datastore.Audit") || hasPrivilege(tree, `/storage/${s.storage}`, "Datastore.AllocateSpace"));
    return ok(
      storages.map((s) => {
        const total = s.enabled === 0 ? 0 : (s.total ?? 0);
        const avail = s.enabled === 0 ? 0 : (s.avail ?? 0);
        return { storage: s.storage, type: s.type, content: s.content, enabled: s.enabled ?? 1, active: s.active ?? (s.enabled === 0 ? 0 : 1), shared: s.shared ?? 0, total, used: total - avail, avail, ...(total > 0 ? { used_fraction: (total - avail) / total } : {}) };
      }),
    );
  }
  if (parts[2] === "network" && parts.length === 3) return ok((node.networks ?? DEFAULT_NETWORKS).map((i) => ({ ...i, active: 1, autostart: 1, families: ["inet"], method: "manual", priority: 3 })));
  if (parts[2] === "tasks" && parts.length === 3) return ok(nodeTasks(node, caller, tree, params));
  if (parts[2] === "qemu" && parts.length === 3) {
    return ok(pve.vms.filter((vm) => vm.node === node.node && hasPrivilege(tree, `/vms/${vm.vmid}`, "VM.Audit")).map((vm) => ({ vmid: vm.vmid, name: vm.name, status: vm.status ?? "running" })));
  }
  if (parts[2] === "qemu" && parts[3] && parts[4] === "config") {
    const vm = pve.vms.find((v) => v.vmid === Number(parts[3]) && v.node === node.node);
    if (!vm) return fail(500, `Configuration file 'nodes/${node.node}/qemu-server/${parts[3]}.conf' does not exist`);
    if (!hasPrivilege(tree, `/vms/${vm.vmid}`, "VM.Audit")) return denied(`/vms/${vm.vmid}`, "VM.Audit");
    return ok(vm.config);
  }
  return fail(501, `Method 'GET ${path}' not implemented`);
}

/** Each node's certificate fingerprint as `/nodes` reports it (SHA-256, colon-separated upper-case hex). */
export function fingerprintOf(node: string): string {
  const bytes = [...Buffer.from(node.padEnd(32, "#"))].slice(0, 32);
  return bytes.map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join(":");
}
