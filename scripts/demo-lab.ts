/**
 * The homelab behind fixtures/demo-lab/recording: three Proxmox-provisioned control planes and
 * three workers on two Proxmox nodes, with the problems the README's demo shows:
 *  - the cluster template nests controlPlane/workers in the Cluster document;
 *  - worker talos-w-3's VM was deleted in Proxmox, and Omni is stuck destroying it;
 *  - talos-w-1 carries a static address and a DHCP lease on ens18;
 *  - talos-w-2's kubelet stopped reporting;
 *  - the replacement VM 107 was created with a kvm64 CPU and halts at boot;
 *  - pve2 resolves through public DNS, which answers Omni's Tailscale address.
 */
import type { Lab } from "../test/harness/lab/model.ts";
import { omni } from "../test/harness/lab/omni.ts";
import { talos } from "../test/harness/lab/talos.ts";
import { kube } from "../test/harness/lab/kube.ts";
import { providerVm } from "../test/harness/lab/pve.ts";

const id = (n: number) => `7c1d5e2a-${String(n).padStart(4, "0")}-4b3c-9d8e-0f1a2b3c4d5e`;
const cps = [1, 2, 3].map((n) => ({ id: id(n), name: `talos-cp-${n}`, ip: `192.168.10.${20 + n}`, vmid: 100 + n, node: n === 2 ? "pve2" : "pve1" }));
const workers = [1, 2, 3].map((n) => ({ id: id(10 + n), name: `talos-w-${n}`, ip: `192.168.10.${30 + n}`, vmid: 103 + n, node: n === 1 ? "pve1" : "pve2" }));

export const demoLab: Lab = {
  now: "2026-11-20T14:00:00Z",
  omni: {
    resources: [
      ...cps.map((m) => omni.clusterMachineStatus({ id: m.id, cluster: "lab", nodeName: m.name, role: "controlplane", address: m.ip })),
      ...workers.map((m) =>
        m.name === "talos-w-3"
          ? omni.clusterMachineStatus({ id: m.id, cluster: "lab", nodeName: m.name, address: m.ip, stage: "DESTROYING", ready: false, phase: "tearingDown", updated: "2026-11-20T09:05:00Z", finalizers: ["ClusterMachineStatusController"] })
          : omni.clusterMachineStatus({ id: m.id, cluster: "lab", nodeName: m.name, address: m.ip, ready: m.name !== "talos-w-2" }),
      ),
      ...[...cps, ...workers].map((m) => omni.machine({ id: m.id, address: m.ip, connected: m.name !== "talos-w-3" })),
      omni.siderolinkApiConfig("https://omni.lab.example:8090/"),
    ],
  },
  talos: {
    client: "1.13",
    nodes: Object.fromEntries(
      [...cps, ...workers].map((m) => [
        m.name,
        m.name === "talos-w-1" ? { resources: talos.nodeAddresses(m.ip, [talos.address("ens18", "192.168.10.157/24")]) } : m.name === "talos-w-3" ? { unreachable: true, resources: [] } : { resources: talos.nodeAddresses(m.ip) },
      ]),
    ),
  },
  kube: {
    objects: {
      nodes: [
        ...cps.map((m) => kube.node(m.name, m.ip, { role: "control-plane" })),
        kube.node("talos-w-1", workers[0]!.ip),
        kube.node("talos-w-2", workers[1]!.ip, { ready: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." }),
      ],
      events: [],
    },
  },
  pve: {
    version: "9.1.5",
    nodes: [
      { node: "pve1", status: "online", dns: { search: "lab.example", dns1: "192.168.10.1" } },
      { node: "pve2", status: "online", dns: { search: "lab.example", dns1: "1.1.1.1", dns2: "8.8.8.8" } },
    ],
    vms: [
      ...cps.map((m) => providerVm({ vmid: m.vmid, node: m.node, name: `lab-control-planes-${m.id.slice(0, 5)}`, set: "lab-control-planes", uuid: m.id })),
      ...workers.filter((m) => m.name !== "talos-w-3").map((m) => providerVm({ vmid: m.vmid, node: m.node, name: `lab-workers-${m.id.slice(0, 5)}`, set: "lab-workers", uuid: m.id })),
      providerVm({ vmid: 107, node: "pve2", name: "lab-workers-9f2c1", set: "lab-workers", uuid: id(14), config: { cpu: "kvm64" }, status: "running" }),
      { vmid: 200, node: "pve1", name: "home-assistant", status: "running", config: { name: "home-assistant", cpu: "kvm64", cores: 2, memory: "2048" } },
    ],
  },
  dns: {
    "192.168.10.1": { "omni.lab.example": { rcode: "NOERROR", addresses: ["192.168.10.20"] } },
    "1.1.1.1": { "omni.lab.example": { rcode: "NOERROR", addresses: ["100.101.102.103"] } },
    "8.8.8.8": { "omni.lab.example": { rcode: "NOERROR", addresses: ["100.101.102.103"] } },
  },
};
