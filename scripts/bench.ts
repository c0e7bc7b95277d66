/**
 * Speed, measured (figures, not timed tests):  npm run bench [-- live|offline|startup|fuzz] [-- --json]
 *
 * live:    a full live `check` against the harness fakes (fake omnictl/talosctl, the real kubectl
 *          against the loopback Kubernetes API, the HTTPS Proxmox API, UDP DNS) for generated labs
 *          of 3 control planes + 10, 50 and 200 workers, with LATENCY_MS (default 150) injected on
 *          every external call. Prints wall time, calls, distinct queries, talosctl calls, peak RSS,
 *          wall over the critical path (the slowest chain of dependent calls, from the run's trace)
 *          and sequential over wall (a runbook asking one question after another).
 * offline: `check --offline` over a generated kit of 1,000 cluster templates and 200 machine classes.
 * startup: `omni-doctor --version`.
 * fuzz:    the parser fuzzers with a long profile (FUZZ_RUNS, default 20000 per property).
 * BENCH_WORKERS=10,50 picks the live lab sizes; BENCH_TRACE_DIR=dir keeps each live run's trace (OMNI_DOCTOR_TRACE) for a closer look.
 * `--json` prints one JSON array, an object per live lab size, for CI and scripts.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { fleetLab } from "../test/harness/labs.ts";
import { CLI, harnessEnv } from "../test/harness/cli.ts";
import { startPveServer } from "../test/harness/pve-server.ts";
import { startKubeServer } from "../test/harness/kube-server.ts";
import { startDnsServers } from "../test/harness/dns-server.ts";
import { installFakeTools } from "../test/harness/fake-tools.ts";
import { listen } from "../test/harness/tcp-ports.ts";
import { machineClassYaml } from "../test/harness/kit-files.ts";

const args = process.argv.slice(2);
const json = args.includes("--json");
const sections = args.filter((a) => !a.startsWith("--"));
const want = (name: string) => sections.length === 0 || sections.includes(name);

interface CliRun {
  wallMs: number;
  peakRssMb: number;
  /** CPU time of the CLI process itself (user + system), not of the programs it runs. */
  cpuMs: number;
  exitCode: number;
  stdout: string;
}

