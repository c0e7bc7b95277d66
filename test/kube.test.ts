/**
 * Every kube check through the real kubectl against the loopback Kubernetes API server: a
 * cluster with one problem per check, the same cluster healthy, one without the optional CRDs,
 * an API server that refuses the credentials and one that never answers; the lists kubectl is
 * asked for (once per kind, whatever the number of checks); and the choice of kube context.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { executeRun, prepareRun, type CommonOptions } from "../src/commands/run.ts";
import { LiveTransport } from "../src/sources/live-transport.ts";
import { loadRegistry } from "../src/engine/registry.ts";
import { factOf } from "../src/engine/fact.ts";
import type { Result } from "../src/model/result.ts";
import { startKubeServer, writeKubeconfig, type KubeServer } from "./harness/kube-server.ts";
import { bareKubeLab, brokenKubeLab, healthyKubeLab, KUBE_LAB_KIT, KUBE_LAB_NOW } from "./harness/kube-labs.ts";
import type { Lab } from "./harness/lab/model.ts";

const KUBE_CHECKS = ["kube/cert-manager", "kube/cilium-mtu", "kube/eso-password-generator", "kube/flux", "kube/nodes", "kube/pod-security", "kube/pods-stuck", "kube/rwo-rolling-deadlock", "kube/sealed-secrets", "kube/storage", "kube/tf-runner-tls"];

function kitDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "omni-doctor-kube-kit-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A run as `omni-doctor check` makes it, with kubectl from /usr/bin seeing only this environment. */
async function run(env: Record<string, string>, options: Partial<CommonOptions> = {}, kit = kitDir()): Promise<{ results: Result[]; elapsedMs: number }> {
  const transport = new LiveTransport({ probeTimeoutMs: 1000, env: { PATH: "/usr/bin:/bin", ...env } });
  const prepared = await prepareRun(kit, { format: "json", failOn: "error", timeout: "10", concurrency: "8", only: "kube", ...options }, new AbortController().signal, { transport, now: new Date(KUBE_LAB_NOW) });
  const { results, elapsedMs } = await executeRun(prepared);
  return { results, elapsedMs };
}

const byCheck = (results: Result[]) => Object.fromEntries(KUBE_CHECKS.map((id) => [id, results.filter((r) => r.check === id).map((r) => r.status)]));

async function withServer<T>(lab: Lab, body: (server: KubeServer, env: Record<string, string>) => Promise<T>): Promise<T> {
  // A server (and kubectl HOME, with its discovery cache) per cluster, as a real one would be.
  const server = await startKubeServer(lab, { token: "lab-token" });
  try {
    return await body(server, { KUBECONFIG: server.kubeconfig, HOME: server.home });
  } finally {
    await server.close();
  }
}

