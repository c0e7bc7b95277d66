/**
 * What talosctl prints for a lab (reference/talos.md §1): `get <type> -o json` streams one
 * sorted-key object per resource, nodes in -n order and resources sorted by ID; node failures
 * differ by client generation (≤1.13: an anonymous multierror; ≥1.14: per-node lines).
 */
import type { ExecAnswer } from "../../../src/sources/transport.ts";
import { goJsonStream, typedMap } from "./go-json.ts";
import type { Lab, TalosNode, TalosResource, TalosService } from "./model.ts";

/** CLI names → resource types (case-insensitive; full type names work too). */
const ALIASES: Record<string, string> = {
  addresses: "AddressStatuses.net.talos.dev",
  address: "AddressStatuses.net.talos.dev",
  addressstatus: "AddressStatuses.net.talos.dev",
  links: "LinkStatuses.net.talos.dev",
  members: "Members.cluster.talos.dev",
  machinestatus: "MachineStatuses.runtime.talos.dev",
  machinestatuses: "MachineStatuses.runtime.talos.dev",
  versions: "Versions.runtime.talos.dev",
  version: "Versions.runtime.talos.dev",
  services: "Services.v1alpha1.talos.dev",
  volumestatuses: "VolumeStatuses.block.talos.dev",
  volumestatus: "VolumeStatuses.block.talos.dev",
  kubespanpeerstatuses: "KubeSpanPeerStatuses.kubespan.talos.dev",
  etcdmembers: "EtcdMembers.etcd.talos.dev",
  nodename: "Nodenames.kubernetes.talos.dev",
  operatorspecs: "OperatorSpecs.net.talos.dev",
};

/** Builders for common resources. */
export const talos = {
  address(link: string, address: string, o: { family?: "inet4" | "inet6"; scope?: string; linkIndex?: number } = {}): TalosResource {
    return {
      type: "AddressStatuses.net.talos.dev",
      namespace: "network",
      id: `${link}/${address}`,
      owner: "network.AddressStatusController",
      spec: { address, local: address.split("/")[0], linkIndex: o.linkIndex ?? 2, linkName: link, family: o.family ?? (address.includes(":") ? "inet6" : "inet4"), scope: o.scope ?? "global", flags: "permanent", priority: 1024 },
    };
  },
  /** A normal node's addresses: loopback, its LAN address, Omni's siderolink ULA. */
  nodeAddresses(ip: string, extra: TalosResource[] = []): TalosResource[] {
    return [talos.address("lo", "127.0.0.1/8", { scope: "host", linkIndex: 1 }), talos.address("ens18", `${ip}/24`), talos.address("siderolink", "fdae:41e4:649b:9303::a/64", { linkIndex: 5 }), ...extra];
  },
  machineStatus(stage = "running", unmet: Array<{ name: string; reason: string }> = []): TalosResource {
    return { type: "MachineStatuses.runtime.talos.dev", namespace: "runtime", id: "machine", owner: "runtime.MachineStatusController", spec: { stage, status: { ready: unmet.length === 0, unmetConditions: unmet } } };
  },
  /** A system volume (`META`, `STATE`, `EPHEMERAL`); `missing` ones have no location. */
  volume(id: string, phase: string, partitionIndex = 0): TalosResource {
    const located = phase !== "missing" && phase !== "waiting";
    return {
      type: "VolumeStatuses.block.talos.dev",
      namespace: "runtime",
      id,
      owner: "block.VolumeManagerController",
      labels: { "talos.dev/system-volume": "" },
      spec: located ? { phase, type: "partition", location: `/dev/sda${partitionIndex}`, parentLocation: "/dev/sda", partitionIndex, size: 104857600, prettySize: "105 MB" } : { phase, type: "partition" },
    };
  },
  version(version = "v1.12.4"): TalosResource {
    return { type: "Versions.runtime.talos.dev", namespace: "runtime", id: "version", spec: { name: "Talos", version } };
  },
  etcdMember(memberID: string): TalosResource {
    return { type: "EtcdMembers.etcd.talos.dev", namespace: "etcd", id: "local", owner: "etcd.MemberController", spec: { memberID } };
  },
  kubeSpanPeer(label: string, state: "up" | "down" | "unknown", endpoint: string): TalosResource {
    const handshake = state === "up" ? "2026-11-20T09:59:30.123456789Z" : "0001-01-01T00:00:00Z";
    return {
      type: "KubeSpanPeerStatuses.kubespan.talos.dev",
      namespace: "kubespan",
      id: `${Buffer.from(label).toString("base64").padEnd(43, "A")}=`,
      owner: "kubespan.ManagerController",
      spec: { endpoint, label, lastEndpointChange: "2026-11-20T08:00:00Z", lastHandshakeTime: handshake, lastUsedEndpoint: endpoint, receiveBytes: state === "up" ? 1893420 : 0, state, transmitBytes: 148920 },
    };
  },
  service(id: string, state = "Running", lastEvent = state === "Running" ? "Health check successful" : "", health = state === "Running" ? "OK" : "Fail"): TalosService {
    return { id, state, health, lastEvent };
  },
  /** A healthy, installed node: addresses, running machine status, system volumes, version, its services (etcd on control planes). */
  healthyNode(role: "controlplane" | "worker", ip: string, memberID = `3f8a2c1d9e4b${ip.split(".").at(-1)!.padStart(4, "0")}`): TalosNode {
    const controlPlane = role === "controlplane";
    return {
      resources: [
        ...talos.nodeAddresses(ip),
        talos.machineStatus(),
        talos.volume("META", "ready", 2),
        talos.volume("STATE", "ready", 3),
        talos.volume("EPHEMERAL", "ready", 4),
        talos.version(),
        ...(controlPlane ? [talos.etcdMember(memberID)] : []),
      ],
      services: [
        talos.service("apid"),
        talos.service("containerd"),
        talos.service("cri"),
        ...(controlPlane ? [talos.service("etcd")] : []),
        talos.service("kubelet"),
        talos.service("machined", "Running", "Service started as goroutine", "?"),
        ...(controlPlane ? [talos.service("trustd")] : []),
        talos.service("udevd"),
      ],
    };
  },
};