/** Run the CLI; peak RSS and CPU time come from the child itself (process.resourceUsage at exit). */
async function runMeasured(cliArgs: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const usageFile = join(mkdtempSync(join(tmpdir(), "bench-usage-")), "usage.json");
  const probe = `data:text/javascript,process.on("exit",()=>process.getBuiltinModule("node:fs").writeFileSync(${JSON.stringify(usageFile)},JSON.stringify(process.resourceUsage())))`;
  const started = performance.now();
  const result = await execa(process.execPath, ["--import", probe, CLI, ...cliArgs], { reject: false, env: { ...process.env, ...env }, stripFinalNewline: false });
  const wallMs = performance.now() - started;
  const usage = JSON.parse(readFileSync(usageFile, "utf8")) as NodeJS.ResourceUsage;
  rmSync(dirname(usageFile), { recursive: true, force: true });
  return {
    wallMs,
    peakRssMb: Math.round(usage.maxRSS / 1024),
    cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A kit like a fleet's: templates with inline and file patches, machine classes with providerdata. */
function generateKit(templates: number, classes: number): string {
  const dir = mkdtempSync(join(tmpdir(), "omni-doctor-bench-kit-"));
  mkdirSync(join(dir, "clusters", "patches"), { recursive: true });
  mkdirSync(join(dir, "machine-classes"));
  writeFileSync(join(dir, "clusters", "patches", "cni.yaml"), "cluster:\n  network:\n    cni:\n      name: none\n  proxy:\n    disabled: true\n");
  for (let c = 0; c < classes; c++) {
    writeFileSync(
      join(dir, "machine-classes", `class-${c}.yaml`),
      machineClassYaml(`class-${c}`, {
        emptyMatchLabels: true,
        providerdata: `cores: ${2 + (c % 6)}\nsockets: 1\nmemory: ${4096 * (1 + (c % 4))}\ndisk_size: 40\nstorage_selector: name == "local-lvm"\nnetwork_bridge: vmbr0`,
      }),
    );
  }
  for (let t = 0; t < templates; t++) {
    writeFileSync(
      join(dir, "clusters", `cluster-${t}.yaml`),
      [
        "kind: Cluster",
        `name: cluster-${t}`,
        "kubernetes:",
        "  version: v1.35.2",
        "talos:",
        "  version: v1.12.4",
        "features:",
        "  backupConfiguration:",
        "    interval: 6h",
        "patches:",
        "  - file: patches/cni.yaml",
        "  - name: kubelet",
        "    inline:",
        "      machine:",
        "        kubelet:",
        "          extraArgs:",
        "            rotate-server-certificates: \"true\"",
        "---",
        "kind: ControlPlane",
        "machineClass:",
        `  name: class-${t % classes}`,
        "  size: 3",
        "---",
        "kind: Workers",
        "name: workers",
        "machineClass:",
        `  name: class-${(t + 1) % classes}`,
        "  size: 5",
        "patches:",
        "  - name: labels",
        "    inline:",
        "      machine:",
        "        nodeLabels:",
        "          topology.kubernetes.io/zone: zone-a",
        "",
      ].join("\n"),
    );
  }
  return dir;
}

const figures: Record<string, unknown> = {};
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 150);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ?? "64";

interface LiveFigures {
  workers: number;
  wall_ms: number;
  critical_path_ms: number;
  sequential_ms: number;
  calls: number;
  distinct_queries: number;
  talosctl_calls: number;
  peak_rss_mb: number;
  cpu_ms: number;
  wall_over_critical_path: number;
  sequential_over_wall: number;
  concurrency: number;
  latency_ms: number;
  target_met: boolean;
}

async function liveRun(workers: number): Promise<LiveFigures> {
  const lab = fleetLab(3, workers);
  const [pve, kube, dns] = await Promise.all([startPveServer(lab, { latencyMs: LATENCY_MS }), startKubeServer(lab, { token: "lab-token", latencyMs: LATENCY_MS }), startDnsServers(lab, { latencyMs: LATENCY_MS })]);
  const fakes = await installFakeTools(lab, { latencyMs: LATENCY_MS });
  const omniPorts = await Promise.all([listen(), listen(), listen()]);
  const kit = mkdtempSync(join(tmpdir(), "omni-doctor-bench-live-"));
  const [api, machineApi, k8sProxy] = omniPorts.map((l) => l.port);
  writeFileSync(
    join(kit, "compose.yaml"),
    `services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    ports: ["127.0.0.1:${api}:${api}", "127.0.0.1:${machineApi}:${machineApi}", "127.0.0.1:${k8sProxy}:${k8sProxy}", "127.0.0.1:50180:50180/udp"]\n    command:\n      - --advertised-api-url=https://omni.lab.example:${api}/\n      - --machine-api-advertised-url=https://omni.lab.example:${machineApi}/\n      - --advertised-kubernetes-proxy-url=https://omni.lab.example:${k8sProxy}/\n      - --siderolink-wireguard-advertised-addr=127.0.0.1:50180\n`,
  );
  const trace = join(kit, "trace.json");
  try {
    const run = await runMeasured(["check", kit, "--format", "json", "--concurrency", CONCURRENCY, "--timeout", "30"], harnessEnv({ fakes, pve, kube, dns }, { OMNI_DOCTOR_TRACE: trace }));
    if (process.env.BENCH_TRACE_DIR) copyFileSync(trace, join(process.env.BENCH_TRACE_DIR, `trace-${workers}.json`));
    const t = JSON.parse(readFileSync(trace, "utf8")) as { calls: Array<{ source: string; key: string }>; criticalPathMs: number; sequentialMs: number };
    const wall = Math.round(run.wallMs);
    return {
      workers,
      wall_ms: wall,
      critical_path_ms: t.criticalPathMs,
      sequential_ms: t.sequentialMs,
      calls: t.calls.length,
      distinct_queries: new Set(t.calls.map((c) => `${c.source} ${c.key}`)).size,
      talosctl_calls: fakes.calls().filter((c) => c.tool === "talosctl").length,
      peak_rss_mb: run.peakRssMb,
      cpu_ms: run.cpuMs,
      wall_over_critical_path: Math.round((wall / t.criticalPathMs) * 100) / 100,
      sequential_over_wall: Math.round((t.sequentialMs / wall) * 100) / 100,
      concurrency: Number(CONCURRENCY),
      latency_ms: LATENCY_MS,
      target_met: wall <= 1.5 * t.criticalPathMs + 300,
    };
  } finally {
    await Promise.all([pve.close(), kube.close(), dns.close(), fakes.close(), ...omniPorts.map((l) => l.close())]);
    rmSync(kit, { recursive: true, force: true });
  }
}

const live: LiveFigures[] = [];
if (want("live") || json) {
  for (const workers of (process.env.BENCH_WORKERS ?? "10,50,200").split(",").map(Number)) live.push(await liveRun(workers));
}

if (want("offline") && !json) {
  const kit = generateKit(1000, 200);
  const runs: CliRun[] = [];
  for (let i = 0; i < 3; i++) runs.push(await runMeasured(["check", kit, "--offline", "--format", "json"]));
  const report = JSON.parse(runs[0]!.stdout) as { summary: Record<string, number>; results: unknown[] };
  figures.offline = {
    templates: 1000,
    machine_classes: 200,
    wall_ms: Math.round(median(runs.map((r) => r.wallMs))),
    runs_ms: runs.map((r) => Math.round(r.wallMs)),
    peak_rss_mb: Math.max(...runs.map((r) => r.peakRssMb)),
    cpu_ms: Math.round(median(runs.map((r) => r.cpuMs))),
    results: report.results.length,
    summary: report.summary,
  };
  rmSync(kit, { recursive: true, force: true });
}

if (want("startup")) {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) runs.push((await runMeasured(["--version"])).wallMs);
  figures.startup = { version_ms: Math.round(median(runs)), target_ms: 300 };
}

