/**
 * What the Proxmox VE API answers for a lab (reference/proxmox.md §2): `{"data": ...}` with
 * exactly `application/json;charset=UTF-8`, 0/1 booleans, PVE's status lines and reason phrases,
 * 401s with no body and no content type, 595 for a node the cluster proxy cannot reach.
 */
import type { HttpAnswer } from "../../../src/sources/transport.ts";
import type { Lab, PveLab, PveVm } from "./model.ts";

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

/** PVE's 401 for a request without valid credentials, or undefined when it may proceed. */
export function authorized(pve: PveLab, headers: Record<string, string>): PveReply | undefined {
  if (!pve.tokenId) return undefined;
  const auth = Object.entries(headers).find(([k]) => k.toLowerCase() === "authorization")?.[1];
  if (!auth) return fail(401, "No ticket", false);
  if (auth !== `PVEAPIToken=${pve.tokenId}=${pve.tokenSecret}`) return fail(401, newerThan(pve.version, "9.1.5") ? "Authentication failed!" : "invalid token value!", false);
  return undefined;
}

function newerThan(version: string, than: string): boolean {
  const a = version.split(".").map(Number);
  const b = than.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** Answer `method pathAndQuery` (path relative to /api2/json). */
export function pveAnswer(lab: Lab, method: string, pathAndQuery: string, headers: Record<string, string> = {}): PveReply {
  const pve = lab.pve;
  if (!pve) return fail(501, `Method '${method} ${pathAndQuery}' not implemented`);
  const denied = authorized(pve, headers);
  if (denied) return denied;
  const override = pve.overrides?.[`${method} ${pathAndQuery}`] ?? pve.overrides?.[`${method} ${pathAndQuery.split("?")[0]}`];
  if (override) {
    const reply = override.body !== undefined ? { status: override.status, statusText: override.statusText, contentType: override.body ? JSON_TYPE : null, body: override.body } : fail(override.status, override.statusText, override.status !== 401 && override.status < 595);
    return override.delayMs ? { ...reply, delayMs: override.delayMs } : reply;
  }
  const [path = "", query = ""] = pathAndQuery.split("?");
  const params = new URLSearchParams(query);
  const parts = path.split("/").filter(Boolean);
  const nodeOf = (name: string) => pve.nodes.find((n) => n.node === name);
  if (method !== "GET") return fail(501, `Method '${method} ${path}' not implemented`);
  if (path === "/version") return ok({ version: pve.version, release: pve.version.split(".").slice(0, 2).join("."), repoid: "ec58e45e1bcdf2ac" });
  if (path === "/nodes") {
    return ok(
      pve.nodes.map((n) =>
        n.status === "online"
          ? { node: n.node, status: "online", id: `node/${n.node}`, type: "node", level: "", ssl_fingerprint: "AA:BB", maxmem: n.maxmem ?? 68719476736, mem: n.mem ?? 17179869184, maxcpu: 16, cpu: 0.08, uptime: 864000, disk: 10737418240, maxdisk: 107374182400 }
          : { node: n.node, status: "offline", id: `node/${n.node}`, type: "node", level: "", ssl_fingerprint: "AA:BB" },
      ),
    );
  }
  if (path === "/cluster/resources") {
    const vms = pve.vms.map((vm) => ({
      id: `qemu/${vm.vmid}`,
      type: "qemu",
      vmid: vm.vmid,
      node: vm.node,
      name: vm.name,
      status: nodeOf(vm.node)?.status === "offline" ? "unknown" : (vm.status ?? "running"),
      template: vm.template ? 1 : 0,
      ...(vm.tags?.length ? { tags: vm.tags.join(";") } : {}),
      ...(vm.lock ? { lock: vm.lock } : {}),
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
  if (parts[0] === "nodes" && parts[1]) {
    const node = nodeOf(parts[1]);
    if (!node) return fail(500, `hostname lookup '${parts[1]}' failed - failed to get address info for: ${parts[1]}: Name or service not known`);
    if (node.status === "offline") return fail(595, "Errors during connection establishment, proxy handshake: No route to host", false);
    if (parts[2] === "dns" && parts.length === 3) return ok({ search: node.dns?.search ?? "lan", ...node.dns });
    if (parts[2] === "qemu" && parts.length === 3) return ok(pve.vms.filter((vm) => vm.node === node.node).map((vm) => ({ vmid: vm.vmid, name: vm.name, status: vm.status ?? "running" })));
    if (parts[2] === "qemu" && parts[3] && parts[4] === "config") {
      const vm = pve.vms.find((v) => v.vmid === Number(parts[3]) && v.node === node.node);
      if (!vm) return fail(500, `Configuration file 'nodes/${node.node}/qemu-server/${parts[3]}.conf' does not exist`);
      return ok(vm.config);
    }
  }
  return fail(501, `Method '${method} ${path}' not implemented`);
}
