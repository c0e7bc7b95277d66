/**
 * Every Omni and Talos check through the real sources: the built CLI with the fake omnictl and
 * talosctl (exact output formats, talosctl 1.14 per-node errors), the real kubectl against the
 * loopback API server, the loopback HTTPS PVE and a UDP resolver. One lab holds a problem for
 * each check; a healthy fleet passes them all; refused credentials make them errors, not crashes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { harnessEnv, runCli } from "./harness/cli.ts";
import { reportSchema, type ResultJson } from "../src/model/result.ts";
import { installFakeTools } from "./harness/fake-tools.ts";
import { startPveServer, type PveServer } from "./harness/pve-server.ts";
import { startKubeServer, type KubeServer } from "./harness/kube-server.ts";
import { startDnsServers, type DnsServers } from "./harness/dns-server.ts";
import { fleetId, fleetLab } from "./harness/labs.ts";
import { omni } from "./harness/lab/omni.ts";
import { talos } from "./harness/lab/talos.ts";
import { kube } from "./harness/lab/kube.ts";
import { providerVm } from "./harness/lab/pve.ts";
import { loadRegistry } from "../src/engine/registry.ts";
import type { Lab, OmniResource } from "./harness/lab/model.ts";

const ZOMBIE_EVENT = "Failed running service: error opening runner: error deleting old container instance: cannot delete running task kubelet: failed precondition";
const STUCK = "0b6a4c1e-dead-4a1b-9c2d-3e4f5a6b7c01";
const HOSTNAME_PATCH = "000-hostname-%sfleet-workers-e001aa";

/** Replace the Omni resource of a type and ID. */
function replace(lab: Lab, type: string, id: string, next: OmniResource): void {
  lab.omni!.resources = lab.omni!.resources.map((r) => (r.type === type && r.id === id ? next : r));
}

/**
 * fleetLab(3, 4) with one problem per check: cp-3's etcd failed; w-1 is a zombie kubelet with a
 * second address and an old hostname patch; w-2 runs an older Talos with an outdated config;
 * w-3 was never installed and its VM is stopped; w-4's VM was deleted; w-9 is stuck destroying;
 * KubeSpan cannot reach w-2; the provider is disconnected and its requests fail on the selector.
 */
function troubledLab(): Lab {
  const lab = fleetLab(3, 4);
  lab.omni!.clientVersion = "1.9.3";
  const machine = (n: number) => fleetId("w", n);
  const nodes = lab.talos!.nodes;
  // cp-3: etcd failed and left the cluster.
  nodes["talos-cp-3"]!.services = nodes["talos-cp-3"]!.services!.map((s) => (s.id === "etcd" ? talos.service("etcd", "Failed", "Failed running service: context deadline exceeded") : s));
  nodes["talos-cp-3"]!.resources = nodes["talos-cp-3"]!.resources.filter((r) => r.type !== "EtcdMembers.etcd.talos.dev");
  // w-1: zombie kubelet, a DHCP lease next to its static address, a hostname patch from an old provider.
  nodes["talos-w-1"]!.services = nodes["talos-w-1"]!.services!.map((s) => (s.id === "kubelet" ? talos.service("kubelet", "Failed", ZOMBIE_EVENT) : s));
  nodes["talos-w-1"]!.resources = nodes["talos-w-1"]!.resources.map((r) => (r.type === "MachineStatuses.runtime.talos.dev" ? talos.machineStatus("running", [{ name: "services", reason: "kubelet not running" }]) : r));
  nodes["talos-w-1"]!.resources.push(talos.address("ens18", "10.0.2.157/24"));
  lab.kube!.objects.pods = [kube.pod("apps", "web-0", { node: "talos-w-1", phase: "Pending" }), kube.pod("apps", "web-1", { node: "talos-w-2" })];
  lab.omni!.resources.push(omni.configPatch(HOSTNAME_PATCH, { "omni.sidero.dev/infra-provider-id": "proxmox", "omni.sidero.dev/machine-request": "fleet-workers-e001aa", "omni.sidero.dev/machine": machine(1), "omni.sidero.dev/system-patch": "" }));
  // w-2: an older Talos, and Omni says its config is outdated.
  nodes["talos-w-2"]!.resources = nodes["talos-w-2"]!.resources.map((r) => (r.type === "Versions.runtime.talos.dev" ? talos.version("v1.11.5") : r));
  replace(lab, "MachineStatuses.omni.sidero.dev", machine(2), omni.machineStatus({ id: machine(2), cluster: "fleet", talos: "v1.11.5" }));
  replace(lab, "ClusterMachineStatuses.omni.sidero.dev", machine(2), omni.clusterMachineStatus({ id: machine(2), cluster: "fleet", nodeName: "talos-w-2", address: "10.0.2.2", configUpToDate: false }));
  // w-3: booted from the ISO and never installed; its VM is now stopped and Omni lost it.
  nodes["talos-w-3"]!.resources = nodes["talos-w-3"]!.resources.map((r) => (r.type === "VolumeStatuses.block.talos.dev" ? talos.volume(r.id, "missing") : r));
  replace(lab, "Machines.omni.sidero.dev", machine(3), omni.machine({ id: machine(3), connected: false, request: "fleet-workers-e003aa" }));
  lab.pve!.vms = lab.pve!.vms.map((vm) => (vm.name === "fleet-workers-e003aa" ? providerVm({ vmid: vm.vmid, node: vm.node, name: vm.name, set: "fleet-workers", uuid: machine(3), status: "stopped" }) : vm));
  // w-4: its VM was deleted in Proxmox; the node no longer answers.
  lab.pve!.vms = lab.pve!.vms.filter((vm) => vm.name !== "fleet-workers-e004aa");
  nodes["talos-w-4"]!.unreachable = true;
  // w-9: a teardown that never finished.
  lab.omni!.resources.push(omni.clusterMachineStatus({ id: STUCK, cluster: "fleet", nodeName: "talos-w-9", stage: "DESTROYING", updated: "2026-01-01T00:00:00Z" }));
  // KubeSpan: two nodes see w-2 down.
  nodes["talos-cp-1"]!.resources.push(talos.kubeSpanPeer("talos-w-1", "up", "10.0.2.1:51820"), talos.kubeSpanPeer("talos-w-2", "down", "10.0.2.2:51820"));
  nodes["talos-w-1"]!.resources.push(talos.kubeSpanPeer("talos-cp-1", "up", "10.0.1.1:51820"), talos.kubeSpanPeer("talos-w-2", "down", "10.0.2.2:51820"));
  // The cluster wants one more worker; the provider is disconnected and its request fails on the selector; no backups.
  lab.omni!.resources.push(omni.clusterMachineRequestStatus({ id: "fleet-workers-ff0001", cluster: "fleet", machineSet: "fleet-workers", stage: "FAILED", error: 'failed to pick the disk: no matches for the condition "name == \\"fast\\""' }));
  replace(lab, "ClusterStatuses.omni.sidero.dev", "fleet", omni.clusterStatus({ id: "fleet", phase: "SCALING_UP", ready: false, total: 8, healthy: 5, connected: 6, requested: 9 }));
  replace(lab, "InfraProviderCombinedStatuses.omni.sidero.dev", "proxmox", omni.infraProvider({ connected: false }));
  replace(lab, "Clusters.omni.sidero.dev", "fleet", omni.cluster({ id: "fleet" }));
  return lab;
}

