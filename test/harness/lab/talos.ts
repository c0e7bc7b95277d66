/**
 * What talosctl prints for a lab (reference/talos.md §1): `get <type> -o json` streams one
 * sorted-key object per resource, nodes in -n order and resources sorted by ID; node failures
 * differ by client generation (≤1.13: an anonymous multierror; ≥1.14: per-node lines).
 */
import type { ExecAnswer } from "../../../src/sources/transport.ts";
import { goJsonStream, typedMap } from "./go-json.ts";
import type { Lab, TalosResource } from "./model.ts";

/** CLI names → resource types (case-insensitive; full type names work too). */
const ALIASES: Record<string, string> = {
  addresses: "AddressStatuses.net.talos.dev",
  address: "AddressStatuses.net.talos.dev",
  addressstatus: "AddressStatuses.net.talos.dev",
  links: "LinkStatuses.net.talos.dev",
  members: "Members.cluster.talos.dev",
  machinestatus: "MachineStatuses.runtime.talos.dev",
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
};

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
  if (rest[0] !== "get" || !rest[1]) return { exitCode: 1, stdout: "", stderr: `unknown command "${rest[0]}" for "talosctl"\n` };
  const targets = nodes ?? talosLab.configNodes;
  if (!targets || targets.length === 0) {
    return { exitCode: 1, stdout: "", stderr: "nodes are not set for the command: please use `--nodes` flag or configuration file to set the nodes to run the command against\n" };
  }
  if (talosLab.rawStdout !== undefined) return { exitCode: 0, stdout: talosLab.rawStdout, stderr: "" };
  const type = canonicalType(rest[1]);
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
