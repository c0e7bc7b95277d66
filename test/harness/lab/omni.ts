/**
 * What omnictl prints for a lab (reference/omni.md §5): `get <type> -o json` is a stream of
 * pretty-printed objects with sorted keys, lowercase spec keys, integer enums, typed label values.
 */
import type { ExecAnswer } from "../../../src/sources/transport.ts";
import { goJsonStream, typedMap } from "./go-json.ts";
import type { Lab, OmniResource } from "./model.ts";

/** Each type's default namespace, as Omni's resource definitions declare it (lowercased type). */
const DEFAULT_NAMESPACE: Record<string, string> = {
  "machinerequests.omni.sidero.dev": "infra-provider",
  "machinerequeststatuses.omni.sidero.dev": "infra-provider",
  "infraproviderstatuses.omni.sidero.dev": "infra-provider",
  "infraproviderhealthstatuses.omni.sidero.dev": "infra-provider-ephemeral",
  "infraprovidercombinedstatuses.omni.sidero.dev": "ephemeral",
  "linkstatuses.omni.sidero.dev": "ephemeral",
  "sysversions.system.sidero.dev": "ephemeral",
  "etcdbackupstatuses.omni.sidero.dev": "metrics",
  "etcdbackupoverallstatuses.omni.sidero.dev": "metrics",
};

export const STAGE = { UNKNOWN: 0, BOOTING: 1, INSTALLING: 2, CONFIGURING: 3, RUNNING: 4, DESTROYING: 5, UPGRADING: 6, REBOOTING: 7, SHUTTING_DOWN: 8, BEFORE_DESTROY: 9 } as const;
const CONFIG_APPLY = { UNKNOWN: 0, PENDING: 1, APPLIED: 2, FAILED: 3 } as const;
const CLUSTER_PHASE = { UNKNOWN: 0, SCALING_UP: 1, SCALING_DOWN: 2, RUNNING: 3, DESTROYING: 4 } as const;
const REQUEST_STAGE = { UNKNOWN: 0, PENDING: 1, PROVISIONING: 2, PROVISIONED: 3, DEPROVISIONING: 4, FAILED: 5 } as const;
const ROLE = { NONE: 0, CONTROL_PLANE: 1, WORKER: 2 } as const;
const BACKUP_STATUS = { Unknown: 0, Ok: 1, Error: 2, Running: 3 } as const;

