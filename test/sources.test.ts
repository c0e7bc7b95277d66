/**
 * Sources over real transports: fake omnictl/talosctl executables on PATH, the real kubectl
 * against a loopback API server, proxmox-api against a loopback HTTPS PVE, a UDP DNS server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueryRunner } from "../src/sources/query-runner.ts";
import { LiveTransport } from "../src/sources/live-transport.ts";
import { OmniSource } from "../src/sources/omni/omnictl.ts";
import { TalosSource } from "../src/sources/talos/talosctl.ts";
import { KubeSource } from "../src/sources/kube/kubectl.ts";
import { ProxmoxSource } from "../src/sources/proxmox/client.ts";
import { resolveProxmoxSettings, type ProxmoxInput } from "../src/sources/proxmox/settings.ts";
import { DnsSource } from "../src/sources/net/probes.ts";
import {
  clusterMachineRequestStatusSpec,
  clusterMachineStatusSpec,
  clusterStatusSpec,
  etcdBackupStatusSpec,
  infraProviderCombinedStatusSpec,
  machineSetStatusSpec,
  machineStatusSpec as omniMachineStatusSpec,
  sysVersionSpec,
  TYPES,
} from "../src/sources/omni/resources.ts";
import { addressStatusSpec, etcdMemberSpec, kubeSpanPeerStatusSpec, machineStatusSpec, parseServiceList, volumeStatusSpec } from "../src/sources/talos/resources.ts";
import { parseStream } from "../src/sources/exec-output.ts";
import { talosEnvelope } from "../src/sources/talos/talosctl.ts";
import { omni } from "./harness/lab/omni.ts";
import { talos } from "./harness/lab/talos.ts";
import { node as nodeSchema } from "../src/sources/kube/objects.ts";
import { SourceError } from "../src/sources/source-error.ts";
import { readRecording, RecordingTransport, ReplayTransport, writeManifest } from "../src/sources/recording.ts";
import type { Transport } from "../src/sources/transport.ts";
import { installFakeTools } from "./harness/fake-tools.ts";
import { startPveServer, type PveServer } from "./harness/pve-server.ts";
import { startKubeServer, type KubeServer } from "./harness/kube-server.ts";
import { startDnsServers } from "./harness/dns-server.ts";
import { healthyLab, IDS, TOKEN_ID, TOKEN_SECRET } from "./harness/labs.ts";
import type { Lab } from "./harness/lab/model.ts";

const ROOT_DIR = fileURLToPath(new URL("../", import.meta.url));

function runnerWith(env: Record<string, string>, timeoutMs = 5000, wrap: (t: Transport) => Transport = (t) => t) {
  return new QueryRunner(wrap(new LiveTransport({ probeTimeoutMs: Math.min(timeoutMs, 1000), env: { ...env, OMNI_DOCTOR_DNS_PORT: env.OMNI_DOCTOR_DNS_PORT ?? "53" } })), {
    concurrency: 4,
    timeoutMs,
    signal: new AbortController().signal,
  });
}

async function sourceError(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe("omnictl (fake executable on PATH)", () => {
  it("reads a JSON stream: integer enums become names, typed labels become strings", async () => {
    const lab = healthyLab();
    lab.omni!.resources.push({ ...lab.omni!.resources[1]!, id: "x", labels: { "omni.sidero.dev/cluster": "8" }, spec: { stage: 5 } });
    const fakes = await installFakeTools(lab);
    const omni = new OmniSource(runnerWith(fakes.env), undefined);
    const statuses = await omni.get(TYPES.clusterMachineStatuses, clusterMachineStatusSpec, { clusterScoped: true });
    expect(statuses.map((s) => [s.metadata.id, s.spec.stage])).toEqual([
      [IDS.cp1, "RUNNING"],
      [IDS.w1, "RUNNING"],
      [IDS.w2, "RUNNING"],
      ["x", "DESTROYING"],
    ]);
    expect(statuses[3]!.metadata.labels["omni.sidero.dev/cluster"]).toBe("8");
    expect(fakes.calls().map((c) => c.argv)).toEqual([["get", "ClusterMachineStatuses.omni.sidero.dev", "--output", "json"]]);
  });

  it("--cluster is honoured through the cluster label", async () => {
    const fakes = await installFakeTools(healthyLab());
    const omni = new OmniSource(runnerWith(fakes.env), "lab");
    await omni.get(TYPES.clusterMachineStatuses, clusterMachineStatusSpec, { clusterScoped: true });
    expect(fakes.calls()[0]!.argv).toEqual(["get", "ClusterMachineStatuses.omni.sidero.dev", "--selector", "omni.sidero.dev/cluster=lab", "--output", "json"]);
  });

  it.each([
    ["Error: rpc error: code = Unauthenticated desc = invalid signature\n", "auth", /omnictl get clusters/],
    ['Error: unauthorized: access denied: insufficient role: "Reader"\n', "auth", /role/],
    ['Error: failed to create omni client: context "default" has not been configured, you will need to set it manually\n', "not-configured", /omniconfig/],
    ['Error: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 192.168.10.20:443: connect: connection refused"\n', "unreachable", /endpoint/],
  ])("classifies %j", async (stderr, kind, advice) => {
    const lab = healthyLab();
    lab.omni!.failure = { exitCode: 1, stderr };
    const omni = new OmniSource(runnerWith((await installFakeTools(lab)).env), undefined);
    const error = await sourceError(omni.get(TYPES.machines, clusterMachineStatusSpec));
    expect(error.kind).toBe(kind);
    expect(error.advice).toMatch(advice);
  });

  it("not installed, garbage output, and a hang killed at the timeout", async () => {
    const none = new OmniSource(runnerWith({ PATH: "/nonexistent" }), undefined);
    expect((await sourceError(none.get(TYPES.machines, clusterMachineStatusSpec))).kind).toBe("not-installed");

    const garbage = healthyLab();
    garbage.omni!.rawStdout = '{\n    "metadata": {\n        "id": "trunc';
    expect((await sourceError(new OmniSource(runnerWith((await installFakeTools(garbage)).env), undefined).get(TYPES.machines, clusterMachineStatusSpec))).kind).toBe("unexpected-output");

    const hang = healthyLab();
    hang.omni!.hang = true;
    const started = Date.now();
    const error = await sourceError(new OmniSource(runnerWith(((await installFakeTools(hang))).env, 1000), undefined).get(TYPES.machines, clusterMachineStatusSpec));
    expect(error.kind).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(4000);
  });
});

describe("talosctl (fake executable on PATH)", () => {
  it.each(["1.13", "1.14"] as const)("one call for three nodes, one unreachable, client %s", async (client) => {
    const lab = healthyLab();
    lab.talos!.client = client;
    lab.talos!.nodes["talos-w-2"]!.unreachable = true;
    const fakes = await installFakeTools(lab);
    const talos = new TalosSource(runnerWith(fakes.env));
    const answer = await talos.get("addresses", { cluster: "lab", nodes: ["talos-cp-1", "talos-w-1", "talos-w-2"] }, addressStatusSpec);
    expect([...new Set(answer.resources.map((r) => r.node))]).toEqual(["talos-cp-1", "talos-w-1"]);
    expect(Object.keys(answer.nodeErrors)).toEqual(["talos-w-2"]);
    expect(answer.nodeErrors["talos-w-2"]).toMatch(/connection refused/);
    expect(fakes.calls()).toHaveLength(1);
    expect(fakes.calls()[0]!.argv).toEqual(["--cluster", "lab", "--nodes", "talos-cp-1,talos-w-1,talos-w-2", "get", "addresses", "--output", "json"]);
  });

  it("every node down is a source error; no nodes configured is not-configured", async () => {
    const lab = healthyLab();
    for (const node of Object.values(lab.talos!.nodes)) node.unreachable = true;
    const talos = new TalosSource(runnerWith((await installFakeTools(lab)).env));
    expect((await sourceError(talos.get("addresses", { nodes: ["talos-cp-1", "talos-w-1"] }, addressStatusSpec))).kind).toBe("unreachable");
    expect((await sourceError(talos.get("addresses", { nodes: [] }, addressStatusSpec))).kind).toBe("not-configured");
  });
});

describe("kubectl (the real one, against a loopback API server)", () => {
  let server: KubeServer;
  const env = () => ({ PATH: "/usr/bin:/bin", KUBECONFIG: server.kubeconfig, HOME: server.home });
  beforeAll(async () => {
    server = await startKubeServer(healthyLab(), { token: "lab-token" });
  });
  afterAll(() => server.close());

  it("lists a kind once for all namespaces; a kind the cluster lacks is 'not installed'", async () => {
    const kube = new KubeSource(runnerWith(env()), undefined);
    const nodes = await kube.list("nodes", nodeSchema, { namespaced: false });
    expect(nodes.items.map((n) => n.metadata.name)).toEqual(["talos-cp-1", "talos-w-1", "talos-w-2"]);
    expect(await kube.list("helmreleases.helm.toolkit.fluxcd.io", nodeSchema)).toEqual({ installed: false, items: [] });
  });

  it("401 is auth; a server that never answers is bounded by the timeout", async () => {
    const lab = healthyLab();
    lab.kube!.failure = { status: 401 };
    server.setLab(lab);
    expect((await sourceError(new KubeSource(runnerWith(env()), undefined).list("nodes", nodeSchema))).kind).toBe("auth");
    lab.kube = { objects: {}, hang: true };
    server.setLab(lab);
    const started = Date.now();
    const error = await sourceError(new KubeSource(runnerWith(env(), 1500), undefined).list("nodes", nodeSchema));
    expect(["timeout", "unreachable"]).toContain(error.kind);
    expect(Date.now() - started).toBeLessThan(5000);
    server.setLab(healthyLab());
  });
});

describe("Proxmox API (proxmox-api against a loopback HTTPS PVE)", () => {
  let pve: PveServer;
  beforeAll(async () => {
    pve = await startPveServer(healthyLab());
  });
  afterAll(() => pve.close());

  function source(input: Partial<ProxmoxInput>, timeoutMs = 5000, wrap?: (t: Transport) => Transport) {
    const resolution = resolveProxmoxSettings([{ from: "test", input: { url: pve.url, tokenId: TOKEN_ID, tokenSecret: TOKEN_SECRET, ...input } }], {});
    if (!resolution.ok) throw new Error(resolution.reason);
    return new ProxmoxSource(runnerWith({}, timeoutMs, wrap), resolution);
  }
  const nodes = (s: ProxmoxSource) => s.call("GET /nodes", (api) => api.nodes.$get());

  it("verifies TLS against a pinned CA file, a pinned fingerprint, or not at all when told", async () => {
    expect((await nodes(source({ ca: pve.certFile }))).map((n) => n.node)).toEqual(["pve1", "pve2"]);
    expect(await nodes(source({ fingerprint: pve.fingerprint256 }))).toHaveLength(2);
    expect(await nodes(source({ insecure: true }))).toHaveLength(2);
  });

  it("a self-signed certificate is refused by default, a wrong fingerprint too", async () => {
    const error = await sourceError(nodes(source({})));
    expect(error.kind).toBe("unreachable");
    expect(error.message).toMatch(/TLS verification failed.*SELF_SIGNED/);
    const other = Array.from({ length: 32 }, () => "00").join(":");
    expect((await sourceError(nodes(source({ fingerprint: other })))).message).toMatch(/fingerprint .* does not match the pinned/);
  });

  it("401 with an empty body, 403 and 595 are named", async () => {
    const bad = await sourceError(nodes(source({ ca: pve.certFile, tokenSecret: "00000000-0000-4000-8000-000000000000" })));
    expect([bad.kind, bad.message]).toEqual(["auth", "GET /nodes: 401 Authentication failed!"]);
    const lab = healthyLab();
    lab.pve!.overrides = { "GET /nodes": { status: 403, statusText: "Permission check failed (/nodes, Sys.Audit)" } };
    pve.setLab(lab);
    const denied = await sourceError(nodes(source({ ca: pve.certFile })));
    expect([denied.kind, denied.message]).toEqual(["auth", "GET /nodes: 403 Permission check failed (/nodes, Sys.Audit)"]);
    lab.pve!.overrides = {};
    lab.pve!.nodes[1]!.status = "offline";
    pve.setLab(lab);
    const offline = await sourceError(source({ ca: pve.certFile }).call("GET /nodes/pve2/dns", (api) => api.nodes.$("pve2").dns.$get()));
    expect(offline.kind).toBe("unreachable");
    expect(offline.message).toMatch(/595 Errors during connection establishment/);
    pve.setLab(healthyLab());
  });

  it("a slow node hits --timeout", async () => {
    const lab = healthyLab();
    lab.pve!.overrides = { "GET /nodes/pve2/dns": { status: 200, statusText: "OK", body: '{"data":{}}', delayMs: 3000 } };
    pve.setLab(lab);
    const started = Date.now();
    expect((await sourceError(source({ ca: pve.certFile }, 1000).call("GET /nodes/pve2/dns", (api) => api.nodes.$("pve2").dns.$get()))).kind).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(4000);
    pve.setLab(healthyLab());
  });

  it("records answers without secrets and replays them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "omni-doctor-rec-"));
    const recorded = source({ ca: pve.certFile }, 5000, (t) => new RecordingTransport(t, dir));
    const live = await nodes(recorded);
    writeManifest(dir, { format: 1, tool: "omni-doctor", version: "test", recordedAt: "2026-11-20T10:00:00Z", sources: { pve: { url: pve.url, auth: "token", tls: "pinned CA" } }, options: {} });
    const files = readdirSync(join(dir, "pve"));
    expect(files).toHaveLength(1);
    const text = readFileSync(join(dir, "pve", files[0]!), "utf8");
    expect(text).toContain("key: GET /nodes");
    expect(text).not.toContain(TOKEN_SECRET);
    const replay = new ProxmoxSource(
      new QueryRunner(new ReplayTransport(readRecording(dir)), { concurrency: 1, timeoutMs: 1000, signal: new AbortController().signal }),
      resolveProxmoxSettings([{ from: "test", input: { url: pve.url, tokenId: TOKEN_ID, tokenSecret: TOKEN_SECRET } }], {}) as { ok: true; settings: never },
    );
    expect(await nodes(replay)).toEqual(live);
    expect((await sourceError(replay.call("GET /version", (api) => api.version.$get()))).kind).toBe("not-recorded");
  });
});

describe("DNS over UDP (dns-packet against a loopback server)", () => {
  const lab: Lab = {
    now: "2026-11-20T10:00:00Z",
    dns: {
      "127.0.0.2": { "omni.lab.example": { rcode: "NOERROR", addresses: ["192.168.10.20"] } },
      "127.0.0.3": { "omni.lab.example": { rcode: "NOERROR", addresses: ["100.101.102.103"] } },
      "127.0.0.4": {},
      "127.0.0.5": { "omni.lab.example": "timeout" },
    },
  };
  it("LAN answer, Tailscale answer, NXDOMAIN and no answer in time", async () => {
    const servers = await startDnsServers(lab);
    try {
      const dns = new DnsSource(runnerWith({ OMNI_DOCTOR_DNS_PORT: String(servers.port) }, 3000));
      expect(await dns.query("127.0.0.2", "omni.lab.example")).toEqual({ rcode: "NOERROR", addresses: ["192.168.10.20"] });
      expect(await dns.query("127.0.0.3", "omni.lab.example")).toEqual({ rcode: "NOERROR", addresses: ["100.101.102.103"] });
      expect(await dns.query("127.0.0.4", "omni.lab.example")).toEqual({ rcode: "NXDOMAIN", addresses: [] });
      expect(await dns.query("127.0.0.5", "omni.lab.example")).toEqual({ rcode: "TIMEOUT", addresses: [] });
      expect(servers.queries.map((q) => q.server)).toEqual(["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]);
    } finally {
      await servers.close();
    }
  });
});

describe("omnictl: the resource types of the Omni checks", () => {
  it("integer enums of every status type become names; protobuf timestamps become times", async () => {
    const lab = healthyLab();
    lab.omni!.resources.push(
      omni.clusterMachineRequestStatus({ id: "lab-workers-a1b2c3", cluster: "lab", stage: "FAILED", error: "not authorized to access endpoint" }),
      omni.clusterStatus({ id: "other", phase: "SCALING_UP", ready: false, total: 2, requested: 3 }),
      { type: TYPES.machineSetStatuses, id: "lab-workers", labels: { "omni.sidero.dev/cluster": "lab" }, spec: { phase: 5, ready: false, error: "no machines", machines: { total: 0, healthy: 0, connected: 0, requested: 2 }, confighash: "", machineallocation: null, lockedupdates: 0 } },
    );
    const fakes = await installFakeTools(lab);
    const source = new OmniSource(runnerWith(fakes.env), undefined);
    const [requests, clusters, sets, machineStatuses, providers, backups] = await Promise.all([
      source.get(TYPES.clusterMachineRequestStatuses, clusterMachineRequestStatusSpec),
      source.get(TYPES.clusterStatuses, clusterStatusSpec),
      source.get(TYPES.machineSetStatuses, machineSetStatusSpec),
      source.get(TYPES.machineStatuses, omniMachineStatusSpec),
      source.get(TYPES.infraProviderCombinedStatuses, infraProviderCombinedStatusSpec),
      source.get(TYPES.etcdBackupStatuses, etcdBackupStatusSpec),
    ]);
    expect(requests.map((r) => [r.metadata.id, r.spec.stage, r.spec.error])).toEqual([["lab-workers-a1b2c3", "FAILED", "not authorized to access endpoint"]]);
    expect(clusters.map((c) => [c.metadata.id, c.spec.phase, c.spec.ready, c.spec.machines.requested])).toEqual([
      ["lab", "RUNNING", true, 3],
      ["other", "SCALING_UP", false, 3],
    ]);
    expect(sets[0]!.spec.phase).toBe("Failed");
    expect(machineStatuses.map((m) => m.spec.role)).toEqual(["CONTROL_PLANE", "WORKER", "WORKER"]);
    expect(providers[0]!.metadata.namespace).toBe("ephemeral");
    expect(backups[0]!.metadata.namespace).toBe("metrics");
    expect(backups[0]!.spec.status).toBe("Ok");
    expect(typeof backups[0]!.spec.lastbackuptime).toBe("number");
    // Every call names the full type and reads JSON; none asks twice.
    expect(fakes.calls().map((c) => c.argv.join(" ")).sort()).toEqual(
      [TYPES.clusterMachineRequestStatuses, TYPES.clusterStatuses, TYPES.machineSetStatuses, TYPES.machineStatuses, TYPES.infraProviderCombinedStatuses, TYPES.etcdBackupStatuses].map((t) => `get ${t} --output json`).sort(),
    );
  });

  it("the backend version, and omnictl's warning that it is another release", async () => {
    const lab = healthyLab();
    const fakes = await installFakeTools(lab);
    const version = await new OmniSource(runnerWith(fakes.env), undefined).list(TYPES.sysVersions, sysVersionSpec);
    expect(version.resources[0]!.spec.backendversion).toBe("v1.10.4");
    expect(version.resources[0]!.metadata.namespace).toBe("ephemeral");
    // omnictl of another release warns on stderr and still answers.
    lab.omni!.clientVersion = "1.9.3";
    fakes.setLab(lab);
    const warned = await new OmniSource(runnerWith(fakes.env), undefined).list(TYPES.sysVersions, sysVersionSpec);
    expect(warned.warnings).toEqual(['[WARN] omnictl version "1.9.3" differs from the backend version "1.10.4".']);
    expect(warned.resources).toHaveLength(1);
  });

  it("--cluster: per-cluster types without the label are kept by ID", async () => {
    const lab = healthyLab();
    lab.omni!.resources.push(omni.clusterStatus({ id: "other", total: 1 }));
    const fakes = await installFakeTools(lab);
    const statuses = await new OmniSource(runnerWith(fakes.env), "lab").get(TYPES.clusterStatuses, clusterStatusSpec, { clusterId: true });
    expect(statuses.map((s) => s.metadata.id)).toEqual(["lab"]);
    expect(fakes.calls()[0]!.argv).toEqual(["get", TYPES.clusterStatuses, "--output", "json"]);
  });

  it("a user key's browser re-login is stopped as soon as omnictl announces it, not at --timeout", async () => {
    const lab = healthyLab();
    lab.omni!.browserLogin = true;
    const fakes = await installFakeTools(lab);
    const started = Date.now();
    const error = await sourceError(new OmniSource(runnerWith(fakes.env, 20_000), undefined).get(TYPES.sysVersions, sysVersionSpec));
    expect(error.kind).toBe("auth");
    expect(error.message).toMatch(/Could not authenticate: .*invalid signature \(omnictl wanted a browser login and was stopped\)/);
    expect(error.advice).toMatch(/omnictl get clusters/);
    expect(Date.now() - started).toBeLessThan(8000);
    // No browser opens: omnictl is told to print the URL instead.
    expect(fakes.calls()[0]!.browser).toBe("echo");
  });
});

describe("talosctl: read-only commands batched like resources", () => {
  it.each(["1.13", "1.14"] as const)("`service` for three nodes, one unreachable, client %s", async (client) => {
    const lab = healthyLab();
    lab.talos!.client = client;
    lab.talos!.nodes["talos-w-2"]!.unreachable = true;
    lab.talos!.nodes["talos-w-1"]!.services = [talos.service("kubelet", "Failed", "Failed running service: error opening runner: error deleting old container instance: cannot delete running task kubelet: failed precondition")];
    const fakes = await installFakeTools(lab);
    const answer = await new TalosSource(runnerWith(fakes.env)).command(["service"], { cluster: "lab", nodes: ["talos-cp-1", "talos-w-1", "talos-w-2"] });
    const rows = parseServiceList(answer.stdout);
    expect([...new Set(rows.map((r) => r.node))]).toEqual(["talos-cp-1", "talos-w-1"]);
    expect(rows.find((r) => r.node === "talos-w-1")).toEqual({ node: "talos-w-1", service: "kubelet", state: "Failed", health: "Fail", lastEvent: expect.stringMatching(/cannot delete running task kubelet: failed precondition$/) });
    expect(rows.filter((r) => r.node === "talos-cp-1").map((r) => r.service)).toEqual(["apid", "containerd", "cri", "etcd", "kubelet", "machined", "trustd", "udevd"]);
    expect(Object.keys(answer.nodeErrors)).toEqual(["talos-w-2"]);
    expect(answer.nodeErrors["talos-w-2"]).toMatch(/connection refused/);
    expect(fakes.calls().map((c) => c.argv)).toEqual([["--cluster", "lab", "--nodes", "talos-cp-1,talos-w-1,talos-w-2", "service"]]);
  });

  it("every node down is a source error for commands too", async () => {
    const lab = healthyLab();
    for (const node of Object.values(lab.talos!.nodes)) node.unreachable = true;
    for (const client of ["1.13", "1.14"] as const) {
      lab.talos!.client = client;
      const error = await sourceError(new TalosSource(runnerWith((await installFakeTools(lab)).env)).command(["service"], { nodes: ["talos-cp-1", "talos-w-1"] }));
      expect(error.kind).toBe("unreachable");
    }
  });

  it.each(["1.13", "1.14"] as const)("every resource type of the Talos checks, one call each, one node of three unreachable (client %s)", async (client) => {
    const lab = healthyLab();
    lab.talos!.client = client;
    lab.talos!.nodes["talos-w-1"]!.unreachable = true;
    const fakes = await installFakeTools(lab);
    const source = new TalosSource(runnerWith(fakes.env));
    const target = { cluster: "lab", nodes: ["talos-cp-1", "talos-w-1", "talos-w-2"] };
    const [statuses, volumes] = await Promise.all([source.get("machinestatuses", target, machineStatusSpec), source.get("volumestatuses", target, volumeStatusSpec)]);
    expect(statuses.resources.map((r) => [r.node, r.spec.stage, r.spec.status?.ready])).toEqual([
      ["talos-cp-1", "running", true],
      ["talos-w-2", "running", true],
    ]);
    expect(volumes.resources.filter((r) => r.node === "talos-w-2").map((r) => `${r.metadata.id} ${r.spec.phase}`)).toEqual(["EPHEMERAL ready", "META ready", "STATE ready"]);
    for (const answer of [statuses, volumes]) expect(Object.keys(answer.nodeErrors)).toEqual(["talos-w-1"]);
    expect(fakes.calls()).toHaveLength(2);
  });
});

describe("talosctl ≤ 1.13: whose error is an anonymous multierror", () => {
  it("an address in the error names the node; a type some nodes lack leaves it open, and says so", async () => {
    const lab = healthyLab();
    lab.talos!.nodes = { "10.0.0.21": talos.healthyNode("controlplane", "10.0.0.21"), "10.0.0.31": talos.healthyNode("worker", "10.0.0.31"), "10.0.0.32": { unreachable: true, resources: [] } };
    const source = new TalosSource(runnerWith((await installFakeTools(lab)).env));
    const target = { nodes: ["10.0.0.21", "10.0.0.31", "10.0.0.32"] };
    // Workers have no etcd member, so two nodes print nothing; the error names 10.0.0.32.
    const members = await source.get("etcdmembers", target, etcdMemberSpec);
    expect(members.resources.map((r) => r.node)).toEqual(["10.0.0.21"]);
    expect(Object.keys(members.nodeErrors)).toEqual(["10.0.0.32"]);

    lab.talos!.nodes = { "talos-cp-1": talos.healthyNode("controlplane", "10.0.0.21"), "talos-w-1": talos.healthyNode("worker", "10.0.0.31"), "talos-w-2": { unreachable: true, resources: [] } };
    const byName = new TalosSource(runnerWith((await installFakeTools(lab)).env));
    // KubeSpan is off: nobody prints a peer, one node failed, talosctl does not say which.
    const peers = await byName.get("kubespanpeerstatuses", { nodes: ["talos-cp-1", "talos-w-1", "talos-w-2"] }, kubeSpanPeerStatusSpec);
    expect(peers.resources).toEqual([]);
    expect(Object.keys(peers.nodeErrors)).toEqual(["talos-cp-1", "talos-w-1", "talos-w-2"]);
    expect(peers.nodeErrors["talos-w-1"]).toMatch(/connection refused.*\(talosctl ≤ 1.13 does not say which node: 1 of talos-cp-1, talos-w-1, talos-w-2\)$/);
  });
});

describe("the reference samples of talosctl output parse with our specs", () => {
  const sample = (name: string) => readFileSync(join(ROOT_DIR, "fixtures/samples/talos", name), "utf8");
  it("machine status, volumes, KubeSpan peers, addresses, services", () => {
    const statuses = parseStream("talos", "machinestatus", sample("get-machinestatus.two-nodes.json"), talosEnvelope(machineStatusSpec));
    expect(statuses.map((s) => [s.node, s.spec.status?.unmetConditions.map((c) => c.reason)])).toEqual([
      ["10.0.0.21", []],
      ["10.0.0.31", ["kubelet not running"]],
    ]);
    const volumes = parseStream("talos", "volumestatus", sample("get-volumestatus.installed.json"), talosEnvelope(volumeStatusSpec));
    expect(volumes.map((v) => `${v.metadata.id} ${v.spec.phase}`)).toEqual(["META ready", "STATE ready"]);
    expect(volumes[0]!.metadata.labels["talos.dev/system-volume"]).toBe("");
    const peers = parseStream("talos", "kubespanpeerstatuses", sample("get-kubespanpeerstatuses.json"), talosEnvelope(kubeSpanPeerStatusSpec));
    expect(peers.map((p) => `${p.spec.label} ${p.spec.state}`)).toEqual(["talos-cp-2 up", "talos-w-2 down", "talos-cp-3 unknown"]);
    expect(parseStream("talos", "addresses", sample("get-addresses.worker-dual-ip.json"), talosEnvelope(addressStatusSpec)).filter((a) => a.spec.linkName === "ens18")).toHaveLength(2);
    const services = parseServiceList(sample("services.kubelet-failed.txt"));
    expect(services).toHaveLength(9);
    expect(services.find((s) => s.service === "kubelet")).toMatchObject({ state: "Failed", health: "Fail", lastEvent: expect.stringMatching(/^Failed running service: .*cannot delete running task kubelet: failed precondition$/) });
    expect(services.find((s) => s.service === "dashboard")!.lastEvent).toBe('Process Process(["/sbin/dashboard"]) started with PID 1943');
  });
});
