/**
 * The CLI as users and scripts see it: the built dist/ run as a process, against the harness.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnv, ROOT, runCli } from "./harness/cli.ts";
import { reportSchema, type ReportJson } from "../src/model/result.ts";
import { loadRegistry } from "../src/engine/registry.ts";
import type { Check } from "../src/engine/check.ts";
import { factOf, isOptional } from "../src/engine/fact.ts";
import { installFakeTools } from "./harness/fake-tools.ts";
import { startPveServer, type PveServer } from "./harness/pve-server.ts";
import { startKubeServer, type KubeServer } from "./harness/kube-server.ts";
import { startDnsServers, type DnsServers } from "./harness/dns-server.ts";
import { healthyLab, IDS, TOKEN_ID, TOKEN_SECRET } from "./harness/labs.ts";
import { talos } from "./harness/lab/talos.ts";
import { omni } from "./harness/lab/omni.ts";
import { providerVm } from "./harness/lab/pve.ts";
import type { Lab } from "./harness/lab/model.ts";

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
    expect(report.summary.failed).toBeGreaterThanOrEqual(6);
    expect(new Set(report.results.filter((r) => r.status === "fail").map((r) => r.check))).toEqual(
      new Set(["template/nested-sections", "omni/stuck-destroying", "proxmox/vm-cpu", "network/split-horizon-dns", "talos/dual-ip", "kube/nodes"]),
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
    const selected = only.results.map((r) => r.check);
    expect(selected).toEqual(expect.arrayContaining(["template/nested-sections", "kube/nodes"]));
    expect(selected.filter((id) => !id.startsWith("template/") && !id.startsWith("kube/"))).toEqual([]);
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
    writeFileSync(join(kit, "compose.yaml"), "services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    command:\n      - --machine-api-advertised-url=https://omni.lab.example:8090/\n");
  });
  afterAll(async () => {
    await Promise.all([pve.close(), kubeServer.close(), dns.close()]);
  });

  function env(fakesPath: string, extra: Record<string, string> = {}) {
    return cleanEnv({
      ...extra,
      PATH: `${fakesPath}:/usr/bin:/bin`,
      HOME: kubeServer.home,
      KUBECONFIG: kubeServer.kubeconfig,
      PROXMOX_URL: pve.url,
      PROXMOX_TOKEN_ID: TOKEN_ID,
      PROXMOX_TOKEN_SECRET: TOKEN_SECRET,
      PROXMOX_CA: pve.certFile,
      OMNI_DOCTOR_DNS_PORT: String(dns.port),
    });
  }

  it("finds the problems, each external query asked once; a recording replays to the same report", async () => {
    const fakes = installFakeTools(lab);
    const recording = join(tempDir(), "rec");
    const live = await runCli(["check", kit, "--format", "json", "--record", recording], { env: { ...env(fakes.binDir), FAKE_LAB: fakes.labFile, FAKE_LOG: fakes.logFile } });
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
    // talos-w-9 is being destroyed: it is not asked.
    expect(calls.filter((c) => c.startsWith("talosctl"))).toEqual(["talosctl --cluster lab --nodes talos-cp-1,talos-w-1,talos-w-2 get addresses --output json"]);
    expect(new Set(calls).size).toBe(calls.length);
    const pveRequests = pve.requests.map((r) => `${r.method} ${r.path}`);
    expect(new Set(pveRequests).size).toBe(pveRequests.length);
    expect(kubeServer.lists().filter((p) => p === "/api/v1/nodes")).toHaveLength(1);

    const recorded = readdirSync(recording).sort();
    expect(recorded).toEqual(["dns", "kube", "omni", "pve", "recording.yaml", "talos"]);
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

  it("--offline starts no process and opens no socket", async () => {
    const fakes = installFakeTools(lab);
    const pveBefore = pve.requests.length;
    const kubeBefore = kubeServer.requests.length;
    const dnsBefore = dns.queries.length;
    const result = await runCli(["check", kit, "--offline", "--format", "json"], { env: { ...env(fakes.binDir), FAKE_LAB: fakes.labFile, FAKE_LOG: fakes.logFile } });
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
