/** Run the built CLI (dist/) as a user would, with a controlled environment. */
import { execa } from "execa";
import { fileURLToPath } from "node:url";

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
