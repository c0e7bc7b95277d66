/**
 * Fault injection: one source at a time fails in each way it can in the field. Every fault gives
 * named skip/error results with advice for the checks that need that source, the run ends within
 * --timeout plus a second, and every check that does not need the faulty source reports exactly
 * what it reports on a healthy run. Ctrl-C kills child processes and still prints a report.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { createServer, type AddressInfo } from "node:net";
import { CLI, harnessEnv, runCli } from "./harness/cli.ts";
import { installFakeTools } from "./harness/fake-tools.ts";
import { startPveServer, type PveServer } from "./harness/pve-server.ts";
import { startKubeServer, type KubeServer } from "./harness/kube-server.ts";
import { startDnsServers, type DnsServers } from "./harness/dns-server.ts";
import { healthyLab } from "./harness/labs.ts";
import type { Lab } from "./harness/lab/model.ts";
import { reportSchema, type ReportJson, type SourceName } from "../src/model/result.ts";

const TIMEOUT_S = 2;

/** A loopback port nothing listens on. */
const closedPort = await new Promise<number>((resolve) => {
  const server = createServer().listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    server.close(() => resolve(port));
  });
});

interface Fault {
  name: string;
  source: SourceName;
  /** What the affected checks' messages must say. */
  message: RegExp;
  lab?: (lab: Lab) => void;
  env?: (env: Record<string, string>) => void;
}

const FAULTS: Fault[] = [
  { name: "omnictl missing", source: "omni", message: /omnictl is not installed.*install it/, env: (e) => void (e.OMNI_DOCTOR_OMNICTL = "/nonexistent/omnictl") },
  { name: "omnictl hangs", source: "omni", message: /no answer within 2s/, lab: (l) => void (l.omni!.hang = true) },
  { name: "omnictl exits non-zero", source: "omni", message: /failed to list/, lab: (l) => void (l.omni!.failure = { exitCode: 1, stderr: "Error: failed to list resources: rpc error: code = Internal desc = boom\n" }) },
  { name: "omnictl prints garbage", source: "omni", message: /not a JSON stream/, lab: (l) => void (l.omni!.rawStdout = "<html>502 Bad Gateway</html>\n") },
  { name: "omnictl prints truncated JSON", source: "omni", message: /truncated JSON/, lab: (l) => void (l.omni!.rawStdout = '{\n    "metadata": {\n        "id": "x"') },
  { name: "Omni session expired", source: "omni", message: /invalid signature.*(log in again|login expired)/, lab: (l) => void (l.omni!.failure = { exitCode: 1, stderr: "Error: rpc error: code = Unauthenticated desc = invalid signature\n" }) },
  { name: "talosctl hangs", source: "talos", message: /no answer within 2s/, lab: (l) => void (l.talos!.hang = true) },
  { name: "talosctl certificate expired", source: "talos", message: /expired certificate.*fresh talosconfig/, lab: (l) => void (l.talos!.failure = { exitCode: 1, stderr: 'rpc error: code = Unavailable desc = connection error: desc = "error reading server preface: remote error: tls: expired certificate"\n' }) },
  { name: "kubectl 401", source: "kube", message: /credentials were refused/, lab: (l) => void (l.kube!.failure = { status: 401 }) },
  { name: "Kubernetes API never answers", source: "kube", message: /no answer within 2s/, lab: (l) => void (l.kube!.hang = true) },
  { name: "Proxmox 401", source: "pve", message: /401 Authentication failed!/, env: (e) => void (e.PROXMOX_TOKEN_SECRET = "00000000-0000-4000-8000-000000000001") },
  { name: "Proxmox 403", source: "pve", message: /403 Permission check failed/, lab: (l) => void (l.pve!.overrides = { "GET /nodes": { status: 403, statusText: "Permission check failed (/nodes, Sys.Audit)" }, "GET /cluster/resources": { status: 403, statusText: "Permission check failed (/vms, VM.Audit)" } }) },
  { name: "Proxmox 500", source: "pve", message: /500 /, lab: (l) => void (l.pve!.overrides = { "GET /nodes": { status: 500, statusText: "pveproxy internal error" }, "GET /cluster/resources": { status: 500, statusText: "pveproxy internal error" } }) },
  { name: "Proxmox 595 on every node call", source: "pve", message: /595|no problem|Talos VM/, lab: (l) => void l.pve!.nodes.forEach((n) => (n.status = "offline")) },
  { name: "Proxmox TLS certificate not trusted", source: "pve", message: /TLS verification failed/, env: (e) => void delete e.PROXMOX_CA },
  { name: "Proxmox connection refused", source: "pve", message: /ECONNREFUSED/, env: (e) => void (e.PROXMOX_URL = `https://127.0.0.1:${closedPort}/api2/json`) },
];

