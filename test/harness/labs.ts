/** Labs shared by tests: a small healthy homelab, and variations of it. */
import type { Lab } from "./lab/model.ts";
import { omni } from "./lab/omni.ts";
import { talos } from "./lab/talos.ts";
import { kube } from "./lab/kube.ts";
import { providerVm } from "./lab/pve.ts";

export const TOKEN_ID = "omni@pve!doctor";
export const TOKEN_SECRET = "5d3c1e0f-4b7d-4a2c-8e6f-0a1b3c5d7e9f";

export const IDS = {
  cp1: "0b6a4c1e-1111-4a1b-9c2d-3e4f5a6b7c01",
  w1: "0b6a4c1e-2222-4a1b-9c2d-3e4f5a6b7c02",
  w2: "0b6a4c1e-3333-4a1b-9c2d-3e4f5a6b7c03",
};

/** One control plane, two workers, two Proxmox nodes, a LAN resolver that knows Omni. */
export function healthyLab(): Lab {
  return {
    now: "2026-11-20T10:00:00Z",
    omni: {
      resources: [
        omni.clusterMachineStatus({ id: IDS.cp1, cluster: "lab", nodeName: "talos-cp-1", role: "controlplane", address: "10.0.0.21" }),
        omni.clusterMachineStatus({ id: IDS.w1, cluster: "lab", nodeName: "talos-w-1", address: "10.0.0.31" }),
        omni.clusterMachineStatus({ id: IDS.w2, cluster: "lab", nodeName: "talos-w-2", address: "10.0.0.32" }),
        omni.machine({ id: IDS.cp1 }),
        omni.machine({ id: IDS.w1 }),
        omni.machine({ id: IDS.w2 }),
        omni.siderolinkApiConfig("https://omni.lab.example:8090"),
        ...omni.healthyInstance("lab", [IDS.cp1], [IDS.w1, IDS.w2]),
      ],
    },
    talos: {
      client: "1.13",
      // Reachable by name (an Omni talosconfig) and by address (a direct one, found through Kubernetes).
      nodes: Object.fromEntries(
        (
          [
            ["talos-cp-1", "10.0.0.21", "controlplane"],
            ["talos-w-1", "10.0.0.31", "worker"],
            ["talos-w-2", "10.0.0.32", "worker"],
          ] as const
        ).flatMap(([name, ip, role]) => [
          [name, talos.healthyNode(role, ip)],
          [ip, talos.healthyNode(role, ip)],
        ]),
      ),
    },
    kube: { objects: { nodes: [kube.node("talos-cp-1", "10.0.0.21", { role: "control-plane" }), kube.node("talos-w-1", "10.0.0.31"), kube.node("talos-w-2", "10.0.0.32")], events: [] } },
    pve: {
      version: "9.1.5",
      tokenId: TOKEN_ID,
      tokenSecret: TOKEN_SECRET,
      nodes: [
        { node: "pve1", status: "online", dns: { search: "lab.example", dns1: "127.0.0.2" } },
        { node: "pve2", status: "online", dns: { search: "lab.example", dns1: "127.0.0.2" } },
      ],
      vms: [
        providerVm({ vmid: 101, node: "pve1", name: "lab-control-planes-x1", set: "lab-control-planes", uuid: IDS.cp1 }),
        providerVm({ vmid: 102, node: "pve1", name: "lab-workers-x2", uuid: IDS.w1 }),
        providerVm({ vmid: 103, node: "pve2", name: "lab-workers-x3", uuid: IDS.w2 }),
        { vmid: 900, node: "pve2", name: "home-assistant", status: "running", config: { cpu: "kvm64", name: "home-assistant" } },
      ],
    },
    dns: { "127.0.0.2": { "omni.lab.example": { rcode: "NOERROR", addresses: ["192.168.10.20"] } } },
  };
}

/** Machine IDs of a fleet lab: `0b6a4c1e-<role><nn>-...`. */
export const fleetId = (role: "c" | "w", n: number) => `0b6a4c1e-${role === "c" ? "c" : "e"}${String(n).padStart(3, "0")}-4a1b-9c2d-3e4f5a6b7c00`;

