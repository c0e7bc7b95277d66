/**
 * `omni-doctor fix`: the plan, dry runs that provably change nothing, apply that runs exactly the
 * plan, refusals, dependents left undone, hostile names, verification, the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { harnessEnv, runCli } from "./harness/cli.ts";
import { installFakeTools, type FakeTools } from "./harness/fake-tools.ts";
import { startPveServer, type PveServer } from "./harness/pve-server.ts";
import { healthyLab, TOKEN_SECRET } from "./harness/labs.ts";
import { omni } from "./harness/lab/omni.ts";
import { providerVm } from "./harness/lab/pve.ts";
import type { Lab } from "./harness/lab/model.ts";
import { buildPlan } from "../src/fix/plan.ts";
import type { Result } from "../src/model/result.ts";

const NESTED = "kind: Cluster\nname: lab\nkubernetes:\n  version: v1.35.2\ntalos:\n  version: v1.12.4\ncontrolPlane:\n  machineClass:\n    name: cp\n    size: 3\n";
const STUCK = "dead0000-0000-4000-8000-00000000beef";

function hashTree(dir: string): string {
  const hash = createHash("sha256");
  for (const name of readdirSync(dir, { recursive: true }).map(String).sort()) {
    const path = join(dir, name);
    if (statSync(path).isFile()) hash.update(name).update(readFileSync(path));
  }
  return hash.digest("hex");
}

/** A lab with one stuck machine and one kvm64 VM; talos/kube/dns are left out of these runs. */
function brokenLab(extraStuck: string[] = []): Lab {
  const lab = healthyLab();
  for (const id of [STUCK, ...extraStuck]) lab.omni!.resources.push(omni.clusterMachineStatus({ id, cluster: "lab", nodeName: "talos-w-9", stage: "DESTROYING", updated: "2026-01-01T00:00:00Z" }));
  lab.pve!.vms = lab.pve!.vms.map((vm) => (vm.vmid === 102 ? providerVm({ vmid: 102, node: "pve1", name: "lab-workers-x2", config: { cpu: "kvm64" } }) : vm));
  return lab;
}

