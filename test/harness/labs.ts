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
      ],
    },
    talos: {
      client: "1.13",
      // Reachable by name (an Omni talosconfig) and by address (a direct one, found through Kubernetes).
      nodes: Object.fromEntries(
        [
          ["talos-cp-1", "10.0.0.21"],
          ["talos-w-1", "10.0.0.31"],
          ["talos-w-2", "10.0.0.32"],
        ].flatMap(([name, ip]) => [
          [name!, { resources: talos.nodeAddresses(ip!) }],
          [ip!, { resources: talos.nodeAddresses(ip!) }],
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
