/**
 * The homelab behind fixtures/demo-lab/recording: Omni 1.10.4 running cluster "lab" (three
 * control planes, three workers) on VMs the Proxmox provider made on two Proxmox nodes.
 * Everything is healthy except the problems the README's demo shows:
 *  - the cluster template nests controlPlane/workers in the Cluster document;
 *  - worker talos-w-3's VM was deleted in Proxmox, and Omni is stuck destroying it;
 *  - its replacement, VM 107, was created with a kvm64 CPU and halts at boot, so it never joins;
 *  - pve2 resolves through public DNS, which answers Omni's Tailscale address;
 *  - talos-w-1 carries a static address and a DHCP lease on ens18;
 *  - talos-w-2's kubelet is a zombie: Talos cannot restart it and the node stopped reporting.
 */
import type { Lab } from "../test/harness/lab/model.ts";
import { omni } from "../test/harness/lab/omni.ts";
import { talos } from "../test/harness/lab/talos.ts";
import { kube } from "../test/harness/lab/kube.ts";
import { providerVm } from "../test/harness/lab/pve.ts";

const NOW = "2026-11-20T14:00:00Z";
const id = (n: number) => `7c1d5e2a-${String(n).padStart(4, "0")}-4b3c-9d8e-0f1a2b3c4d5e`;
const cps = [1, 2, 3].map((n) => ({ id: id(n), name: `talos-cp-${n}`, ip: `192.168.10.${20 + n}`, vmid: 100 + n, node: n === 2 ? "pve2" : "pve1", request: `lab-control-planes-${n}a7c${n}`, role: "controlplane" as const }));
const workers = [1, 2, 3].map((n) => ({ id: id(10 + n), name: `talos-w-${n}`, ip: `192.168.10.${30 + n}`, vmid: 103 + n, node: n === 1 ? "pve1" : "pve2", request: `lab-workers-${n}b8d${n}`, role: "worker" as const }));
const running = [...cps, ...workers.filter((w) => w.name !== "talos-w-3")];
const replacement = { id: id(14), vmid: 107, request: "lab-workers-9f2c1" };
const ZOMBIE = "Failed running service: error opening runner: error deleting old container instance: cannot delete running task kubelet: failed precondition";

const talosNode = (m: (typeof running)[number]) => {
  const node = talos.healthyNode(m.role, m.ip);
  if (m.name === "talos-w-1") node.resources.push(talos.address("ens18", "192.168.10.157/24"));
  if (m.name === "talos-w-2") node.services = node.services!.map((s) => (s.id === "kubelet" ? talos.service("kubelet", "Failed", ZOMBIE) : s));
  return node;
};

export const demoLab: Lab = {
  now: NOW,
  omni: {
    resources: [
      ...omni.healthyInstance("lab", cps.map((m) => m.id), running.filter((m) => m.role === "worker").map((m) => m.id)).filter((r) => r.type !== "EtcdBackupStatuses.omni.sidero.dev"),
      omni.etcdBackupStatus({ cluster: "lab", lastBackup: "2026-11-20T12:00:00Z" }),
      ...running.map((m) => omni.clusterMachineStatus({ id: m.id, cluster: "lab", nodeName: m.name, role: m.role, address: m.ip, ready: m.name !== "talos-w-2" })),
      omni.clusterMachineStatus({ id: workers[2]!.id, cluster: "lab", nodeName: "talos-w-3", address: workers[2]!.ip, stage: "DESTROYING", ready: false, phase: "tearingDown", updated: "2026-11-20T09:05:00Z", finalizers: ["ClusterMachineStatusController"] }),
      ...running.map((m) => omni.machine({ id: m.id, address: m.ip, request: m.request })),
      omni.machine({ id: workers[2]!.id, address: workers[2]!.ip, connected: false, request: workers[2]!.request }),
      ...[...cps, ...workers].map((m) => omni.clusterMachineRequestStatus({ id: m.request, cluster: "lab", machineSet: m.role === "controlplane" ? "lab-control-planes" : "lab-workers", machine: m.id })),
      // The replacement the provider made for talos-w-3: provisioned, but the machine never joined.
      omni.clusterMachineRequestStatus({ id: replacement.request, cluster: "lab", machineSet: "lab-workers", machine: replacement.id }),
      omni.siderolinkApiConfig("https://omni.lab.example:8090/"),
    ],
  },
  talos: {
    client: "1.13",
    nodes: { ...Object.fromEntries(running.map((m) => [m.name, talosNode(m)])), "talos-w-3": { unreachable: true, resources: [] } },
  },
  kube: {
    objects: {
      nodes: [
        ...cps.map((m) => kube.node(m.name, m.ip, { role: "control-plane" })),
        kube.node("talos-w-1", workers[0]!.ip),
        kube.node("talos-w-2", workers[1]!.ip, { ready: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." }),
      ],
      events: [],
      pods: [],
      configmaps: [kube.configMap("kube-system", "cilium-config", { mtu: "1450", "tunnel-protocol": "vxlan" })],
      daemonsets: [kube.daemonSet("kube-system", "cilium", { desired: 5, ready: 5 }), kube.daemonSet("kube-system", "cilium-envoy", { desired: 5, ready: 5 })],
    },
  },
  pve: {
    version: "9.1.5",
    nodes: [
      { node: "pve1", status: "online", dns: { search: "lab.example", dns1: "192.168.10.1" } },
      { node: "pve2", status: "online", dns: { search: "lab.example", dns1: "1.1.1.1", dns2: "8.8.8.8" } },
    ],
    vms: [
      ...running.map((m) => providerVm({ vmid: m.vmid, node: m.node, name: m.request, set: m.role === "controlplane" ? "lab-control-planes" : "lab-workers", uuid: m.id })),
      providerVm({ vmid: replacement.vmid, node: "pve2", name: replacement.request, set: "lab-workers", uuid: replacement.id, config: { cpu: "kvm64" } }),
      { vmid: 200, node: "pve1", name: "home-assistant", status: "running", config: { name: "home-assistant", cpu: "kvm64", cores: 2, memory: "2048" } },
    ],
  },
  dns: {
    "192.168.10.1": { "omni.lab.example": { rcode: "NOERROR", addresses: ["192.168.10.20"] } },
    "1.1.1.1": { "omni.lab.example": { rcode: "NOERROR", addresses: ["100.101.102.103"] } },
    "8.8.8.8": { "omni.lab.example": { rcode: "NOERROR", addresses: ["100.101.102.103"] } },
  },
};