const OMNI_TALOS_CHECKS = (await loadRegistry()).checks.map((c) => c.meta.id).filter((id) => /^(omni|talos)\//.test(id));

describe("Omni and Talos checks through the fakes", () => {
  let pve: PveServer;
  let kubeServer: KubeServer;
  let dns: DnsServers;

  beforeAll(async () => {
    const lab = troubledLab();
    [pve, kubeServer, dns] = await Promise.all([startPveServer(lab), startKubeServer(lab, { token: "lab-token" }), startDnsServers(lab)]);
  });
  afterAll(async () => {
    await Promise.all([pve.close(), kubeServer.close(), dns.close()]);
  });

  async function run(lab: Lab, kit: string): Promise<ResultJson[]> {
    pve.setLab(lab);
    kubeServer.setLab(lab);
    const fakes = await installFakeTools(lab);
    const env = harnessEnv({ fakes, pve, kube: kubeServer, dns });
    const result = await runCli(["check", kit, "--format", "json", "--only", "omni,talos"], { env });
    return reportSchema.parse(JSON.parse(result.stdout)).results;
  }

  const summary = (results: ResultJson[]) => results.map((r) => `${r.status} ${r.check}${r.subject ? ` [${r.subject}]` : ""}: ${r.message}`);

  it("a lab with one problem per check: each is found, with its subject", async () => {
    const kit = mkdtempSync(join(tmpdir(), "omni-doctor-kit-"));
    writeFileSync(join(kit, "fleet.yaml"), "kind: Cluster\nname: fleet\nkubernetes:\n  version: v1.37.0\ntalos:\n  version: v1.14.0\n---\nkind: ControlPlane\nmachineClass:\n  name: cp\n  size: 3\n");
    const results = await run(troubledLab(), kit);
    const lines = summary(results);
    const expectOne = (pattern: RegExp) => expect(lines.filter((l) => pattern.test(l)), lines.join("\n")).toHaveLength(1);
    expectOne(/^warn omni\/auth \[omnictl\]: omnictl 1.9.3 is a different release than the Omni backend 1.10.4/);
    expectOne(/^fail omni\/version-support \[\S*fleet.yaml \(cluster fleet\)\]: Omni 1.10.4 does not offer Talos v1.14.0/);
    expectOne(/^fail omni\/infra-provider \[infrastructure provider proxmox\]: has stopped sending heartbeats/);
    expectOne(/^fail omni\/machine-requests \[machine request fleet-workers-ff0001 \(machine set fleet-workers, cluster fleet\)\]: failed: the machine class's storage selector `name == "fast"` matches no storage/);
    expectOne(new RegExp(`^fail omni/stuck-destroying \\[cluster machine ${STUCK} \\(talos-w-9\\) in cluster fleet\\]`));
    expectOne(/^fail omni\/cluster-health \[cluster fleet\]: is SCALING_UP, not ready, 5\/8 machines healthy, 9 requested: the provider cannot create its machines: the machine class's storage selector `name == "fast"`/);
    expectOne(new RegExp(`^fail omni/machines-disconnected \\[machine ${fleetId("w", 3)} \\(talos-w-3\\) in cluster fleet\\]: is not connected to Omni because its VM \\d+ \\(fleet-workers-e003aa\\) on pve\\d is stopped`));
    expectOne(new RegExp(`^warn omni/config-outdated \\[machine ${fleetId("w", 2)} \\(talos-w-2\\) in cluster fleet\\]: its configuration is outdated; it runs Talos v1.11.5 while the cluster is on v1.12.4`));
    expectOne(/^fail omni\/hostname-patches \[config patch 000-hostname-%sfleet-workers-e001aa\]: sets the v1alpha1 hostname on a Talos v1.12.4 machine/);
    expectOne(/^warn omni\/etcd-backup \[cluster fleet\]: has no etcd backups/);
    expectOne(new RegExp(`^fail omni/state-drift \\[machine ${fleetId("w", 4)} \\(talos-w-4\\) in cluster fleet\\]: was created by the provider \\(request fleet-workers-e004aa\\)`));
    expectOne(/^fail talos\/dual-ip \[node talos-w-1\]: ens18 has 2 IPv4 addresses/);
    expectOne(/^fail talos\/kubelet-zombie \[node talos-w-1\]: kubelet is Failed in Talos while Kubernetes still reports the node Ready and 1 pod\(s\) stay Pending on it/);
    expectOne(/^fail talos\/not-installed \[node talos-w-3\]: has no META and no STATE partition/);
    expectOne(/^fail talos\/kubespan \[node talos-w-2\]: is down as a KubeSpan peer of talos-cp-1, talos-w-1/);
    expectOne(/^fail talos\/etcd \[control plane talos-cp-3\]: runs no etcd: the service is Failed/);
    expectOne(/^warn talos\/version-skew \[node talos-w-2\]: runs Talos v1.11.5 while the cluster is on v1.12.4/);
    expectOne(/^warn talos\/machine-stage \[node talos-w-1\]: is running but not ready: services \(kubelet not running\)/);
    // talos-w-4's VM is gone: each Talos check says so for that node alone (talosctl 1.14 names it) and judges the others.
    for (const check of OMNI_TALOS_CHECKS.filter((c) => c.startsWith("talos/") && c !== "talos/etcd")) {
      expectOne(new RegExp(`^error ${check} \\[node talos-w-4\\]: .*connection refused`));
    }
    // Nothing else: no check crashed, none reported a healthy machine.
    expect(lines.filter((l) => !/^(pass|skip) /.test(l))).toHaveLength(18 + 6);
  }, 60_000);

  it("a healthy fleet: every check passes (KubeSpan off is a skip)", async () => {
    const results = await run(fleetLab(3, 2), mkdtempSync(join(tmpdir(), "omni-doctor-kit-")));
    const lines = summary(results);
    for (const check of OMNI_TALOS_CHECKS) {
      const mine = results.filter((r) => r.check === check);
      expect(mine.map((r) => r.status), lines.join("\n")).toEqual([check === "talos/kubespan" ? "skip" : "pass"]);
    }
  }, 60_000);

  it("refused Omni credentials and an expired talosconfig: omni/auth fails, every other check says it could not tell", async () => {
    const lab = fleetLab(3, 2);
    lab.omni!.failure = { exitCode: 1, stderr: "Error: rpc error: code = Unauthenticated desc = invalid signature\n" };
    lab.talos!.failure = { exitCode: 1, stderr: 'rpc error: code = Unavailable desc = connection error: desc = "error reading server preface: remote error: tls: expired certificate"\n' };
    const results = await run(lab, mkdtempSync(join(tmpdir(), "omni-doctor-kit-")));
    for (const check of OMNI_TALOS_CHECKS) {
      const mine = results.filter((r) => r.check === check);
      expect(mine, check).toHaveLength(1);
      if (check === "omni/auth") expect(mine[0]).toMatchObject({ status: "fail", message: expect.stringMatching(/refused omnictl's credentials/) });
      else expect(mine[0]!.status, `${check}: ${mine[0]!.message}`).toBe("error");
    }
    expect(results.find((r) => r.check === "talos/etcd")!.message).toMatch(/expired certificate.*download a fresh talosconfig/);
  }, 60_000);
});
