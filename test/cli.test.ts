/**
 * The CLI as users and scripts see it: the built dist/ run as a process, against the harness.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, cleanEnv, harnessEnv, ROOT, runCli } from "./harness/cli.ts";
import { reportSchema, type ReportJson } from "../src/model/result.ts";
import { loadRegistry } from "../src/engine/registry.ts";
import type { Check } from "../src/engine/check.ts";
import { factOf, isOptional } from "../src/engine/fact.ts";
import { installFakeTools, type FakeTools } from "./harness/fake-tools.ts";
import { startPveServer, type PveServer } from "./harness/pve-server.ts";
import { startKubeServer, type KubeServer } from "./harness/kube-server.ts";
import { startDnsServers, type DnsServers } from "./harness/dns-server.ts";
import { DRIFT, driftLab, fleetLab, healthyLab, IDS, TOKEN_SECRET } from "./harness/labs.ts";
import { talos } from "./harness/lab/talos.ts";
import { omni } from "./harness/lab/omni.ts";
import { providerVm } from "./harness/lab/pve.ts";
import type { Lab } from "./harness/lab/model.ts";
import { listen, type Listener } from "./harness/tcp-ports.ts";

const DEMO = "fixtures/demo-lab";
const DEMO_REPLAY = ["check", DEMO, "--replay", `${DEMO}/recording`];

function parseReport(stdout: string): ReportJson {
  return reportSchema.parse(JSON.parse(stdout));
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "omni-doctor-cli-"));
}

function hashTree(dir: string): string {
  const hash = createHash("sha256");
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(path).update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest("hex");
}

describe("omni-doctor (the built CLI)", () => {
  it("the built entry point is executable, as `npx omni-doctor` runs it directly", () => {
    expect(statSync(CLI).mode & 0o111).toBe(0o111);
  });

  it("--version answers quickly", async () => {
    const result = await runCli(["--version"]);
    expect(result).toMatchObject({ exitCode: 0, stdout: `${JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version}\n` });
  });

  it("no kit, no tools, no credentials: exit 0, every check skipped with its reason", async () => {
    const empty = tempDir();
    const result = await runCli(["check", empty, "--format", "json"]);
    expect(result.exitCode).toBe(0);
    const report = parseReport(result.stdout);
    expect(report.results.length).toBeGreaterThanOrEqual(6);
    for (const r of report.results) {
      expect(r.status, r.check).toBe("skip");
      expect(r.message.length).toBeGreaterThan(10);
    }
    expect(report.results.find((r) => r.check === "omni/stuck-destroying")!.message).toMatch(/omnictl is not installed.*install it/);
    expect(report.results.find((r) => r.check === "proxmox/vm-cpu")!.message).toMatch(/PROXMOX_URL/);
  });

  it("--format json on the demo lab: exactly the CONTRACT shape and nothing else on stdout", async () => {
    const result = await runCli([...DEMO_REPLAY, "--format", "json"]);
    expect(result.exitCode).toBe(1);
    const report = parseReport(result.stdout);
    expect(report.summary.failed).toBeGreaterThanOrEqual(7);
    // Every answer the checks need is in the recording.
    expect(report.results.filter((r) => /not recorded|has no answer/.test(r.message))).toEqual([]);
    expect(new Set(report.results.filter((r) => r.status === "fail").map((r) => r.check))).toEqual(
      new Set(["template/nested-sections", "omni/stuck-destroying", "proxmox/vm-cpu", "network/split-horizon-dns", "talos/dual-ip", "talos/kubelet-zombie", "kube/nodes"]),
    );
    for (const r of report.results.filter((r) => r.status === "fail")) expect(r.fix?.steps.length, r.check).toBeGreaterThan(0);
    expect(result.stdout.trimEnd().endsWith("}")).toBe(true);
  });

  it("the human report: grouped, fixes under failures, a summary line; ASCII marks when asked", async () => {
    const result = await runCli(DEMO_REPLAY);
    expect(result.stdout).toMatch(/^template$/m);
    expect(result.stdout).toMatch(/✗ template\/nested-sections/);
    expect(result.stdout).toMatch(/\$ omnictl delete clustermachine 7c1d5e2a-0013-4b3c-9d8e-0f1a2b3c4d5e \(destructive\)/);
    expect(result.stdout).toMatch(/✗ \d+ failed · ! \d+ warnings? · ✓ \d+ passed · - \d+ skipped · \? 0 errors/);
    const ascii = await runCli(DEMO_REPLAY, { env: cleanEnv({ OMNI_DOCTOR_ASCII: "1" }) });
    expect(ascii.stdout).toMatch(/\[FAIL\] template\/nested-sections/);
    expect(ascii.stdout).not.toMatch(/[✗✓]/);
    expect(result.stderr).toBe("");
  });

  it("--output writes the report to a file and leaves stdout empty", async () => {
    const out = join(tempDir(), "report.json");
    const result = await runCli([...DEMO_REPLAY, "--format", "json", "--output", out]);
    expect(result.stdout).toBe("");
    expect(parseReport(readFileSync(out, "utf8")).summary.failed).toBeGreaterThan(0);
  });

  it("--only and --skip select by id, domain and glob", async () => {
    const only = parseReport((await runCli([...DEMO_REPLAY, "--format", "json", "--only", "template,kube/*"])).stdout);
    const selected = new Set(only.results.map((r) => r.check));
    expect([...selected].filter((id) => !/^(template|kube)\//.test(id))).toEqual([]);
    expect(selected).toContain("template/nested-sections");
    expect(selected).toContain("kube/nodes");
    const skip = parseReport((await runCli([...DEMO_REPLAY, "--format", "json", "--skip", "network"])).stdout);
    expect(skip.results.some((r) => r.check.startsWith("network/"))).toBe(false);
  });

  it("--fail-on decides the exit code", async () => {
    expect((await runCli([...DEMO_REPLAY, "--fail-on", "never"])).exitCode).toBe(0);
    expect((await runCli([...DEMO_REPLAY, "--only", "kube/nodes"])).exitCode).toBe(1);
  });

  it.each([
    [["check", DEMO, "--format", "yaml"], /^omni-doctor: --format must be one of human, json, sarif, junit, github, markdown, got "yaml"\n$/],
    [["check", "no/such/dir"], /^omni-doctor: no\/such\/dir: not a directory\n$/],
    [["check", DEMO, "--only", "tmplate"], /^omni-doctor: "tmplate" matches no check id, domain or glob/],
    [["check", DEMO, "--timeout", "soon"], /^omni-doctor: --timeout must be a positive number/],
    [["check", DEMO, "--bogus"], /^omni-doctor: unknown option '--bogus'/],
    [["check", DEMO, "--replay", "fixtures"], /^omni-doctor: .*not a recording/],
    [["explain", "nope/nothing"], /^omni-doctor: no check "nope\/nothing"/],
  ])("usage error %j: one line, exit 2, no stack trace", async (args, message) => {
    const result = await runCli(args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stdout).toBe("");
  });

  it("a broken omni-doctor.yaml is one line with file, line and column", async () => {
    const kit = tempDir();
    writeFileSync(join(kit, "omni-doctor.yaml"), "proxmox:\n  url: https://pve:8006\n  tokenid: x\n");
    const unknown = await runCli(["check", kit]);
    expect(unknown).toMatchObject({ exitCode: 2 });
    expect(unknown.stderr).toMatch(/omni-doctor\.yaml:3:3: proxmox\.tokenid: unknown key "tokenid"\n$/);
    writeFileSync(join(kit, "omni-doctor.yaml"), "proxmox:\n  url: [unclosed\n");
    const syntax = await runCli(["check", kit]);
    expect(syntax.exitCode).toBe(2);
    expect(syntax.stderr).toMatch(/omni-doctor\.yaml:\d+:\d+: /);
  });

  it("list, explain and why", async () => {
    const list = await runCli(["list"]);
    expect(list.stdout).toMatch(/^template\/nested-sections\s+error\s+files\s+Cluster template uses nested sections$/m);
    const explain = await runCli(["explain", "proxmox/vm-cpu"]);
    expect(explain.stdout).toMatch(/^## Symptom$/m);
    expect(explain.stdout).toMatch(/^sources: pve$/m);
    const why = await runCli(["why", "x86_64 microarchitecture level 2 or higher is required, halting"]);
    expect(why.stdout).toMatch(/^1\. proxmox\/vm-cpu: /);
    const fromStdin = await runCli(["why"], { input: "Error: field controlPlane not found in type models.Cluster\n" });
    expect(fromStdin.stdout).toMatch(/^1\. template\/nested-sections/);
    const nothing = await runCli(["why", "all good here"]);
    expect(nothing.exitCode).toBe(1);
  });

  it("fix --dry-run prints the plan with the edit's diff and changes nothing", async () => {
    const kit = tempDir();
    cpSync(join(ROOT, DEMO), kit, { recursive: true });
    const before = hashTree(kit);
    const result = await runCli(["fix", kit, "--dry-run", "--replay", join(kit, "recording")]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Fix plan \(dry run: nothing was changed\)/);
    expect(result.stdout).toMatch(/^\s+\+kind: ControlPlane$/m);
    expect(result.stdout).toMatch(/omnictl delete clustermachine/);
    expect(hashTree(kit)).toBe(before);
  });
});

describe("a live run against the harness: fakes on PATH, real kubectl, HTTPS PVE, UDP DNS", () => {
  let pve: PveServer;
  let kubeServer: KubeServer;
  let dns: DnsServers;
  let lab: Lab;
  let kit: string;
  let omniPorts: Listener[];

  beforeAll(async () => {
    lab = healthyLab();
    // Problems: talos-w-1 dual IP, VM 102 with kvm64, pve2 resolving through a Tailscale-answering resolver, one stuck machine.
    lab.talos!.nodes["talos-w-1"]!.resources.push(talos.address("ens18", "10.0.0.157/24"));
    lab.pve!.vms = lab.pve!.vms.map((vm) => (vm.vmid === 102 ? providerVm({ vmid: 102, node: "pve1", name: "lab-workers-x2", uuid: IDS.w1, config: { cpu: "kvm64" } }) : vm));
    lab.pve!.nodes[1]!.dns = { dns1: "127.0.0.3" };
    lab.dns!["127.0.0.3"] = { "omni.lab.example": { rcode: "NOERROR", addresses: ["100.101.102.103"] } };
    lab.omni!.resources.push(omni.clusterMachineStatus({ id: "dead0000-0000-4000-8000-000000000001", cluster: "lab", nodeName: "talos-w-9", stage: "DESTROYING", updated: "2026-01-01T00:00:00Z" }));
    pve = await startPveServer(lab);
    kubeServer = await startKubeServer(lab, { token: "lab-token" });
    dns = await startDnsServers(lab);
    kit = tempDir();
    // Omni's ports, published on loopback so the port probes connect for real.
    omniPorts = await Promise.all([listen(), listen(), listen()]);
    const [api, machineApi, k8sProxy] = omniPorts.map((l) => l.port);
    writeFileSync(
      join(kit, "compose.yaml"),
      `services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    devices: [/dev/net/tun]\n    cap_add: [NET_ADMIN]\n    volumes: [./etcd:/_out/etcd]\n    ports: ["127.0.0.1:${api}:${api}", "127.0.0.1:${machineApi}:${machineApi}", "127.0.0.1:${k8sProxy}:${k8sProxy}", "127.0.0.1:50180:50180/udp"]\n    command:\n      - --advertised-api-url=https://omni.lab.example:${api}/\n      - --machine-api-advertised-url=https://omni.lab.example:${machineApi}/\n      - --advertised-kubernetes-proxy-url=https://omni.lab.example:${k8sProxy}/\n      - --siderolink-wireguard-advertised-addr=127.0.0.1:50180\n      - --sqlite-storage-path=/_out/etcd/omni.db\n      - --initial-users=admin@lab.example\n`,
    );
  });
  afterAll(async () => {
    await Promise.all([pve.close(), kubeServer.close(), dns.close(), ...omniPorts.map((l) => l.close())]);
  });

  function env(fakesPath: string, extra: Record<string, string> = {}) {
    return harnessEnv({ pve, kube: kubeServer, dns }, { ...extra, PATH: `${fakesPath}:/usr/bin:/bin` });
  }

  it("finds the problems, each external query asked once; a recording replays to the same report", async () => {
    const fakes = await installFakeTools(lab);
    const recording = join(tempDir(), "rec");
    const live = await runCli(["check", kit, "--format", "json", "--record", recording], { env: { ...env(fakes.binDir), } });
    const report = parseReport(live.stdout);
    const failing = report.results.filter((r) => r.status === "fail").map((r) => `${r.check} ${r.subject}`);
    expect(failing).toEqual([
      "omni/stuck-destroying cluster machine dead0000-0000-4000-8000-000000000001 (talos-w-9) in cluster lab",
      "proxmox/vm-cpu VM 102 (lab-workers-x2) on pve1",
      "network/split-horizon-dns Proxmox node pve2, resolver 127.0.0.3",
      "talos/dual-ip node talos-w-1",
    ]);
    expect(report.results.find((r) => r.check === "kube/nodes")!.status).toBe("pass");
    const calls = fakes.calls().map((c) => `${c.tool} ${c.argv.join(" ")}`);
    // talos-w-9 is being destroyed: it is not asked. One call per resource type for all nodes.
    const talosCalls = calls.filter((c) => c.startsWith("talosctl"));
    expect(talosCalls).toContain("talosctl --cluster lab --nodes talos-cp-1,talos-w-1,talos-w-2 get addresses --output json");
    for (const call of talosCalls) expect(call).toMatch(/^talosctl --cluster lab --nodes talos-cp-1,talos-w-1,talos-w-2 (get \S+ --output json|service)$/);
    expect(new Set(calls).size).toBe(calls.length);
    const pveRequests = pve.requests.map((r) => `${r.method} ${r.path}`);
    expect(new Set(pveRequests).size).toBe(pveRequests.length);
    expect(kubeServer.lists().filter((p) => p === "/api/v1/nodes")).toHaveLength(1);

    const recorded = readdirSync(recording).sort();
    expect(recorded).toEqual(["dns", "kube", "net", "omni", "pve", "recording.yaml", "talos"]);
    const allText = readdirSync(recording, { recursive: true })
      .map((f) => join(recording, String(f)))
      .filter((f) => statSync(f).isFile())
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    expect(allText).not.toContain(TOKEN_SECRET);

    const replay = await runCli(["check", kit, "--format", "json", "--replay", recording]);
    const replayed = parseReport(replay.stdout);
    expect(replayed.results.map((r) => [r.check, r.status, r.subject, r.message])).toEqual(report.results.map((r) => [r.check, r.status, r.subject, r.message]));
  });

  it("TLS verification turned off is a proxmox/api warning in the report, not only in the header", async () => {
    const fakes = await installFakeTools(lab);
    const { PROXMOX_CA: _ca, ...insecure } = env(fakes.binDir, { PROXMOX_INSECURE: "1" });
    const json = await runCli(["check", kit, "--format", "json", "--only", "proxmox/api"], { env: insecure });
    expect(parseReport(json.stdout).results).toMatchObject([{ check: "proxmox/api", status: "warn", severity: "warning", message: expect.stringMatching(/TLS verification is off/) }]);
    const human = await runCli(["check", kit, "--only", "proxmox/api"], { env: insecure });
    expect(human.stdout).toMatch(/TLS NOT verified \(insecure\)/);
  });

  it("a slow Proxmox node hits --timeout: its results are errors, the run ends soon after, exit 2", async () => {
    const fakes = await installFakeTools(lab);
    const slow: Lab = JSON.parse(JSON.stringify(lab));
    slow.pve!.nodes[1]!.delayMs = 5000;
    pve.setLab(slow);
    try {
      const result = await runCli(["check", kit, "--format", "json", "--only", "proxmox,machine-class", "--timeout", "1"], { env: env(fakes.binDir) });
      expect(result.exitCode).toBe(2);
      const report = parseReport(result.stdout);
      expect(report.results.filter((r) => r.status === "error").map((r) => r.subject)).toEqual(expect.arrayContaining(["VM 103 (lab-workers-x3) on pve2"]));
      expect(report.results.find((r) => r.check === "proxmox/vm-cpu" && r.subject?.includes("VM 102"))!.status).toBe("fail");
      // Nothing may keep the process alive after the report: well under the 5 s the node takes.
      expect(result.durationMs).toBeLessThan(4500);
    } finally {
      pve.setLab(lab);
    }
  });

  it("--offline starts no process and opens no socket", async () => {
    const fakes = await installFakeTools(lab);
    const pveBefore = pve.requests.length;
    const kubeBefore = kubeServer.requests.length;
    const dnsBefore = dns.queries.length;
    const result = await runCli(["check", kit, "--offline", "--format", "json"], { env: { ...env(fakes.binDir), } });
    expect(result.exitCode).toBe(0);
    expect(fakes.calls()).toEqual([]);
    expect(pve.requests.length).toBe(pveBefore);
    expect(kubeServer.requests.length).toBe(kubeBefore);
    expect(dns.queries.length).toBe(dnsBefore);
    // Checks that need only the kit (other sources optional) still run offline; every other one is skipped.
    const needsOnlyKit = (c: Check) => Object.values(c.facts).every((spec) => isOptional(spec) || factOf(spec).source === "files");
    const fileChecks = new Set((await loadRegistry()).checks.filter(needsOnlyKit).map((c) => c.meta.id));
    const live = parseReport(result.stdout).results.filter((r) => !fileChecks.has(r.check));
    for (const r of live) expect(r, r.check).toMatchObject({ status: "skip", message: expect.stringMatching(/--offline/) });
  });
});

describe("Omni and Talos at scale, drift, expired logins, the detected Omni version", () => {
  let pve: PveServer;
  let kubeServer: KubeServer;
  let dns: DnsServers;
  const empty = tempDir();
  afterAll(async () => {
    await Promise.all([pve?.close(), kubeServer?.close(), dns?.close()]);
  });

  function env(fakes: FakeTools, extra: Record<string, string> = {}) {
    return harnessEnv({ fakes, pve, kube: kubeServer, dns }, extra);
  }

  async function start(lab: Lab) {
    await Promise.all([pve?.close(), kubeServer?.close(), dns?.close()]);
    [pve, kubeServer, dns] = await Promise.all([startPveServer(lab), startKubeServer(lab, { token: "lab-token" }), startDnsServers(lab)]);
  }

  it("3 control planes + 20 workers: one talosctl call per resource type for all 23 nodes, no query asked twice", async () => {
    const lab = fleetLab(3, 20);
    await start(lab);
    const fakes = await installFakeTools(lab);
    const result = await runCli(["check", empty, "--format", "json"], { env: env(fakes) });
    const report = parseReport(result.stdout);
    expect(report.results.filter((r) => r.status === "fail" || r.status === "error").map((r) => `${r.check} ${r.subject}: ${r.message}`)).toEqual([]);
    const calls = fakes.calls().map((c) => `${c.tool} ${c.argv.join(" ")}`);
    const talosCalls = calls.filter((c) => c.startsWith("talosctl"));
    const allNodes = [...Array.from({ length: 3 }, (_, i) => `talos-cp-${i + 1}`), ...Array.from({ length: 20 }, (_, i) => `talos-w-${i + 1}`)].sort().join(",");
    for (const call of talosCalls) expect(call).toMatch(new RegExp(`^talosctl --cluster fleet --nodes ${allNodes} (get \\S+ --output json|service)$`));
    const perType = talosCalls.map((c) => c.split(" ").slice(5, 7).join(" "));
    expect(new Set(perType).size).toBe(perType.length);
    expect(perType.sort()).toEqual(["get addresses", "get etcdmembers", "get kubespanpeerstatuses", "get machinestatuses", "get versions", "get volumestatuses", "service"]);
    const omniCalls = calls.filter((c) => c.startsWith("omnictl"));
    for (const call of omniCalls) expect(call).toMatch(/^omnictl get [A-Z][A-Za-z]+\.(omni|system)\.sidero\.dev( --namespace [a-z-]+)? --output json$/);
    expect(new Set(calls).size).toBe(calls.length);
    const pveRequests = pve.requests.map((r) => `${r.method} ${r.path}`);
    expect(new Set(pveRequests).size).toBe(pveRequests.length);
    const lists = kubeServer.lists();
    expect(new Set(lists).size).toBe(lists.length);
  }, 60_000);

  it("fix --dry-run on the drift fixture: delete the orphaned cluster machine, destroy the leftover VM, and change nothing", async () => {
    const lab = driftLab();
    await start(lab);
    const fakes = await installFakeTools(lab);
    const result = await runCli(["fix", empty, "--dry-run"], { env: env(fakes) });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`omnictl delete clustermachine ${DRIFT.goneMachine}`);
    expect(result.stdout).toMatch(new RegExp(`DELETE /nodes/pve2/qemu/${DRIFT.zombieVmid}`));
    expect(result.stdout).not.toMatch(/omnictl delete machine /);
    // Nothing mutating was run: omnictl only read, talosctl only listed, Proxmox only answered GETs.
    for (const call of fakes.calls()) {
      if (call.tool === "omnictl") expect(call.argv[0]).toBe("get");
      else expect(call.argv.slice(4)[0]).toMatch(/^(get|service)$/);
      if (call.tool === "talosctl" && call.argv.includes("service")) expect(call.argv.at(-1)).toBe("service");
    }
    expect(pve.requests.every((r) => r.method === "GET")).toBe(true);
  }, 60_000);

  it("an expired user login makes omni/auth fail at once: no browser, no waiting for --timeout", async () => {
    const lab = healthyLab();
    lab.omni!.browserLogin = true;
    await start(lab);
    const fakes = await installFakeTools(lab);
    const result = await runCli(["check", empty, "--format", "json", "--only", "omni", "--timeout", "30"], { env: env(fakes) });
    expect(result.durationMs).toBeLessThan(15_000);
    const report = parseReport(result.stdout);
    const auth = report.results.find((r) => r.check === "omni/auth")!;
    expect(auth).toMatchObject({ status: "fail", message: expect.stringMatching(/Could not authenticate.*browser login and was stopped/) });
    expect(auth.fix!.steps[0]).toMatchObject({ kind: "command", argv: ["omnictl", "get", "clusters"] });
    expect(fakes.calls().every((c) => c.browser === "echo")).toBe(true);
  }, 60_000);

  it("--omni-version defaults to the backend's release, asked once; the flag and --offline skip the question", async () => {
    const lab = healthyLab();
    lab.omni!.resources = lab.omni!.resources.map((r) => (r.type === "SysVersions.system.sidero.dev" ? omni.sysVersion("v1.9.3") : r));
    await start(lab);
    const kit = tempDir();
    writeFileSync(join(kit, "cluster.yaml"), "kind: Cluster\nname: lab\nkubernetes:\n  version: v1.35.2\ntalos:\n  version: v1.12.4\ncontrolPlane:\n  machineClass:\n    name: cp\n    size: 1\n");
    const nested = async (args: string[]) => {
      const fakes = await installFakeTools(lab);
      const report = parseReport((await runCli(["check", kit, "--format", "json", "--only", "template/nested-sections,omni/auth", ...args], { env: env(fakes) })).stdout);
      const sysVersionCalls = fakes.calls().filter((c) => c.argv[1] === "SysVersions.system.sidero.dev").length;
      return { evidence: report.results.find((r) => r.check === "template/nested-sections")!.evidence![0]!, sysVersionCalls };
    };
    // Omni 1.6–1.9 words strict-decoding errors on indented lines; 1.10 on one line.
    expect(await nested([])).toEqual({ evidence: expect.stringMatching(/construct errors:\n {2}line 7: field controlPlane not found/), sysVersionCalls: 1 });
    expect(await nested(["--omni-version", "1.10.4"])).toEqual({ evidence: expect.stringMatching(/construct errors: line 7: field controlPlane/), sysVersionCalls: 1 });
    expect(await nested(["--offline"])).toEqual({ evidence: expect.stringMatching(/construct errors: line 7/), sysVersionCalls: 0 });
  }, 60_000);
});