describe("fault injection", () => {
  let pve: PveServer;
  let kube: KubeServer;
  let dns: DnsServers;
  let kit: string;
  let baseline: ReportJson;
  let baselineMs: number;
  let sourcesOf: Map<string, SourceName[]>;

  async function run(lab: Lab, tweak?: (env: Record<string, string>) => void): Promise<{ report: ReportJson; elapsedMs: number }> {
    pve.setLab(lab);
    kube.setLab(lab);
    dns.setLab(lab);
    const fakes = await installFakeTools(lab);
    const env = harnessEnv({ fakes, pve, kube, dns });
    tweak?.(env);
    const result = await runCli(["check", kit, "--format", "json", "--verbose", "--timeout", String(TIMEOUT_S)], { env });
    const elapsedMs = Number(/results in (\d+) ms/.exec(result.stderr)?.[1]);
    return { report: reportSchema.parse(JSON.parse(result.stdout)), elapsedMs };
  }

  beforeAll(async () => {
    const lab = healthyLab();
    [pve, kube, dns] = await Promise.all([startPveServer(lab), startKubeServer(lab, { token: "lab-token" }), startDnsServers(lab)]);
    kit = mkdtempSync(join(tmpdir(), "omni-doctor-faults-"));
    writeFileSync(join(kit, "compose.yaml"), "services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    command:\n      - --machine-api-advertised-url=https://omni.lab.example:8090/\n");
    ({ report: baseline, elapsedMs: baselineMs } = await run(healthyLab()));
    const list = JSON.parse((await runCli(["list", "--format", "json"])).stdout) as Array<{ id: string; sources: SourceName[] }>;
    sourcesOf = new Map(list.map((c) => [c.id, c.sources]));
  }, 60_000);
  afterAll(async () => {
    await Promise.all([pve.close(), kube.close(), dns.close()]);
  });

  it("the healthy baseline has no skip or error for a live source", () => {
    expect(baseline.results.filter((r) => r.status === "error")).toEqual([]);
  });

  it.each(FAULTS)("$name", async (fault) => {
    const lab = healthyLab();
    fault.lab?.(lab);
    const { report, elapsedMs } = await run(lab, fault.env);
    // Bounded: the fault costs at most --timeout plus a second over what a healthy run takes here
    // (the hanging call may wait for answers it depends on, and this machine may be loaded).
    expect(elapsedMs).toBeLessThan(TIMEOUT_S * 1000 + 1000 + baselineMs);
    const key = (r: ReportJson["results"][number]) => `${r.check}|${r.subject ?? ""}`;
    const healthy = new Map(baseline.results.map((r) => [key(r), r.status]));
    const affected = report.results.filter((r) => sourcesOf.get(r.check)?.includes(fault.source));
    expect(affected.length).toBeGreaterThan(0);
    expect(affected.some((r) => (r.status === "skip" || r.status === "error") && fault.message.test(r.message))).toBe(true);
    for (const r of report.results.filter((x) => !sourcesOf.get(x.check)?.includes(fault.source))) {
      expect(r.status, `${r.check} must not be touched by a ${fault.source} fault`).toBe(healthy.get(key(r)));
    }
  });

  it("DNS: a resolver that never answers and one that has no record are named, other checks intact", async () => {
    const lab = healthyLab();
    lab.dns!["127.0.0.2"] = { "omni.lab.example": "timeout" };
    const timeout = (await run(lab)).report.results.find((r) => r.check === "network/split-horizon-dns")!;
    expect(timeout).toMatchObject({ status: "fail", message: expect.stringMatching(/no answer for omni\.lab\.example within the DNS timeout/) });
    lab.dns!["127.0.0.2"] = {};
    const nxdomain = (await run(lab)).report.results.find((r) => r.check === "network/split-horizon-dns")!;
    expect(nxdomain).toMatchObject({ status: "fail", message: expect.stringMatching(/NXDOMAIN/) });
  });

  it("Ctrl-C during a run kills child processes and prints the partial report", async () => {
    const lab = healthyLab();
    lab.omni!.hang = true;
    const fakes = await installFakeTools(lab);
    const child = execa(process.execPath, [CLI, "check", kit, "--timeout", "30"], {
      env: harnessEnv({ fakes }),
      extendEnv: false,
      reject: false,
    });
    // Wait until the hanging omnictl is running, then interrupt.
    for (let i = 0; i < 100 && fakes.calls().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    child.kill("SIGINT");
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(String(result.stdout)).toMatch(/INTERRUPTED \(partial report\)/);
    expect(String(result.stdout)).toMatch(/skipped|passed|failed/);
    await new Promise((r) => setTimeout(r, 1500));
    const survivors = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).split("\n").filter((l) => l.includes(fakes.binDir));
    expect(survivors).toEqual([]);
  });
});