describe("fix against the harness", () => {
  let pve: PveServer;
  let fakes: FakeTools;
  let kit: string;
  let audit: string;

  async function fix(args: string[], lab: Lab, input?: string) {
    fakes.setLab(lab);
    pve.setLab(lab);
    // Only the fakes on PATH: no kubectl, so the kube checks stay out of the way.
    const env = harnessEnv({ fakes, pve }, { PATH: fakes.binDir, OMNI_DOCTOR_AUDIT_LOG: audit });
    return runCli(["fix", kit, "--only", "template/nested-sections,omni/stuck-destroying,proxmox/vm-cpu", ...args], { env, ...(input !== undefined ? { input } : {}) });
  }

  beforeAll(async () => {
    pve = await startPveServer(brokenLab());
    fakes = await installFakeTools(brokenLab());
  });
  afterAll(() => pve.close());

  function freshKit() {
    kit = mkdtempSync(join(tmpdir(), "omni-doctor-fix-"));
    writeFileSync(join(kit, "cluster.yaml"), NESTED);
    audit = join(mkdtempSync(join(tmpdir(), "omni-doctor-audit-")), "audit.jsonl");
    fakes.clearCalls();
    pve.requests.length = 0;
  }

  it("--dry-run prints the plan and changes nothing: only reads reach the fakes, kit files stay byte-identical", async () => {
    freshKit();
    const before = hashTree(kit);
    const result = await fix(["--dry-run"], brokenLab());
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Fix plan \(dry run: nothing was changed\): 6 step\(s\) for 3 problem\(s\), 1 destructive/);
    expect(result.stdout).toMatch(new RegExp(`\\$ omnictl delete clustermachine ${STUCK} \\(destructive\\)`));
    expect(fakes.calls().every((c) => c.argv[0] === "get")).toBe(true);
    expect(pve.requests.every((r) => r.method === "GET")).toBe(true);
    expect(hashTree(kit)).toBe(before);
    expect(existsSync(audit)).toBe(false);
  });

  it("apply with --yes --allow-destructive runs exactly the planned steps in order, then verifies before → after", async () => {
    freshKit();
    const result = await fix(["--yes", "--allow-destructive"], brokenLab());
    const mutating = fakes.calls().filter((c) => c.argv[0] !== "get").map((c) => c.argv);
    expect(mutating).toEqual([["cluster", "template", "sync", "-f", expect.stringMatching(/cluster\.yaml$/)], ["delete", "clustermachine", STUCK]]);
    expect(pve.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual(["PUT /nodes/pve1/qemu/102/config", "POST /nodes/pve1/qemu/102/status/reboot"]);
    expect(readFileSync(join(kit, "cluster.yaml"), "utf8")).toMatch(/^---\nkind: ControlPlane$/m);
    expect(result.stdout).toMatch(/^6 of 6 step\(s\) done; audit log: /m);
    expect(result.stdout).toMatch(/^ {2}template\/nested-sections: fail → pass$/m);
    expect(result.stdout).toMatch(/^ {2}omni\/stuck-destroying: fail → pass$/m);
    expect(result.stdout).toMatch(/^ {2}proxmox\/vm-cpu: fail → pass$/m);
    expect(result.exitCode).toBe(0);
    const entries = readFileSync(audit, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { outcome: string; kind: string; argv?: string[]; durationMs: number });
    expect(entries.map((e) => `${e.kind}:${e.outcome}`)).toEqual(["edit:done", "command:done", "api:done", "api:done", "command:done", "manual:done"]);
    expect(readFileSync(audit, "utf8")).not.toContain(TOKEN_SECRET);
  });

  it("a destructive step without --allow-destructive is refused, and reported as left undone", async () => {
    freshKit();
    const result = await fix(["--yes", "--only", "omni/stuck-destroying"], brokenLab());
    expect(fakes.calls().some((c) => c.argv[0] === "delete")).toBe(false);
    expect(result.stdout).toMatch(/- refused: destructive; run again with --allow-destructive/);
    expect(result.stdout).toMatch(/^ {2}omni\/stuck-destroying: fail → fail$/m);
    expect(result.exitCode).toBe(1);
  });

  it("a failing step leaves the steps that need it undone", async () => {
    freshKit();
    const lab = brokenLab();
    lab.omni!.commandFailures = { "cluster template sync": { exitCode: 1, stderr: "Error: failed to sync template: rpc error: code = Unavailable\n" } };
    const result = await fix(["--yes", "--allow-destructive"], lab);
    expect(result.stdout).toMatch(/✗ failed: exit 1: failed to sync template/);
    // The Omni fix is a symptom fix: it needs the template (cause) steps done first.
    expect(result.stdout).toMatch(/- skipped: left undone: step 1, 2 did not succeed|- skipped: left undone: step 2 did not succeed/);
    expect(fakes.calls().some((c) => c.argv[0] === "delete")).toBe(false);
    expect(result.exitCode).toBe(1);
  });

  it("hostile ids are printed quoted and run as one argument, never through a shell", async () => {
    freshKit();
    const pwned = join(tmpdir(), `pwned-${process.pid}`);
    rmSync(pwned, { force: true });
    const hostile = [`x; rm -rf ~`, `$(touch ${pwned})`];
    const lab = brokenLab(hostile);
    const plan = await fix(["--dry-run"], lab);
    expect(plan.stdout).toContain(`$ omnictl delete clustermachine 'x; rm -rf ~' (destructive)`);
    expect(plan.stdout).toContain(`$ omnictl delete clustermachine '$(touch ${pwned})' (destructive)`);
    await fix(["--yes", "--allow-destructive", "--only", "omni/stuck-destroying"], lab);
    const deletes = fakes.calls().filter((c) => c.argv[0] === "delete").map((c) => c.argv);
    expect(deletes).toContainEqual(["delete", "clustermachine", "x; rm -rf ~"]);
    expect(deletes).toContainEqual(["delete", "clustermachine", `$(touch ${pwned})`]);
    expect(existsSync(pwned)).toBe(false);
  });

  it("without --yes each step is confirmed; a no leaves it undone", async () => {
    freshKit();
    const result = await fix(["--only", "proxmox/vm-cpu"], brokenLab(), "y\nn\n");
    expect(pve.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual(["PUT /nodes/pve1/qemu/102/config"]);
    expect(result.stdout).toMatch(/- declined: not confirmed/);
  });

  it("refuses to apply to a replayed recording", async () => {
    const result = await runCli(["fix", "fixtures/demo-lab", "--replay", "fixtures/demo-lab/recording"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/cannot be applied to a replayed recording/);
  });
});

describe("buildPlan", () => {
  const r = (check: string, subject: string, argv: string[][]): Result => ({
    check,
    subject,
    status: "fail",
    severity: "error",
    title: check,
    message: `${check} broken`,
    fix: { summary: "s", steps: argv.map((a) => ({ kind: "command" as const, description: a.join(" "), argv: a, destructive: false })) },
  });
  it("orders causes before symptoms, merges identical steps, and records what each step needs", () => {
    const plan = buildPlan([
      r("omni/stuck-destroying", "m1", [["omnictl", "delete", "clustermachine", "m1"]]),
      r("network/split-horizon-dns", "pve1", [["fix-dns"]]),
      r("template/a", "t1", [["edit-1"], ["omnictl", "cluster", "template", "sync", "-f", "t.yaml"]]),
      r("template/b", "t1", [["edit-2"], ["omnictl", "cluster", "template", "sync", "-f", "t.yaml"]]),
    ]);
    expect(plan.steps.map((s) => s.step.kind === "command" && s.step.argv.join(" "))).toEqual(["edit-1", "omnictl cluster template sync -f t.yaml", "edit-2", "fix-dns", "omnictl delete clustermachine m1"]);
    expect(plan.steps[1]!.requires).toEqual([0, 2]);
    expect(plan.steps[4]!.requires).toEqual([0, 1, 2, 3]);
    expect(plan.problems.map((p) => p.steps)).toEqual([[0, 1], [2, 1], [3], [4]]);
  });

  const CLASS = "# workers\ncores: 4\nmemory: 8192\nstorage_selector: name == \"ssd\"\nnetwork_bridge: vmbr9\n";
  const editing = (check: string, after: string): Result => ({
    check,
    status: "fail",
    severity: "error",
    title: check,
    message: `${check} broken`,
    fix: { summary: "s", steps: [{ kind: "edit", description: check, file: "mc.yaml", destructive: false, edit: { file: "mc.yaml", before: CLASS, after } }] },
  });
  const editing2 = (check: string, before: string, after: string): Result => ({ ...editing(check, after), fix: { summary: "s", steps: [{ kind: "edit", description: check, file: "f", destructive: false, edit: { file: "f", before, after } }] } });
  const editsOf = (plan: ReturnType<typeof buildPlan>) => plan.steps.map((s) => (s.step.kind === "edit" ? s.step.edit : undefined));

  it("chains edits of one file: the later one applies to what the earlier leaves and needs it", () => {
    const plan = buildPlan([
      editing("machine-class/storage-match", CLASS.replace('"ssd"', '"local-lvm"')),
      editing("machine-class/placement", CLASS.replace("vmbr9", "vmbr0")),
    ]);
    const [first, second] = editsOf(plan);
    expect(first!.before).toBe(CLASS);
    expect(second!.before).toBe(first!.after);
    expect(second!.after).toBe('# workers\ncores: 4\nmemory: 8192\nstorage_selector: name == "local-lvm"\nnetwork_bridge: vmbr0\n');
    expect(plan.steps[1]!.requires).toContain(0);
  });

  it("leaves overlapping edits of one file as they are (fix then asks for a new run)", () => {
    const plan = buildPlan([editing("machine-class/storage-match", CLASS.replace('"ssd"', '"local-lvm"')), editing("machine-class/placement", CLASS.replace('name == "ssd"', 'name == "nvme"'))]);
    const [, second] = editsOf(plan);
    expect(second!.before).toBe(CLASS);
    expect(plan.steps[1]!.requires).toEqual([]);
  });

  it("a chained edit leaves the file exactly as applying both changes at once would", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", "\n"), maxLength: 40 });
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), fc.nat(), text, text, (base, x, y, z, t1, t2) => {
        // Two replacements of regions [a, b) and [c, d) of the base text with at least one character between them.
        const [a, b, c, d] = [x, y, z, z + (y % 5)].map((n) => n % (base.length + 1)).sort((m, n) => m - n) as [number, number, number, number];
        if (c - b < 1) return;
        const one = base.slice(0, a) + t1 + base.slice(b);
        const two = base.slice(0, c) + t2 + base.slice(d);
        const both = base.slice(0, a) + t1 + base.slice(b, c) + t2 + base.slice(d);
        const [first, second] = editsOf(buildPlan([editing2("x/one", base, one), editing2("x/two", base, two)]));
        if (second!.before === base) return; // left for a new run: never a wrong merge
        expect(second!.before).toBe(first!.after);
        expect(second!.after).toBe(both);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});
