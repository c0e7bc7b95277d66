/**
 * Speed, measured (figures, not timed tests):  npm run bench [-- offline] [-- --json]
 *
 * offline: `check --offline` over a generated kit of 1,000 cluster templates and 200 machine
 * classes, run as the CLI process users run; prints wall time (median of runs) and peak RSS.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

const CLI = fileURLToPath(new URL("../dist/src/cli.js", import.meta.url));
const args = process.argv.slice(2);
const json = args.includes("--json");
const sections = args.filter((a) => !a.startsWith("--"));
const want = (name: string) => sections.length === 0 || sections.includes(name);

interface CliRun {
  wallMs: number;
  peakRssMb: number;
  exitCode: number;
  stdout: string;
}

/** Run the CLI; peak RSS comes from the child itself (process.resourceUsage at exit). */
async function runMeasured(cliArgs: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const rssFile = join(mkdtempSync(join(tmpdir(), "bench-rss-")), "rss");
  const probe = `data:text/javascript,process.on("exit",()=>require("node:fs").writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS)))`.replace("require(\"node:fs\")", "process.getBuiltinModule(\"node:fs\")");
  const started = performance.now();
  const result = await execa(process.execPath, ["--import", probe, CLI, ...cliArgs], { reject: false, env: { ...process.env, ...env }, stripFinalNewline: false });
  const wallMs = performance.now() - started;
  return { wallMs, peakRssMb: Math.round(Number(readFileSync(rssFile, "utf8")) / 1024), exitCode: result.exitCode ?? -1, stdout: String(result.stdout) };
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
      `metadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n  id: class-${c}\nspec:\n  matchlabels: []\n  autoprovision:\n    providerid: proxmox\n    providerdata: |\n      cores: ${2 + (c % 6)}\n      sockets: 1\n      memory: ${4096 * (1 + (c % 4))}\n      disk_size: 40\n      storage_selector: name == "local-lvm"\n      network_bridge: vmbr0\n`,
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

if (want("offline")) {
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
    results: report.results.length,
    summary: report.summary,
  };
  rmSync(kit, { recursive: true, force: true });
}

if (json) {
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
} else {
  const offline = figures.offline as { wall_ms: number; runs_ms: number[]; peak_rss_mb: number; results: number } | undefined;
  if (offline) {
    console.log(`offline: 1,000 templates + 200 machine classes → ${offline.wall_ms} ms wall (median of ${offline.runs_ms.join(", ")} ms; target < 2000), peak RSS ${offline.peak_rss_mb} MB, ${offline.results} results`);
  }
}
