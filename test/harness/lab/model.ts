/**
 * A lab: a homelab described as data (Omni resources, Talos nodes, Kubernetes objects, Proxmox
 * nodes and VMs, DNS records). The fakes (omnictl/talosctl executables, the PVE, Kubernetes and
 * DNS servers) and the in-process lab transport all answer from the same lab, in the exact
 * formats the real systems use. Labs are plain JSON so a fake process can read one from a file.
 */
export interface ExecFailure {
  exitCode: number;
  stderr: string;
  /** Also print this on stdout before failing. */
  stdout?: string;
}

export interface OmniResource {
  type: string;
  namespace?: string;
  id: string;
  version?: number;
  phase?: "running" | "tearingDown";
  created?: string;
  updated?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  spec: Record<string, unknown>;
}

export interface OmniLab {
  /** Every omnictl call fails like this (auth expired, unreachable endpoint...). */
  failure?: ExecFailure;
  /** Print this on stdout instead of the resources (garbage, truncated JSON). */
  rawStdout?: string;
  /** Hang instead of answering (for timeouts). */
  hang?: boolean;
  /** The user's key expired: omnictl announces a browser login on stderr and waits for it. */
  browserLogin?: boolean;
  /** omnictl's own release (`1.9.3`); when its minor differs from the backend's, every call warns on stderr. */
  clientVersion?: string;
  resources: OmniResource[];
  /** Commands that fail, keyed by the start of their argv ("cluster template sync"). */
  commandFailures?: Record<string, ExecFailure>;
}

export interface TalosResource {
  type: string;
  namespace: string;
  id: string;
  owner?: string;
  labels?: Record<string, string>;
  spec: Record<string, unknown>;
}

/** A row of `talosctl service`. */
export interface TalosService {
  id: string;
  state: string;
  /** `OK`, `Fail` or `?`. */
  health: string;
  lastChange?: string;
  lastEvent: string;
}

export interface TalosNode {
  /** The node does not answer (connection refused). */
  unreachable?: boolean;
  resources: TalosResource[];
  /** What `talosctl service` lists for the node. */
  services?: TalosService[];
}

export interface TalosLab {
  /** Client generation: ≤1.13 proxies through the endpoint, ≥1.14 calls each node. */
  client: "1.13" | "1.14";
  failure?: ExecFailure;
  rawStdout?: string;
  hang?: boolean;
  /** Keyed by the node string as passed to -n (name with an Omni talosconfig, IP otherwise). */
  nodes: Record<string, TalosNode>;
  /** The talosconfig's own nodes, used when -n is not given. */
  configNodes?: string[];
}

export interface KubeLab {
  /** Every list answers this HTTP status (401, 500...) instead of objects. */
  failure?: { status: number; body?: string };
  hang?: boolean;
  /**
   * Raw Kubernetes objects by kubectl's full resource name ("nodes", "deployments.apps",
   * "helmreleases.helm.toolkit.fluxcd.io"); a custom kind is installed when its key is present.
   */
  objects: Record<string, Array<Record<string, unknown>>>;
}

export interface PveVm {
  vmid: number;
  node: string;
  name: string;
  status?: "running" | "stopped";
  tags?: string[];
  template?: boolean;
  lock?: string;
  /** HA state when HA manages the VM (`started`...). */
  hastate?: string;
  config: Record<string, string | number>;
}

/** A storage as `GET /nodes/{node}/storage` lists it (0/1 booleans, bytes). */
export interface PveStorageLab {
  storage: string;
  type: string;
  content: string;
  enabled?: 0 | 1;
  active?: 0 | 1;
  shared?: 0 | 1;
  avail?: number;
  total?: number;
}

/** A task in a node's task list; the UPID is made from these fields. */
export interface PveTaskLab {
  type: string;
  id: string;
  /** `user@realm`; with `tokenid`, the token's user. */
  user: string;
  tokenid?: string;
  starttime: number;
  /** Absent while the task runs. */
  endtime?: number;
  /** `OK`, `WARNINGS: n` or the error text; absent while the task runs. */
  status?: string;
}

export interface PveNodeLab {
  node: string;
  status: "online" | "offline" | "unknown";
  dns?: { search?: string; dns1?: string; dns2?: string; dns3?: string };
  maxmem?: number;
  mem?: number;
  /** Default: `local` (dir, ISO) and `local-lvm` (lvmthin, VM disks). */
  storages?: PveStorageLab[];
  /** Default: `eno1` and the bridge `vmbr0`. */
  networks?: Array<{ iface: string; type: string }>;
  tasks?: PveTaskLab[];
  /** Every answer about this node (`/nodes/{node}/...`) comes this much later. */
  delayMs?: number;
}

export interface HttpFailure {
  status: number;
  statusText: string;
  body?: string;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface PveLab {
  version: string;
  nodes: PveNodeLab[];
  vms: PveVm[];
  /** Answers that replace the normal ones, keyed `METHOD /path` (query included when given). */
  overrides?: Record<string, HttpFailure>;
  /** Credentials the server accepts; anything else gets PVE's 401. */
  tokenId?: string;
  tokenSecret?: string;
  /** A password login `POST /access/ticket` accepts (its ticket then authorizes requests). */
  login?: { username: string; password: string };
  /** `GET /access/permissions` of the lab's credentials (path → privilege → 1/0); default: everything on `/`. */
  permissions?: Record<string, Record<string, number>>;
  /** `GET /access/permissions?userid=<id>` for other users and tokens (needs Sys.Audit on /access); default: everything on `/`. */
  permissionsOf?: Record<string, Record<string, Record<string, number>>>;
  /** The cluster row of `GET /cluster/status`; a lab with one node is standalone. */
  quorate?: boolean;
  pciMappings?: Array<{ id: string; map: string[] }>;
  vnets?: string[];
}

export type DnsRecord = { rcode: string; addresses: string[] } | "timeout";

export interface Lab {
  /** The lab's notion of "now" (ISO time), for age-based checks and recordings. */
  now: string;
  omni?: OmniLab;
  talos?: TalosLab;
  kube?: KubeLab;
  pve?: PveLab;
  /** resolver IP → name → answer. */
  dns?: Record<string, Record<string, DnsRecord>>;
}
