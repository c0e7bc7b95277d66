/**
 * The Proxmox and network checks over real transports: proxmox-api through undici to the loopback
 * HTTPS PVE (certificate pinned, or verification off), password logins, the fake omnictl for the
 * Omni side, UDP DNS servers and TCP listeners on loopback. Each check's healthy, broken and
 * error cases, a 401 with an empty body, a 403, a 595 for an offline node and a slow node.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Check } from "../src/engine/check.ts";
import type { Result } from "../src/model/result.ts";
import { RecordingTransport } from "../src/sources/recording.ts";
import { kitProviderConfigs, providerIdentityIn, resolveProxmoxSettings } from "../src/sources/proxmox/settings.ts";
import { VM_PRIVILEGES } from "../src/sources/proxmox/permissions.ts";
import api from "../checks/proxmox/api.ts";
import privileges from "../checks/proxmox/privileges.ts";
import nodesOnline from "../checks/proxmox/nodes-online.ts";
import vmCpu from "../checks/proxmox/vm-cpu.ts";
import vmBootSettings from "../checks/proxmox/vm-boot-settings.ts";
import vmMigration from "../checks/proxmox/vm-migration.ts";
import failedTasks from "../checks/proxmox/failed-tasks.ts";
import vmLocks from "../checks/proxmox/vm-locks.ts";
import storageMatch from "../checks/machine-class/storage-match.ts";
import placement from "../checks/machine-class/placement.ts";
import splitDns from "../checks/network/split-horizon-dns.ts";
import siderolinkPorts from "../checks/network/siderolink-ports.ts";
import { kitFrom } from "./harness/check-tester.ts";
import { sample } from "./harness/pve-facts.ts";
import { runLive, type LiveRunOptions } from "./harness/live-run.ts";
import { startPveServer, type PveServer } from "./harness/pve-server.ts";
import { startDnsServers } from "./harness/dns-server.ts";
import { installFakeTools } from "./harness/fake-tools.ts";
import { closedPort, listen } from "./harness/tcp-ports.ts";
import { healthyLab, IDS, TOKEN_ID, TOKEN_SECRET } from "./harness/labs.ts";
import { fingerprintOf, providerVm } from "./harness/lab/pve.ts";
import { omni } from "./harness/lab/omni.ts";
import type { Lab } from "./harness/lab/model.ts";
import { machineClassYaml } from "./harness/kit-files.ts";

const PVE_CHECKS: Check[] = [api, privileges, nodesOnline, vmCpu, vmBootSettings, vmMigration, failedTasks, vmLocks, storageMatch, placement] as Check[];
const NOW_S = Math.floor(new Date("2026-11-20T10:00:00Z").getTime() / 1000);
const PROVIDER_TOKEN = "omni@pve!provider";

const classYaml = (id: string, providerdata: string) => machineClassYaml(id, { providerdata });
/** A kit like the corpus ones: the provider's config.yaml (its token) and two machine classes. */
const KIT = {
  "proxmox-provider/config.yaml": `proxmox:\n  url: https://pve1.lab.example:8006/api2/json\n  tokenID: ${PROVIDER_TOKEN}\n  tokenSecret: 7e1c0f3a-0000-4000-8000-00000000beef\n`,
  "machine-classes/control-plane.yaml": classYaml("control-plane", 'cores: 2\nsockets: 1\nmemory: 4096\ndisk_size: 40\nstorage_selector: name == "local-lvm"'),
  "machine-classes/workers.yaml": classYaml("workers", 'cores: 4\nsockets: 1\nmemory: 8192\ndisk_size: 60\nstorage_selector: name == "local-lvm"\nnetwork_bridge: vmbr0'),
};

const summary = (results: Result[]) => results.map((r) => `${r.check} ${r.status}${r.subject ? ` ${r.subject}` : ""}`);
const of = (results: Result[], check: string) => results.filter((r) => r.check === check);