/** A protobuf Timestamp as omnictl prints it. */
const timestamp = (iso: string) => ({ seconds: Math.floor(Date.parse(iso) / 1000), nanos: 0 });

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
    configUpToDate?: boolean;
    configApply?: keyof typeof CONFIG_APPLY;
    lastConfigError?: string;
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
        configuptodate: o.configUpToDate ?? true,
        lastconfigerror: o.lastConfigError ?? "",
        managementaddress: o.address ?? "",
        configapplystatus: CONFIG_APPLY[o.configApply ?? "APPLIED"],
        isremoved: false,
        provisionstatus: { providerid: "proxmox", requestid: `${o.cluster}-${role}s-${o.id.slice(0, 5)}` },
      },
    };
  },
  /** A machine; `request` (its machine request ID) marks it as made by the Proxmox provider. */
  machine(o: { id: string; address?: string; connected?: boolean; phase?: "running" | "tearingDown"; finalizers?: string[]; updated?: string; request?: string }): OmniResource {
    const provider: Record<string, string> = o.request
      ? { "omni.sidero.dev/machine-request": o.request, "omni.sidero.dev/machine-request-set": o.request.replace(/-[a-z0-9]{6}$/, ""), "omni.sidero.dev/infra-provider-id": "proxmox" }
      : {};
    return {
      type: "Machines.omni.sidero.dev",
      id: o.id,
      updated: o.updated ?? "2026-11-20T09:00:00Z",
      phase: o.phase ?? "running",
      finalizers: o.finalizers ?? [],
      labels: { [`omni.sidero.dev/${o.connected === false ? "disconnected" : "connected"}`]: "", ...provider },
      spec: { managementaddress: o.address ?? "", connected: o.connected ?? true, usegrpctunnel: false },
    };
  },
  sysVersion(version = "v1.10.4"): OmniResource {
    return { type: "SysVersions.system.sidero.dev", id: "current", spec: { backendversion: version, instancename: "omni-lab", backendapiversion: 1 } };
  },
  cluster(o: { id: string; talos?: string; kubernetes?: string; backupEvery?: number }): OmniResource {
    return {
      type: "Clusters.omni.sidero.dev",
      id: o.id,
      annotations: { "omni.sidero.dev/managed-by-cluster-templates": "" },
      finalizers: ["ClusterController", "SecretsController"],
      spec: {
        kubernetesversion: o.kubernetes ?? "1.35.2",
        talosversion: o.talos ?? "1.12.4",
        features: { enableworkloadproxy: false, diskencryption: false, useembeddeddiscoveryservice: false, disablepublicdiscoveryservice: false, enablenodeauditskip: false },
        backupconfiguration: o.backupEvery ? { interval: { seconds: o.backupEvery, nanos: 0 }, enabled: true } : null,
      },
    };
  },
  clusterStatus(o: { id: string; phase?: keyof typeof CLUSTER_PHASE; ready?: boolean; total: number; healthy?: number; connected?: number; requested?: number; talos?: string }): OmniResource {
    const ready = o.ready ?? true;
    return {
      type: "ClusterStatuses.omni.sidero.dev",
      id: o.id,
      spec: {
        available: true,
        machines: { total: o.total, healthy: o.healthy ?? o.total, connected: o.connected ?? o.total, requested: o.requested ?? o.total },
        phase: CLUSTER_PHASE[o.phase ?? "RUNNING"],
        ready,
        kubernetesapiready: ready,
        controlplaneready: ready,
        hasconnectedcontrolplanes: true,
        useembeddeddiscoveryservice: false,
        talosversion: o.talos ?? "1.12.4",
        kubernetesversion: "1.35.2",
        disablepublicdiscoveryservice: false,
        initialtalosversion: o.talos ?? "1.12.4",
      },
    };
  },
  machineStatus(o: { id: string; cluster?: string; role?: keyof typeof ROLE; talos?: string; connected?: boolean; hostname?: string; address?: string }): OmniResource {
    return {
      type: "MachineStatuses.omni.sidero.dev",
      id: o.id,
      labels: { [`omni.sidero.dev/${o.connected === false ? "disconnected" : "connected"}`]: "", ...(o.cluster ? { "omni.sidero.dev/cluster": o.cluster } : {}), "omni.sidero.dev/talos-version": o.talos ?? "v1.12.4" },
      spec: {
        talosversion: o.talos ?? "v1.12.4",
        hardware: { processors: [{ corecount: 2, threadcount: 2, frequency: 0, description: "", manufacturer: "QEMU" }], memorymodules: [], blockdevices: [], arch: "amd64" },
        network: { hostname: o.hostname ?? "", domainname: "", addresses: o.address ? [`${o.address}/24`] : [], defaultgateways: [], networklinks: [] },
        lasterror: "",
        managementaddress: o.address ?? "",
        connected: o.connected ?? true,
        maintenance: false,
        cluster: o.cluster ?? "",
        role: ROLE[o.role ?? (o.cluster ? "WORKER" : "NONE")],
        platformmetadata: { platform: "nocloud", hostname: "", region: "", zone: "", instancetype: "", instanceid: "", providerid: "", spot: false, tags: {} },
        imagelabels: {},
        schematic: null,
        initialtalosversion: o.talos ?? "v1.12.4",
        diagnostics: [],
        powerstate: 0,
        securitystate: null,
        kernelcmdline: "",
        talosversionname: "",
      },
    };
  },
  clusterMachineRequestStatus(o: { id: string; cluster: string; machineSet?: string; stage?: keyof typeof REQUEST_STAGE; error?: string; machine?: string }): OmniResource {
    const stage = o.stage ?? "PROVISIONED";
    const status = stage === "FAILED" ? `Provision Failed: ${o.error ?? ""}` : stage === "PROVISIONED" ? "Waiting for the machine to join Omni" : "Waiting for the infra provider to start provision";
    return {
      type: "ClusterMachineRequestStatuses.omni.sidero.dev",
      id: o.id,
      labels: { "omni.sidero.dev/cluster": o.cluster, "omni.sidero.dev/machine-set": o.machineSet ?? `${o.cluster}-workers`, "omni.sidero.dev/role-worker": "" },
      spec: { status, machineuuid: o.machine ?? "", providerid: "proxmox", stage: REQUEST_STAGE[stage], error: o.error ?? "" },
    };
  },
  infraProvider(o: { id?: string; connected?: boolean; initialized?: boolean; error?: string } = {}): OmniResource {
    return {
      type: "InfraProviderCombinedStatuses.omni.sidero.dev",
      id: o.id ?? "proxmox",
      spec: { name: "Proxmox", description: "Proxmox infrastructure provider", icon: "", health: { connected: o.connected ?? true, error: o.error ?? "", initialized: o.initialized ?? true }, version: "v0.1.0" },
    };
  },
  talosVersion(version: string, kubernetes: string[], o: { deprecated?: boolean } = {}): OmniResource {
    return {
      type: "TalosVersions.omni.sidero.dev",
      id: version,
      spec: { version, compatiblekubernetesversions: kubernetes, deprecated: o.deprecated ?? false, upgradabletalosversions: [], unsupported: false, imagefactoryurl: "", isenterprise: false },
    };
  },
  /** A config patch; its content is compressed and sensitive, so it is never read. */
  configPatch(id: string, labels: Record<string, string>): OmniResource {
    return { type: "ConfigPatches.omni.sidero.dev", id, labels, spec: { data: "", compresseddata: "KLUv/QRYbQAAbWFjaGluZTo=" } };
  },
  etcdBackupStatus(o: { cluster: string; status?: keyof typeof BACKUP_STATUS; lastBackup: string; error?: string }): OmniResource {
    return {
      type: "EtcdBackupStatuses.omni.sidero.dev",
      id: o.cluster,
      spec: { status: BACKUP_STATUS[o.status ?? "Ok"], error: o.error ?? "", lastbackuptime: timestamp(o.lastBackup), lastbackupattempt: timestamp(o.lastBackup) },
    };
  },
  etcdBackupOverallStatus(configurationError = ""): OmniResource {
    return { type: "EtcdBackupOverallStatuses.omni.sidero.dev", id: "etcdbackup-overall-status", spec: { configurationname: configurationError ? "" : "local", configurationerror: configurationError, lastbackupstatus: null } };
  },
  /** What a healthy Omni holds besides the cluster machines: its version, the cluster and its status, machine statuses, a connected provider, the offered versions, recent backups. */
  healthyInstance(cluster: string, controlPlanes: string[], workers: string[]): OmniResource[] {
    const all = [...controlPlanes, ...workers];
    return [
      omni.sysVersion(),
      omni.cluster({ id: cluster, backupEvery: 6 * 3600 }),
      omni.clusterStatus({ id: cluster, total: all.length }),
      ...all.map((id) => omni.machineStatus({ id, cluster, role: controlPlanes.includes(id) ? "CONTROL_PLANE" : "WORKER" })),
      omni.infraProvider(),
      omni.talosVersion("1.12.4", ["1.34.3", "1.35.0", "1.35.2"]),
      omni.talosVersion("1.13.8", ["1.35.2", "1.36.3"]),
      // Live runs judge backup age against the wall clock, not the lab's time.
      omni.etcdBackupStatus({ cluster, lastBackup: new Date(Date.now() - 2 * 3600 * 1000).toISOString() }),
      omni.etcdBackupOverallStatus(),
    ];
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
  if (!known.has(type) && !type.endsWith(".sidero.dev")) return { exitCode: 1, stdout: "", stderr: `Error: resource "${args[1]}" is not registered\n` };
  const matching = omniLab.resources
    .filter((r) => r.type.toLowerCase() === type)
    .filter((r) => (r.namespace ?? DEFAULT_NAMESPACE[type] ?? "default") === (namespace ?? DEFAULT_NAMESPACE[type] ?? "default"))
    .filter((r) => !id || r.id === id)
    .filter((r) => !labelKey || r.labels?.[labelKey] === labelValue)
    .sort((a, b) => a.id.localeCompare(b.id));
  if (id && matching.length === 0) {
    return { exitCode: 1, stdout: "", stderr: `Error: rpc error: code = NotFound desc = resource ${args[1]}(${namespace ?? "default"}/${id}@undefined) doesn't exist\n` };
  }
  return { exitCode: 0, stdout: goJsonStream(matching.map(envelope)), stderr: versionWarning(omniLab) };
}

/** omnictl compares its release with the backend's SysVersion on every call (client/pkg/omnictl/internal/access). */
function versionWarning(omniLab: NonNullable<Lab["omni"]>): string {
  const backend = String(omniLab.resources.find((r) => r.type === "SysVersions.system.sidero.dev")?.spec.backendversion ?? "").replace(/^v/, "");
  const client = omniLab.clientVersion;
  if (!client || !backend || client.split(".").slice(0, 2).join(".") === backend.split(".").slice(0, 2).join(".")) return "";
  return `[WARN] omnictl version "${client}" differs from the backend version "${backend}".\n`;
}
