/**
 * What omnictl prints for a lab (reference/omni.md §5): `get <type> -o json` is a stream of
 * pretty-printed objects with sorted keys, lowercase spec keys, integer enums, typed label values.
 */
import type { ExecAnswer } from "../../../src/sources/transport.ts";
import { goJsonStream, typedMap } from "./go-json.ts";
import type { Lab, OmniResource } from "./model.ts";

const DEFAULT_NAMESPACE: Record<string, string> = {
  "machinerequests.infrastructure.omni.sidero.dev": "infra-provider",
  "machinerequeststatuses.infrastructure.omni.sidero.dev": "infra-provider",
  "infraproviderstatuses.omni.sidero.dev": "infra-provider",
  "infraproviderhealthstatuses.omni.sidero.dev": "infra-provider-ephemeral",
  "linkstatuses.omni.sidero.dev": "ephemeral",
};

export const STAGE = { UNKNOWN: 0, BOOTING: 1, INSTALLING: 2, CONFIGURING: 3, RUNNING: 4, DESTROYING: 5, UPGRADING: 6, REBOOTING: 7, SHUTTING_DOWN: 8, BEFORE_DESTROY: 9 } as const;

/** Builders of resources with every spec field present, the way omnictl prints zero values. */
export const omni = {
  clusterMachineStatus(o: {
    id: string;
    cluster: string;
    nodeName: string;
    role?: "controlplane" | "worker";
    stage?: keyof typeof STAGE;
    ready?: boolean;
    address?: string;
    updated?: string;
    phase?: "running" | "tearingDown";
    finalizers?: string[];
  }): OmniResource {
    const role = o.role ?? "worker";
    return {
      type: "ClusterMachineStatuses.omni.sidero.dev",
      id: o.id,
      updated: o.updated ?? "2026-11-20T09:00:00Z",
      phase: o.phase ?? "running",
      finalizers: o.finalizers ?? [],
      labels: {
        "omni.sidero.dev/cluster": o.cluster,
        "omni.sidero.dev/machine-set": `${o.cluster}-${role === "controlplane" ? "control-planes" : "workers"}`,
        [`omni.sidero.dev/role-${role}`]: "",
        "omni.sidero.dev/node-name": o.nodeName,
        "omni.sidero.dev/connected": "",
      },
      spec: {
        ready: o.ready ?? true,
        stage: STAGE[o.stage ?? "RUNNING"],
        configuptodate: true,
        lastconfigerror: "",
        managementaddress: o.address ?? "",
        configapplystatus: 2,
        isremoved: false,
        provisionstatus: { providerid: "proxmox", requestid: `${o.cluster}-${role}s-${o.id.slice(0, 5)}` },
      },
    };
  },
  machine(o: { id: string; address?: string; connected?: boolean; phase?: "running" | "tearingDown"; finalizers?: string[]; updated?: string }): OmniResource {
    return {
      type: "Machines.omni.sidero.dev",
      id: o.id,
      updated: o.updated ?? "2026-11-20T09:00:00Z",
      phase: o.phase ?? "running",
      finalizers: o.finalizers ?? [],
      labels: { [`omni.sidero.dev/${o.connected === false ? "disconnected" : "connected"}`]: "" },
      spec: { managementaddress: o.address ?? "", connected: o.connected ?? true, usegrpctunnel: false },
    };
  },
  siderolinkApiConfig(url: string): OmniResource {
    return {
      type: "SiderolinkAPIConfigs.omni.sidero.dev",
      id: "siderolink-api-config",
      spec: { machineapiadvertisedurl: url, wireguardadvertisedendpoint: "", enforcegrpctunnel: false, eventsport: 8091, logsport: 8092 },
    };
  },
};

function envelope(r: OmniResource) {
  const metadata: Record<string, unknown> = {
    namespace: r.namespace ?? DEFAULT_NAMESPACE[r.type.toLowerCase()] ?? "default",
    type: r.type,
    id: r.id,
    version: r.version ?? 3,
    owner: null,
    phase: r.phase ?? "running",
    created: r.created ?? "2026-11-01T10:00:00Z",
    updated: r.updated ?? "2026-11-20T09:00:00Z",
  };
  const labels = typedMap(r.labels);
  if (labels) metadata.labels = labels;
  const annotations = typedMap(r.annotations);
  if (annotations) metadata.annotations = annotations;
  if (r.finalizers && r.finalizers.length > 0) metadata.finalizers = r.finalizers;
  return { metadata, spec: r.spec };
}

function takeFlag(args: string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    for (const name of names) {
      if (arg === name) return args.splice(i, 2)[1];
      if (arg.startsWith(`${name}=`)) return args.splice(i, 1)[0]!.slice(name.length + 1);
    }
  }
  return undefined;
}

export function omnictlAnswer(lab: Lab, argv: readonly string[]): ExecAnswer {
  const omniLab = lab.omni;
  if (!omniLab) return { exitCode: 1, stdout: "", stderr: "Error: failed to create omni client: context \"default\" has not been configured, you will need to set it manually\n" };
  if (omniLab.failure) return { exitCode: omniLab.failure.exitCode, stdout: omniLab.failure.stdout ?? "", stderr: omniLab.failure.stderr };
  const args = [...argv];
  const namespace = takeFlag(args, "--namespace", "-n");
  const selector = takeFlag(args, "--selector", "-l");
  const output = takeFlag(args, "--output", "-o") ?? "table";
  if (args[0] !== "get" || !args[1]) return { exitCode: 1, stdout: "", stderr: `Error: unknown command "${args[0]}" for "omnictl"\n` };
  if (output !== "json") return { exitCode: 1, stdout: "", stderr: "Error: this fake omnictl prints only -o json\n" };
  if (omniLab.rawStdout !== undefined) return { exitCode: 0, stdout: omniLab.rawStdout, stderr: "" };
  const type = args[1].toLowerCase();
  const id = args[2];
  const [labelKey, labelValue] = selector ? selector.split("=") : [];
  const known = new Set(omniLab.resources.map((r) => r.type.toLowerCase()));
  if (!known.has(type) && !type.endsWith(".omni.sidero.dev")) return { exitCode: 1, stdout: "", stderr: `Error: resource "${args[1]}" is not registered\n` };
  const matching = omniLab.resources
    .filter((r) => r.type.toLowerCase() === type)
    .filter((r) => (r.namespace ?? DEFAULT_NAMESPACE[type] ?? "default") === (namespace ?? DEFAULT_NAMESPACE[type] ?? "default"))
    .filter((r) => !id || r.id === id)
    .filter((r) => !labelKey || r.labels?.[labelKey] === labelValue)
    .sort((a, b) => a.id.localeCompare(b.id));
  if (id && matching.length === 0) {
    return { exitCode: 1, stdout: "", stderr: `Error: rpc error: code = NotFound desc = resource ${args[1]}(${namespace ?? "default"}/${id}@undefined) doesn't exist\n` };
  }
  return { exitCode: 0, stdout: goJsonStream(matching.map(envelope)), stderr: "" };
}