describe("Proxmox checks against the loopback HTTPS PVE", () => {
  let pve: PveServer;
  beforeAll(async () => {
    pve = await startPveServer(healthyLab());
  });
  afterAll(() => pve.close());

  const token = (extra: Partial<NonNullable<LiveRunOptions["proxmox"]>> = {}) => ({ url: pve.url, tokenId: TOKEN_ID, tokenSecret: TOKEN_SECRET, ca: pve.certFile, ...extra });
  function run(lab: Lab, o: LiveRunOptions = {}) {
    pve.setLab(lab);
    pve.requests.length = 0;
    return runLive(PVE_CHECKS, { proxmox: token(), kit: KIT, ...o });
  }

  /** The same cases with the certificate pinned and with verification off: only proxmox/api's warning differs. */
  const TLS_MODES = [
    { mode: "certificate pinned", tls: () => ({}), notes: [] as string[] },
    { mode: "verification off", tls: () => ({ ca: undefined, insecure: true }), notes: ["proxmox/api warn Proxmox API https://127.0.0.1:" + "PORT"] },
  ];
  const notesFor = (mode: (typeof TLS_MODES)[number]) => mode.notes.map((n) => n.replace("PORT", String(pve.port)));

  it.each(TLS_MODES)("a healthy lab, $mode: every check passes, the provider's default VMs included, each query asked once", async (mode) => {
    const lab = healthyLab();
    // Besides the lab's provider VMs, one whose config is exactly the provider's default (the fixture).
    const defaultConfig = sample<Record<string, string | number>>("omni-vm-config.expected.constructed.json");
    lab.pve!.vms.push({ vmid: 105, node: "pve2", name: String(defaultConfig.name), status: "running", tags: String(defaultConfig.tags).split(";"), config: defaultConfig });
    lab.pve!.permissionsOf = { [PROVIDER_TOKEN]: { "/": Object.fromEntries([...VM_PRIVILEGES, "Datastore.AllocateSpace", "Datastore.AllocateTemplate", "Datastore.Audit", "SDN.Use", "Sys.AccessNetwork", "Sys.Audit"].map((p) => [p, 1])) } };
    const { results } = await run(lab, { proxmox: token(mode.tls()) });
    expect(summary(results).filter((r) => !r.includes(" pass"))).toEqual(notesFor(mode));
    if (mode.notes.length === 0) expect(of(results, "proxmox/api")[0]!.message).toBe(`Proxmox VE 9.1.5 at ${new URL(pve.url).origin} (API token, TLS pinned CA)`);
    expect(of(results, "proxmox/privileges")[0]!.message).toMatch(/omni@pve!provider \(the provider's, from proxmox-provider\/config.yaml\) holds every privilege/);
    const requests = pve.requests.map((r) => `${r.method} ${r.path}`);
    expect(new Set(requests).size).toBe(requests.length);
    expect(requests).toContain("GET /access/permissions?userid=omni%40pve%21provider");
    expect(requests).toContain("GET /nodes/pve2/qemu/105/config");
    expect(of(results, "proxmox/vm-cpu")[0]!.message).toBe("4 Talos VM(s) with an x86-64-v2 capable CPU");
    // The unrelated VM 900 (kvm64, no tag, unknown to Omni) is never read.
    expect(requests.filter((r) => r.includes("/qemu/900"))).toEqual([]);
  });

  it("verification off still works and is reported as a warning naming the certificate to pin", async () => {
    const { results } = await run(healthyLab(), { proxmox: token({ ca: undefined, insecure: true }) });
    const [warning] = of(results, "proxmox/api");
    expect(warning).toMatchObject({ status: "warn", severity: "warning", message: expect.stringMatching(/TLS verification is off/) });
    // 127.0.0.1 names no node, and the lab has two: the fix says where to find the fingerprint.
    expect(warning!.fix!.steps[0]!.description).toMatch(/Node → System → Certificates/);
    expect(of(results, "proxmox/vm-cpu")[0]!.status).toBe("pass");
  });

  it("verification off on a single node: the fix gives that node's fingerprint", async () => {
    const lab = healthyLab();
    lab.pve!.nodes = [lab.pve!.nodes[0]!];
    lab.pve!.vms = lab.pve!.vms.filter((vm) => vm.node === "pve1");
    const { results } = await run(lab, { proxmox: token({ ca: undefined, insecure: true }) });
    expect(of(results, "proxmox/api")[0]!.fix!.steps[0]!.description).toContain(`PROXMOX_FINGERPRINT=${fingerprintOf("pve1")}`);
  });

  it.each(TLS_MODES)("a broken lab, $mode: each check finds its problem, a 595 for the offline node is that node's error only", async (mode) => {
    const lab = healthyLab();
    const pveLab = lab.pve!;
    pveLab.nodes.push({ node: "pve3", status: "offline" });
    pveLab.nodes[1]!.storages = [{ storage: "local", type: "dir", content: "iso,vztmpl,backup", avail: 50 * 1024 ** 3, total: 100 * 1024 ** 3 }, { storage: "ceph-vm", type: "rbd", content: "images", avail: 900 * 1024 ** 3, total: 1000 * 1024 ** 3 }];
    pveLab.nodes[1]!.networks = [{ iface: "vmbr0", type: "bridge" }];
    pveLab.nodes[0]!.networks = [{ iface: "vmbr0", type: "bridge" }, { iface: "vmbr1", type: "bridge" }];
    pveLab.vms = [
      providerVm({ vmid: 101, node: "pve1", name: "lab-control-planes-x1", set: "lab-control-planes", uuid: IDS.cp1, config: { scsihw: "virtio-scsi-pci" } }),
      providerVm({ vmid: 102, node: "pve1", name: "lab-workers-x2", uuid: IDS.w1, config: { cpu: "kvm64" } }),
      providerVm({ vmid: 103, node: "pve2", name: "lab-workers-x3", uuid: IDS.w2, lock: "create", status: "stopped" }),
      { ...providerVm({ vmid: 104, node: "pve3", name: "lab-workers-x4" }), hastate: "started" },
      { vmid: 900, node: "pve2", name: "home-assistant", status: "running", config: { cpu: "kvm64", name: "home-assistant" } },
    ];
    pveLab.nodes[0]!.tasks = [
      { type: "qmcreate", id: "105", user: "omni@pve", tokenid: "provider", starttime: NOW_S - 7200, endtime: NOW_S - 7190, status: "unable to create VM 105 - storage 'local-lvm' is not available on node 'pve2'" },
      { type: "qmstart", id: "900", user: "root@pam", starttime: NOW_S - 600, endtime: NOW_S - 590, status: "start failed: QEMU exited with code 1" },
      // VM 101 restarting over and over: the reboot-loop symptom.
      ...[3, 2, 1].map((h) => ({ type: "qmreset", id: "101", user: "root@pam", starttime: NOW_S - h * 1800, endtime: NOW_S - h * 1800 + 1, status: "OK" })),
    ];
    pveLab.permissionsOf = { [PROVIDER_TOKEN]: { "/vms": Object.fromEntries(VM_PRIVILEGES.map((p) => [p, 1])), "/storage": { "Datastore.AllocateSpace": 1, "Datastore.AllocateTemplate": 1, "Datastore.Audit": 1 }, "/nodes": { "Sys.Audit": 1, "Sys.AccessNetwork": 1 } } };
    const kit = { ...KIT, "machine-classes/workers.yaml": classYaml("workers", 'cores: 4\nmemory: 8192\ndisk_size: 60\nstorage_selector: name == "local-lvm"\nnetwork_bridge: vmbr1') };
    const { results } = await run(lab, { kit, proxmox: token(mode.tls()) });
    expect(summary(results).filter((r) => !r.includes(" pass"))).toEqual([
      ...notesFor(mode),
      "proxmox/privileges fail omni@pve!provider on /sdn/zones/localnetwork/vmbr0",
      "proxmox/privileges fail omni@pve!provider on /sdn/zones/localnetwork/vmbr1",
      "proxmox/nodes-online fail Proxmox node pve3",
      "proxmox/vm-cpu fail VM 102 (lab-workers-x2) on pve1",
      "proxmox/vm-cpu error VM 104 (lab-workers-x4) on pve3",
      "proxmox/vm-boot-settings fail VM 101 (lab-control-planes-x1) on pve1",
      "proxmox/vm-boot-settings error VM 104 (lab-workers-x4) on pve3",
      "proxmox/vm-migration warn VM 104 (lab-workers-x4) on pve3",
      "proxmox/failed-tasks fail qmcreate of VM 105 on pve1",
      "proxmox/vm-locks warn VM 103 (lab-workers-x3) on pve2",
      "machine-class/storage-match fail machine class control-plane on pve2",
      "machine-class/storage-match fail machine class workers on pve2",
      "machine-class/placement fail machine class workers on pve2",
    ]);
    expect(of(results, "proxmox/vm-cpu").find((r) => r.status === "error")!.message).toMatch(/595 Errors during connection establishment/);
    expect(of(results, "proxmox/failed-tasks")[0]!.evidence![0]).toBe("exit status: unable to create VM 105 - storage 'local-lvm' is not available on node 'pve2'");
    // pve3 is offline: none of its per-node calls are made; its VM's config call is, and answers 595.
    expect(pve.requests.filter((r) => r.path.startsWith("/nodes/pve3/")).map((r) => r.path)).toEqual(["/nodes/pve3/qemu/104/config"]);
  });

  it.each([
    { version: "9.1.5", status: "401 Authentication failed!", ...TLS_MODES[0]! },
    { version: "8.4.1", status: "401 invalid token value!", ...TLS_MODES[1]! },
  ])("a refused token on PVE $version, $mode (401, empty body): proxmox/api fails with the cause, the others are errors", async ({ version, status, tls }) => {
    const lab = healthyLab();
    lab.pve!.version = version;
    const { results, elapsedMs } = await run(lab, { proxmox: token({ ...tls(), tokenSecret: "00000000-0000-4000-8000-000000000000" }) });
    expect(of(results, "proxmox/api")[0]).toMatchObject({ status: "fail", evidence: [`GET /version: ${status}`, expect.stringMatching(/API token/)] });
    for (const r of results.filter((x) => x.check !== "proxmox/api" && x.check.startsWith("proxmox/"))) expect(r.status, r.check).toBe("error");
    expect(elapsedMs).toBeLessThan(4000);
  });

  it("a token without any ACL (403 and permission-filtered lists): empty lists are not 'no VMs'", async () => {
    const lab = healthyLab();
    lab.pve!.permissions = {};
    const { results } = await run(lab, { kit: {} });
    expect(of(results, "proxmox/vm-cpu")[0]).toMatchObject({ status: "error", message: expect.stringMatching(/answered an empty list, and these credentials lack VM.Audit on \/vms/) });
    expect(of(results, "proxmox/privileges")[0]).toMatchObject({ status: "warn", subject: "these credentials on /vms" });
    // /cluster/status answers 403 without Sys.Audit on /: the node list alone is judged.
    expect(of(results, "proxmox/nodes-online")[0]).toMatchObject({ status: "pass", message: "2 Proxmox node(s) online" });
    expect(pve.requests.map((r) => r.path)).toContain("/cluster/status");
  });

  it("the provider's permissions cannot be read without Sys.Audit on /access: an error that says so", async () => {
    const lab = healthyLab();
    lab.pve!.permissions = { "/vms": { "VM.Audit": 1 }, "/nodes": { "Sys.Audit": 1 }, "/storage": { "Datastore.Audit": 1 } };
    const { results } = await run(lab);
    expect(of(results, "proxmox/privileges")[0]).toMatchObject({ status: "error", message: expect.stringMatching(/cannot read the permissions of omni@pve!provider.*403 Permission check failed \(\/access, Sys.Audit\).*needs Sys.Audit on \/access/) });
  });

  it("a slow node hits --timeout: its subjects are errors, the other node's results are intact", async () => {
    const lab = healthyLab();
    lab.pve!.nodes[1]!.delayMs = 3000;
    lab.pve!.vms = lab.pve!.vms.map((vm) => (vm.vmid === 102 ? providerVm({ vmid: 102, node: "pve1", name: "lab-workers-x2", uuid: IDS.w1, config: { cpu: "kvm64" } }) : vm));
    const { results, elapsedMs } = await run(lab, { timeoutMs: 1000 });
    expect(of(results, "proxmox/vm-cpu").map((r) => `${r.status} ${r.subject}: ${r.message}`)).toEqual([
      "fail VM 102 (lab-workers-x2) on pve1: runs CPU model kvm64, which lacks x86-64-v2: Talos stops in its initramfs (\"x86_64 microarchitecture level 2 or higher is required, halting\")",
      expect.stringMatching(/^error VM 103 \(lab-workers-x3\) on pve2: its config could not be read: Proxmox API: no answer within 1s: GET \/nodes\/pve2\/qemu\/103\/config/),
    ]);
    expect(of(results, "machine-class/storage-match").map((r) => `${r.status} ${r.subject}`)).toEqual(["error Proxmox node pve2"]);
    expect(elapsedMs).toBeLessThan(4000);
  });

  it("a password login: one ticket for the run, secrets redacted from the recording; a wrong password is named", async () => {
    const lab = healthyLab();
    delete lab.pve!.tokenId;
    lab.pve!.login = { username: "root@pam", password: "correct horse battery" };
    const dir = mkdtempSync(join(tmpdir(), "omni-doctor-pve-rec-"));
    const { results } = await run(lab, { proxmox: { url: pve.url, username: "root", realm: "pam", password: "correct horse battery", ca: pve.certFile }, wrap: (t) => new RecordingTransport(t, dir) });
    expect(of(results, "proxmox/api")[0]!.message).toMatch(/password login, TLS pinned CA/);
    expect(results.filter((r) => r.status === "error")).toEqual([]);
    expect(pve.requests.filter((r) => r.path === "/access/ticket")).toHaveLength(1);
    const recorded = readdirSync(join(dir, "pve")).map((f) => readFileSync(join(dir, "pve", f), "utf8")).join("\n");
    expect(recorded).toContain("key: POST /access/ticket");
    expect(recorded).not.toMatch(/PVE:root@pam:6920B110::/);
    expect(recorded).not.toContain("Y2xlYXJseSBhIHRlc3QgY3NyZiB0b2tlbg");
    expect(recorded).not.toContain("correct horse battery");

    const refused = await run(lab, { proxmox: { url: pve.url, username: "root@pam", password: "wrong", ca: pve.certFile } });
    expect(of(refused.results, "proxmox/api")[0]).toMatchObject({ status: "fail", message: expect.stringMatching(/the username or password is wrong/), evidence: ["GET /version: 401 authentication failure", expect.any(String)] });
  });

  it("a self-signed certificate with nothing pinned: proxmox/api says to pin it", async () => {
    const { results } = await run(healthyLab(), { proxmox: token({ ca: undefined }) });
    expect(of(results, "proxmox/api")[0]).toMatchObject({ status: "fail", message: expect.stringMatching(/self-signed .* pin it with PROXMOX_CA/) });
  });

  it("Talos VMs Omni knows: by SMBIOS UUID and by machine request name, never the unrelated ones", async () => {
    const lab = healthyLab();
    const handMade = "0b6a4c1e-9999-4a1b-9c2d-3e4f5a6b7c09";
    lab.pve!.vms.push(
      { vmid: 110, node: "pve1", name: "talos-hand-made", status: "running", config: { cpu: "kvm64", name: "talos-hand-made", smbios1: `uuid=${handMade}` } },
      { vmid: 111, node: "pve2", name: "lab-workers-q9m1zz", status: "running", config: { cpu: "qemu64", name: "lab-workers-q9m1zz", smbios1: "uuid=0b6a4c1e-7777-4a1b-9c2d-3e4f5a6b7c07" } },
      { vmid: 112, node: "pve2", name: "pihole", status: "running", config: { cpu: "kvm64", name: "pihole", smbios1: "uuid=11111111-2222-4333-8444-555555555555" } },
    );
    lab.omni!.resources.push(omni.machine({ id: handMade }), {
      type: "MachineRequestStatuses.omni.sidero.dev",
      namespace: "infra-provider",
      id: "lab-workers-q9m1zz",
      spec: { id: "0b6a4c1e-7777-4a1b-9c2d-3e4f5a6b7c07", stage: 2, error: "", status: "" },
    });
    const fakes = await installFakeTools(lab, { tools: ["omnictl"] });
    const { results } = await run(lab, { env: fakes.env });
    expect(of(results, "proxmox/vm-cpu").map((r) => `${r.status} ${r.subject}: ${r.evidence?.[1]}`)).toEqual([
      `fail VM 110 (talos-hand-made) on pve1: Talos VM: its SMBIOS UUID ${handMade} is an Omni machine`,
      "fail VM 111 (lab-workers-q9m1zz) on pve2: Talos VM: named after Omni machine request lab-workers-q9m1zz",
    ]);
    expect(fakes.calls().map((c) => c.argv.join(" "))).toEqual(
      expect.arrayContaining(["get MachineRequestStatuses.omni.sidero.dev --namespace infra-provider --output json", "get Machines.omni.sidero.dev --output json"]),
    );
  });
});

describe("split-horizon DNS over real UDP, with the Proxmox nodes' resolvers from the API", () => {
  it("LAN answer, CGNAT answer, NXDOMAIN and no answer within the timeout, one node each", async () => {
    const lab = healthyLab();
    lab.pve!.nodes = ["pve1", "pve2", "pve3", "pve4"].map((node, i) => ({ node, status: "online" as const, dns: { search: "lab.example", dns1: `127.0.0.${i + 2}` } }));
    lab.pve!.vms = [];
    lab.dns = {
      "127.0.0.2": { "omni.lab.example": { rcode: "NOERROR", addresses: ["192.168.10.20"] } },
      "127.0.0.3": { "omni.lab.example": { rcode: "NOERROR", addresses: ["100.101.102.103"] } },
      "127.0.0.4": {},
      "127.0.0.5": { "omni.lab.example": "timeout" },
    };
    const pve = await startPveServer(lab);
    const dns = await startDnsServers(lab);
    try {
      const { results, elapsedMs } = await runLive([splitDns as Check], {
        proxmox: { url: pve.url, tokenId: TOKEN_ID, tokenSecret: TOKEN_SECRET, ca: pve.certFile },
        kit: { "compose.yaml": "services:\n  omni:\n    command:\n      - --machine-api-advertised-url=https://omni.lab.example:8090/\n" },
        env: { OMNI_DOCTOR_DNS_PORT: String(dns.port) },
        probeTimeoutMs: 500,
      });
      expect(results.map((r) => `${r.status} ${r.subject}: ${r.message}`)).toEqual([
        "fail Proxmox node pve2, resolver 127.0.0.3: answers omni.lab.example with the Tailscale address 100.101.102.103; fresh VMs are not on the tailnet and cannot register with Omni",
        "fail Proxmox node pve3, resolver 127.0.0.4: has no record for it (NXDOMAIN for omni.lab.example); VMs using it cannot find Omni",
        "fail Proxmox node pve4, resolver 127.0.0.5: timed out: no answer for omni.lab.example within the DNS timeout; VMs using it cannot find Omni",
      ]);
      expect(dns.queries.map((q) => q.server).sort()).toEqual(["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]);
      expect(elapsedMs).toBeLessThan(3000);
    } finally {
      await Promise.all([pve.close(), dns.close()]);
    }
  });
});

describe("the SideroLink host from Omni when the kit has no Omni compose file", () => {
  it("asks omnictl for the advertised URL, then the nodes' resolvers over UDP", async () => {
    const lab = healthyLab();
    lab.pve!.vms = [];
    const pve = await startPveServer(lab);
    const dns = await startDnsServers(lab);
    const fakes = await installFakeTools(lab, { tools: ["omnictl"] });
    try {
      const { results } = await runLive([splitDns as Check], { proxmox: { url: pve.url, tokenId: TOKEN_ID, tokenSecret: TOKEN_SECRET, ca: pve.certFile }, env: { ...fakes.env, OMNI_DOCTOR_DNS_PORT: String(dns.port) }, probeTimeoutMs: 500 });
      expect(results).toMatchObject([{ status: "pass", message: "2 resolver(s) on 2 node(s) answer omni.lab.example with a reachable address" }]);
      expect(fakes.calls().map((c) => c.argv[1])).toContain("SiderolinkAPIConfigs.omni.sidero.dev");
    } finally {
      await Promise.all([pve.close(), dns.close()]);
    }
  });
});

describe("Omni's ports over real TCP", () => {
  it("a listening port passes, a closed one is refused and fails", async () => {
    const open = await listen();
    const closed = await closedPort();
    try {
      const compose = (api: number, machineApi: number) =>
        `services:\n  omni:\n    ports: ["127.0.0.1:${api}:${api}", "127.0.0.1:${machineApi}:${machineApi}", "127.0.0.1:50180:50180/udp"]\n    command:\n      - --advertised-api-url=https://omni.lab.example:${api}/\n      - --machine-api-advertised-url=https://omni.lab.example:${machineApi}/\n      - --advertised-kubernetes-proxy-url=https://omni.lab.example:${api}/\n      - --siderolink-wireguard-advertised-addr=127.0.0.1:50180\n`;
      const healthy = await runLive([siderolinkPorts as Check], { kit: { "compose.yaml": compose(open.port, open.port) } });
      expect(healthy.results).toMatchObject([{ status: "pass", message: `Omni at 127.0.0.1 accepts connections on ${open.port}, ${open.port}, ${open.port} from here; UDP 50180 is published in compose.yaml (UDP cannot be probed)` }]);
      const broken = await runLive([siderolinkPorts as Check], { kit: { "compose.yaml": compose(open.port, closed) } });
      expect(broken.results.map((r) => `${r.status} ${r.subject}`)).toEqual([`fail Omni 127.0.0.1:${closed} (SideroLink machine API)`]);
    } finally {
      await open.close();
    }
  });
});

describe("Proxmox settings the way users have them", () => {
  const kit = kitFrom({
    "proxmox-provider/config.yaml": "proxmox:\n  url: https://pve.lab.example:8006/api2/json\n  username: root\n  password: s3cret-pass\n  realm: pam\n  tokenID: omni@pve!provider\n  tokenSecret: 7e1c0f3a-0000-4000-8000-00000000beef\n  insecureSkipVerify: true\n",
  });

  it("first found wins: flags, then PROXMOX_*, then omni-doctor.yaml, then the provider's config.yaml", () => {
    const candidates = [
      { from: "command-line flags", input: {} },
      { from: "PROXMOX_* environment", input: { url: "https://env.lab.example:8006", tokenId: TOKEN_ID, tokenSecret: TOKEN_SECRET } },
      ...kitProviderConfigs(kit),
    ];
    const fromEnv = resolveProxmoxSettings(candidates, {});
    expect(fromEnv).toMatchObject({ ok: true, settings: { from: "PROXMOX_* environment", host: "env.lab.example", tlsMode: "verified", auth: { kind: "token" } } });
    const fromKit = resolveProxmoxSettings([candidates[0]!, ...kitProviderConfigs(kit)], { PROXMOX_FINGERPRINT: fingerprintOf("pve") });
    // omni-doctor prefers the token; the fingerprint from the environment pins whatever origin was chosen.
    expect(fromKit).toMatchObject({ ok: true, settings: { from: "proxmox-provider/config.yaml", port: 8006, auth: { kind: "token", tokenId: PROVIDER_TOKEN }, tlsMode: "pinned fingerprint" } });
    const passwordOnly = resolveProxmoxSettings([{ from: "omni-doctor.yaml", input: { url: "pve.lab.example", username: "doctor", realm: "pve", password: "s3cret-pass" } }], {});
    expect(passwordOnly).toMatchObject({ ok: true, settings: { origin: "https://pve.lab.example:8006", auth: { kind: "password", username: "doctor@pve" } } });
    const ipv6 = resolveProxmoxSettings([{ from: "flags", input: { url: "https://[fd00::11]:8006/api2/json", tokenId: TOKEN_ID, tokenSecret: TOKEN_SECRET } }], {});
    expect(ipv6).toMatchObject({ ok: true, settings: { origin: "https://[fd00::11]:8006", host: "[fd00::11]", port: 8006 } });
    const insecure = resolveProxmoxSettings(kitProviderConfigs(kit), {});
    expect(insecure).toMatchObject({ ok: true, settings: { tlsMode: "NOT verified (insecure)" } });
  });

  it("the provider's identity follows the provider's rule: its user when it has a password, else its token", () => {
    expect(providerIdentityIn(kit)).toEqual({ id: "root@pam", user: "root@pam", from: "proxmox-provider/config.yaml" });
    const tokenOnly = kitFrom({ "config.yaml": `proxmox:\n  url: https://pve:8006/api2/json\n  tokenID: ${PROVIDER_TOKEN}\n  tokenSecret: x\n` });
    expect(providerIdentityIn(tokenOnly)).toEqual({ id: PROVIDER_TOKEN, user: "omni@pve", token: "provider", from: "config.yaml" });
  });

  it.each([
    [{ url: "https://pve:8006", tokenId: TOKEN_ID, tokenSecret: TOKEN_SECRET, fingerprint: "AA:BB" }, /not a SHA-256 fingerprint/],
    [{ url: "https://pve:8006", tokenId: "omni-doctor", tokenSecret: TOKEN_SECRET }, /not USER@REALM!TOKENID/],
    [{ url: "https://pve:8006", tokenId: TOKEN_ID, tokenSecret: "REDACTED" }, /no usable Proxmox credentials/],
    [{ url: "https://pve:8006", tokenId: TOKEN_ID, tokenSecret: TOKEN_SECRET, ca: "/nonexistent/ca.pem" }, /cannot read the Proxmox CA file/],
  ])("refuses %j with a reason", (input, reason) => {
    const resolution = resolveProxmoxSettings([{ from: "test", input }], {});
    expect(resolution.ok).toBe(false);
    expect((resolution as { reason: string }).reason).toMatch(reason);
  });
});