describe("the kube checks through the real kubectl", () => {
  it("a cluster with one problem per check: each is found, with fixes traced to the kit", async () => {
    await withServer(brokenKubeLab(), async (server, env) => {
      const { results } = await run(env, { only: "kube,manifest" }, kitDir(KUBE_LAB_KIT));
      expect(byCheck(results)).toEqual({
        "kube/cert-manager": ["fail"],
        "kube/cilium-mtu": ["fail"],
        "kube/eso-password-generator": ["fail"],
        "kube/flux": ["fail"],
        "kube/nodes": ["fail"],
        "kube/pod-security": ["warn"],
        "kube/pods-stuck": ["fail", "fail", "fail"],
        "kube/rwo-rolling-deadlock": ["fail"],
        "kube/sealed-secrets": ["fail"],
        "kube/storage": ["fail"],
        "kube/tf-runner-tls": ["fail"],
      });
      const find = (check: string, subject?: string) => results.find((r) => r.check === check && (subject === undefined || r.subject === subject))!;
      expect(results.filter((r) => r.check === "kube/pods-stuck").map((r) => r.subject)).toEqual(["pod apps/api-6c5b4a3d2-x9y8z", "pod flux-system/authentik-tf-runner", "node talos-w-1"]);
      expect(find("kube/rwo-rolling-deadlock")).toMatchObject({ subject: "deployment git/gitea", location: { file: expect.stringMatching(/k8s\/git\/gitea\.yaml$/), line: 16 } });
      expect(find("kube/rwo-rolling-deadlock").fix!.steps.map((s) => s.kind)).toEqual(["edit", "command"]);
      expect(find("kube/eso-password-generator").fix!.steps.map((s) => s.kind)).toEqual(["edit", "manual"]);
      expect(find("kube/pod-security").fix!.steps.map((s) => s.kind)).toEqual(["edit", "command", "command"]);
      expect(find("kube/cilium-mtu").evidence).toEqual(["data.mtu=(not set)", 'kubectl uses Omni\'s context "omni-lab"']);
      // The offline twins judge the same manifests the same way.
      expect(find("manifest/rwo-rolling-deadlock")).toMatchObject({ status: "warn", message: expect.stringMatching(/^runs one replica with RollingUpdate and mounts ReadWriteOnce claim "gitea-data"/) });
      expect(find("manifest/eso-password-generator")).toMatchObject({ status: "fail", message: find("kube/eso-password-generator").message });

      // One list per kind for all namespaces, whatever the number of checks that read it.
      const lists = server.lists();
      const registry = await loadRegistry();
      const kubeFactUses = registry.checks.filter((c) => c.domain === "kube").flatMap((c) => Object.values(c.facts).map(factOf).filter((f) => f.source === "kube" && f.id !== "kube.context"));
      expect(new Set(lists).size).toBe(lists.length);
      expect(lists.length).toBe(new Set(kubeFactUses.map((f) => f.id)).size);
      expect(lists.length).toBe(17);
      expect(kubeFactUses.length).toBeGreaterThan(lists.length);
      expect(lists.every((path) => !path.includes("/namespaces/"))).toBe(true);
      expect(server.requests.find((r) => r.path === "/api/v1/configmaps")!.query).toBe("?fieldSelector=metadata.name%3Dcilium-config&limit=500");
    });
  });

  it("the same cluster healthy: every check passes", async () => {
    await withServer(healthyKubeLab(), async (_server, env) => {
      const { results } = await run(env);
      expect(byCheck(results)).toEqual(Object.fromEntries(KUBE_CHECKS.map((id) => [id, ["pass"]])));
    });
  });

  it("a cluster without the optional CRDs and Cilium: those checks skip saying so, never error", async () => {
    await withServer(bareKubeLab(), async (server, env) => {
      const { results } = await run(env);
      const skipped = Object.fromEntries(results.filter((r) => r.status === "skip").map((r) => [r.check, r.message]));
      expect(skipped).toEqual({
        "kube/cert-manager": "cert-manager is not installed (no Certificate or Challenge kind)",
        "kube/cilium-mtu": "Cilium is not installed (no cilium-config ConfigMap)",
        "kube/eso-password-generator": "External Secrets Operator is not installed (no ExternalSecret kind)",
        "kube/flux": "Flux is not installed (no Kustomization or HelmRelease kind)",
        "kube/sealed-secrets": "Sealed Secrets is not installed (no SealedSecret kind)",
        "kube/tf-runner-tls": "tofu-controller is not installed (no Terraform kind)",
      });
      expect(results.filter((r) => r.status !== "skip").map((r) => `${r.check} ${r.status}`)).toEqual(["kube/nodes pass", "kube/pod-security pass", "kube/pods-stuck pass", "kube/rwo-rolling-deadlock pass", "kube/storage pass"]);
      // An absent kind is learnt from discovery: it is never listed.
      expect(server.lists().filter((p) => p.startsWith("/apis/") && !/^\/apis\/(apps|storage\.k8s\.io)\//.test(p))).toEqual([]);
    });
  });

  it("credentials refused (401): every kube check is an error that says what to do", async () => {
    const lab = healthyKubeLab();
    lab.kube!.failure = { status: 401 };
    await withServer(lab, async (_server, env) => {
      const { results } = await run(env);
      expect(results.map((r) => r.check)).toEqual(KUBE_CHECKS);
      for (const r of results) expect(r, r.check).toMatchObject({ status: "error", message: expect.stringMatching(/^kubectl: error: You must be logged in to the server.*omnictl kubeconfig/) });
    });
  });

  it("an API server that never answers: every kube check errors within --timeout", async () => {
    const lab = healthyKubeLab();
    lab.kube!.hang = true;
    await withServer(lab, async (_server, env) => {
      const { results, elapsedMs } = await run(env, { timeout: "2" });
      for (const r of results) expect(r, r.check).toMatchObject({ status: "error", message: expect.stringMatching(/no answer within 2s/) });
      // 17 lists, 8 at a time, each killed at 2 s: three rounds, with slack for a loaded machine.
      expect(elapsedMs).toBeLessThan(15_000);
    });
  });
});

describe("which kube context is used", () => {
  let omniLab: KubeServer;
  let other: KubeServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    omniLab = await startKubeServer(healthyKubeLab(), { token: "lab-token" });
    const refusing = healthyKubeLab();
    refusing.kube!.failure = { status: 401 };
    other = await startKubeServer(refusing);
    // Two kubeconfig files, as `omnictl kubeconfig` without --merge leaves them: the first one's current context is another cluster.
    const dir = mkdtempSync(join(tmpdir(), "omni-doctor-kubeconfig-"));
    writeKubeconfig(join(dir, "home"), [{ name: "admin@home", server: other.url, token: "x" }], "admin@home");
    writeKubeconfig(join(dir, "omni"), [{ name: "omni-lab", server: omniLab.url, token: "lab-token" }], "omni-lab");
    env = { KUBECONFIG: `${join(dir, "home")}:${join(dir, "omni")}`, HOME: dir };
  });
  afterAll(async () => {
    await Promise.all([omniLab.close(), other.close()]);
  });

  const nodesStatus = async (options: Partial<CommonOptions>) => (await run(env, { only: "kube/nodes", ...options })).results[0]!;

  it.each([
    ["kubectl's current context by default", {}, "error"],
    ["--context", { context: "omni-lab" }, "pass"],
    ["--cluster lab: Omni's omni-lab context, found across KUBECONFIG files", { cluster: "lab" }, "pass"],
    ["--cluster with no omni-<cluster> context: the current one", { cluster: "prod" }, "error"],
    ["--context wins over --cluster", { cluster: "lab", context: "admin@home" }, "error"],
  ] as Array<[string, Partial<CommonOptions>, string]>)("%s", async (_name, options, status) => {
    const result = await nodesStatus(options);
    expect(result.status, result.message).toBe(status);
    if (status === "error") expect(result.message).toMatch(/You must be logged in to the server/);
  });

  it("an unknown --context is a configuration problem: skipped with the advice", async () => {
    const result = await nodesStatus({ context: "omni-nope" });
    expect(result).toMatchObject({ status: "skip", message: expect.stringMatching(/context was not found.*omnictl kubeconfig/) });
  });
});