/** Go's text/tabwriter as talosctl sets it up: min width 0, padding 3, spaces; the last cell is not padded. */
function tabwrite(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => `${row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]! + 3) : cell)).join("")}\n`).join("");
}

/** Per-node failures of a command that is not `get`, worded as each client generation does. */
function unaryFailure(client: "1.13" | "1.14", errors: Array<{ node: string; error: string }>, stdout: string): ExecAnswer {
  if (errors.length === 0) return { exitCode: 0, stdout, stderr: "" };
  if (client === "1.14") return { exitCode: 1, stdout, stderr: `${errors.map((e) => `error from node ${e.node}: ${e.error}`).join("\n")}\n` };
  const plural = errors.length > 1 ? "s" : "";
  return { exitCode: 0, stdout, stderr: `WARNING: ${errors.length} error${plural} occurred:\n${errors.map((e) => `\t* ${e.node}: ${e.error}`).join("\n")}\n\n` };
}

function canonicalType(name: string): string {
  const lower = name.toLowerCase();
  return ALIASES[lower] ?? name;
}

function envelope(node: string, r: TalosResource) {
  const metadata: Record<string, unknown> = {
    namespace: r.namespace,
    type: r.type,
    id: r.id,
    version: 1,
    owner: r.owner ?? null,
    phase: "running",
    created: "2026-11-20T08:00:00Z",
    updated: "2026-11-20T08:00:00Z",
  };
  const labels = typedMap(r.labels);
  if (labels) metadata.labels = labels;
  return { node, metadata, spec: r.spec };
}

function unreachableError(node: string): string {
  const target = /^\d+\.\d+\.\d+\.\d+$/.test(node) ? node : "10.0.0.99";
  return `rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp ${target}:50000: connect: connection refused"`;
}

export function talosctlAnswer(lab: Lab, argv: readonly string[]): ExecAnswer {
  const talosLab = lab.talos;
  if (!talosLab) return { exitCode: 1, stdout: "", stderr: "failed to determine endpoints: open /root/.talos/config: no such file or directory\n" };
  if (talosLab.failure) return { exitCode: talosLab.failure.exitCode, stdout: talosLab.failure.stdout ?? "", stderr: talosLab.failure.stderr };
  const args = [...argv];
  let nodes: string[] | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--nodes" || arg === "-n") nodes = [...(nodes ?? []), ...args[++i]!.split(",")];
    else if (arg.startsWith("--nodes=")) nodes = [...(nodes ?? []), ...arg.slice(8).split(",")];
    else if (arg === "--cluster" || arg === "--output" || arg === "-o") {
      if (arg !== "--cluster") rest.push(arg, args[i + 1]!);
      i++;
    } else rest.push(arg);
  }
  const command = rest[0] === "services" ? "service" : rest[0];
  if ((command !== "get" || !rest[1]) && !(command === "service" && rest.length === 1)) return { exitCode: 1, stdout: "", stderr: `unknown command "${rest[0]}" for "talosctl"\n` };
  const targets = nodes ?? talosLab.configNodes;
  if (!targets || targets.length === 0) {
    return { exitCode: 1, stdout: "", stderr: "nodes are not set for the command: please use `--nodes` flag or configuration file to set the nodes to run the command against\n" };
  }
  if (command === "service") {
    const rows = [["NODE", "SERVICE", "STATE", "HEALTH", "LAST CHANGE", "LAST EVENT"]];
    const errors: Array<{ node: string; error: string }> = [];
    for (const node of targets) {
      const labNode = talosLab.nodes[node];
      if (!labNode || labNode.unreachable) errors.push({ node, error: unreachableError(node) });
      else for (const svc of labNode.services ?? []) rows.push([node, svc.id, svc.state, svc.health, `${svc.lastChange ?? "22h27m41s"} ago`, svc.lastEvent || "<none>"]);
    }
    return unaryFailure(talosLab.client, errors, tabwrite(rows));
  }
  if (talosLab.rawStdout !== undefined) return { exitCode: 0, stdout: talosLab.rawStdout, stderr: "" };
  const type = canonicalType(rest[1]!);
  const objects: unknown[] = [];
  const errors: Array<{ node: string; error: string }> = [];
  for (const node of targets) {
    const labNode = talosLab.nodes[node];
    if (!labNode || labNode.unreachable) {
      errors.push({ node, error: unreachableError(node) });
      continue;
    }
    const resources = labNode.resources.filter((r) => r.type.toLowerCase() === type.toLowerCase()).sort((a, b) => a.id.localeCompare(b.id));
    objects.push(...resources.map((r) => envelope(node, r)));
  }
  const stdout = goJsonStream(objects);
  if (errors.length === 0) return { exitCode: 0, stdout, stderr: "" };
  const stderr =
    talosLab.client === "1.14"
      ? `${errors.map((e) => `error listing resources on node ${e.node}: ${e.error}`).join("\n")}\n`
      : `${errors.length} error${errors.length > 1 ? "s" : ""} occurred:\n${errors.map((e) => `\t* ${e.error}`).join("\n")}\n\n`;
  return { exitCode: 1, stdout, stderr };
}