/**
 * A healthy Omni cluster `fleet` of provider-made machines: `controlPlanes` + `workers` Talos nodes
 * (named talos-cp-N / talos-w-N, reached through Omni), their Proxmox VMs spread over three
 * nodes, Kubernetes nodes, and a LAN resolver that knows Omni.
 */
export function fleetLab(controlPlanes: number, workers: number): Lab {
  const machines = [
    ...Array.from({ length: controlPlanes }, (_, i) => ({ id: fleetId("c", i + 1), name: `talos-cp-${i + 1}`, ip: `10.0.1.${i + 1}`, role: "controlplane" as const, set: "fleet-control-planes" })),
    ...Array.from({ length: workers }, (_, i) => ({ id: fleetId("w", i + 1), name: `talos-w-${i + 1}`, ip: `10.0.2.${i + 1}`, role: "worker" as const, set: "fleet-workers" })),
  ];
  const request = (m: (typeof machines)[number]) => `${m.set}-${m.id.slice(9, 13)}aa`;
  const pveNodes = ["pve1", "pve2", "pve3"];
  return {
    now: "2026-11-20T10:00:00Z",
    omni: {
      resources: [
        ...machines.map((m) => omni.clusterMachineStatus({ id: m.id, cluster: "fleet", nodeName: m.name, role: m.role, address: m.ip })),
        ...machines.map((m) => omni.machine({ id: m.id, address: m.ip, request: request(m) })),
        ...machines.map((m) => omni.clusterMachineRequestStatus({ id: request(m), cluster: "fleet", machineSet: m.set, machine: m.id })),
        omni.siderolinkApiConfig("https://omni.lab.example:8090"),
        ...omni.healthyInstance(
          "fleet",
          machines.filter((m) => m.role === "controlplane").map((m) => m.id),
          machines.filter((m) => m.role === "worker").map((m) => m.id),
        ),
      ],
    },
    talos: { client: "1.14", nodes: Object.fromEntries(machines.map((m) => [m.name, talos.healthyNode(m.role, m.ip)])) },
    kube: { objects: { nodes: machines.map((m) => kube.node(m.name, m.ip, m.role === "controlplane" ? { role: "control-plane" } : {})), events: [], pods: [] } },
    pve: {
      version: "9.1.5",
      tokenId: TOKEN_ID,
      tokenSecret: TOKEN_SECRET,
      nodes: pveNodes.map((node) => ({ node, status: "online" as const, dns: { search: "lab.example", dns1: "127.0.0.2" } })),
      vms: machines.map((m, i) => providerVm({ vmid: 200 + i, node: pveNodes[i % pveNodes.length]!, name: request(m), set: m.set, uuid: m.id })),
    },
    dns: { "127.0.0.2": { "omni.lab.example": { rcode: "NOERROR", addresses: ["192.168.10.20"] } } },
  };
}

/**
 * 002 scenario 4: a small fleet where worker talos-w-2's VM was deleted in Proxmox (Omni still
 * has the machine) and VM 299 is a provider-tagged leftover no Omni machine or request owns.
 */
export const DRIFT = { goneMachine: fleetId("w", 2), goneVmid: 204, zombieVmid: 299, zombieUuid: "0b6a4c1e-dead-4a1b-9c2d-3e4f5a6b7c99" };

export function driftLab(): Lab {
  const lab = fleetLab(3, 2);
  lab.pve!.vms = lab.pve!.vms.filter((vm) => vm.vmid !== DRIFT.goneVmid);
  lab.pve!.vms.push(providerVm({ vmid: DRIFT.zombieVmid, node: "pve2", name: "fleet-workers-zz99zz", set: "fleet-workers", uuid: DRIFT.zombieUuid }));
  lab.talos!.nodes["talos-w-2"]!.unreachable = true;
  const machine = lab.omni!.resources.find((r) => r.type === "Machines.omni.sidero.dev" && r.id === DRIFT.goneMachine)!;
  machine.spec.connected = false;
  return lab;
}