if (want("fuzz")) {
  const started = performance.now();
  const result = await execa(process.execPath, [fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url)), "run", "test/fuzz.test.ts"], {
    reject: false,
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: { ...process.env, FUZZ_RUNS: process.env.FUZZ_RUNS ?? "20000" },
  });
  figures.fuzz = { runs_per_property: Number(process.env.FUZZ_RUNS ?? 20000), passed: result.exitCode === 0, seconds: Math.round((performance.now() - started) / 100) / 10 };
  if (result.exitCode !== 0) process.stderr.write(String(result.stdout).slice(-4000));
}

if (json) {
  process.stdout.write(`${JSON.stringify(live, null, 2)}\n`);
} else {
  for (const f of live) {
    console.log(
      `live ${f.workers} workers (+3 control planes), ${f.latency_ms} ms per call, --concurrency ${f.concurrency}: wall ${f.wall_ms} ms, critical path ${f.critical_path_ms} ms (wall/critical ${f.wall_over_critical_path}, target wall ≤ 1.5×critical+300 ms: ${f.target_met ? "met" : "NOT met"}), sequential ${f.sequential_ms} ms (sequential/wall ${f.sequential_over_wall}), ${f.calls} calls = ${f.distinct_queries} distinct queries, ${f.talosctl_calls} talosctl calls, peak RSS ${f.peak_rss_mb} MB, CPU ${f.cpu_ms} ms`,
    );
  }
  const startup = figures.startup as { version_ms: number } | undefined;
  if (startup) console.log(`startup: omni-doctor --version in ${startup.version_ms} ms (median of 5; target < 300)`);
  const fuzz = figures.fuzz as { runs_per_property: number; passed: boolean; seconds: number } | undefined;
  if (fuzz) console.log(`fuzz: ${fuzz.runs_per_property} runs per property, ${fuzz.passed ? "no failure" : "FAILED"} (${fuzz.seconds}s)`);
  const offline = figures.offline as { wall_ms: number; runs_ms: number[]; peak_rss_mb: number; cpu_ms: number; results: number } | undefined;
  if (offline) {
    console.log(`offline: 1,000 templates + 200 machine classes → ${offline.wall_ms} ms wall (median of ${offline.runs_ms.join(", ")} ms; target < 2000), peak RSS ${offline.peak_rss_mb} MB, CPU ${offline.cpu_ms} ms, ${offline.results} results`);
  }
}
