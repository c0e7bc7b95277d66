/** Run the built CLI (dist/) as a user would, with a controlled environment. */
import { execa } from "execa";
import { fileURLToPath } from "node:url";
import type { FakeTools } from "./fake-tools.ts";
import type { PveServer } from "./pve-server.ts";
import type { KubeServer } from "./kube-server.ts";
import type { DnsServers } from "./dns-server.ts";
import { TOKEN_ID, TOKEN_SECRET } from "./labs.ts";

export const CLI = fileURLToPath(new URL("../../dist/src/cli.js", import.meta.url));
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** A minimal environment: no inherited PATH, credentials or config, unless given. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: "/nonexistent", HOME: "/nonexistent-home", LANG: "C.UTF-8", NO_COLOR: "1" };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** The harness systems a CLI run talks to instead of the real ones. */
export interface HarnessSystems {
  fakes?: FakeTools;
  pve?: PveServer;
  kube?: KubeServer;
  dns?: DnsServers;
}

/**
 * A clean environment pointing the CLI at the given harness systems: the fake programs first on
 * PATH (then the system's, for the real kubectl), the Proxmox API with the lab's token, the
 * Kubernetes API's kubeconfig, the DNS servers' port. `extra` comes last and wins.
 */
export function harnessEnv(systems: HarnessSystems, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const { fakes, pve, kube, dns } = systems;
  return cleanEnv({
    PATH: fakes ? `${fakes.binDir}:/usr/bin:/bin` : "/usr/bin:/bin",
    ...(kube ? { HOME: kube.home, KUBECONFIG: kube.kubeconfig } : {}),
    ...(pve ? { PROXMOX_URL: pve.url, PROXMOX_TOKEN_ID: TOKEN_ID, PROXMOX_TOKEN_SECRET: TOKEN_SECRET, PROXMOX_CA: pve.certFile } : {}),
    ...(dns ? { OMNI_DOCTOR_DNS_PORT: String(dns.port) } : {}),
    ...extra,
  });
}

export async function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const started = Date.now();
  const result = await execa(process.execPath, [CLI, ...args], {
    env: options.env ?? cleanEnv(),
    extendEnv: false,
    cwd: options.cwd ?? ROOT,
    reject: false,
    stripFinalNewline: false,
    timeout: options.timeoutMs ?? 60_000,
    ...(options.input !== undefined ? { input: options.input } : { stdin: "ignore" as const }),
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), durationMs: Date.now() - started };
}
