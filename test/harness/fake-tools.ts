/**
 * Puts fake `omnictl` and `talosctl` executables on a PATH of their own, answering from a lab,
 * logging every call. Tests run the real CLI with that PATH (plus the real kubectl when wanted).
 *
 * Each fake is a few lines of bash that sends its argv over loopback TCP to this process and
 * prints the answer: a call costs a bash start (milliseconds, like the real Go binaries) instead
 * of a Node start, so many parallel calls do not starve the CLI under test of CPU. The answers
 * come from the lab model in exactly the real programs' formats.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, chmodSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Lab } from "./lab/model.ts";
import { omnictlAnswer } from "./lab/omni.ts";
import { talosctlAnswer } from "./lab/talos.ts";
import { omnictlMutation } from "./lab/mutations.ts";

type Tool = "omnictl" | "talosctl";

export interface FakeCall {
  tool: string;
  argv: string[];
  at: number;
  browser?: string;
}

export interface FakeTools {
  binDir: string;
  /** Environment for a CLI run: PATH with only the fakes (add more dirs with pathWith). */
  env: Record<string, string>;
  calls(): FakeCall[];
  clearCalls(): void;
  setLab(lab: Lab): void;
  close(): Promise<void>;
}

const BASH = ["/bin/bash", "/usr/bin/bash"].find((path) => existsSync(path)) ?? "/bin/bash";

/** Only builtins: the CLI under test may run us with a PATH holding nothing but the fakes. */
function script(tool: Tool, port: number): string {
  return `#!${BASH}
# Fake ${tool}: asks the omni-doctor test harness on port ${port} what the real ${tool} would print.
exec 3<>/dev/tcp/127.0.0.1/${port} || exit 127
printf '%s\\0' ${tool} "\${BROWSER-}" "$#" "$@" >&3
IFS=' ' read -r code out err <&3 || exit 1
# Answers end with a '.' so that command substitution keeps their trailing newlines.
if [[ $out != - ]]; then text=$(<"$out"); printf '%s' "\${text%.}"; fi
if [[ $err != - ]]; then text=$(<"$err"); printf '%s' "\${text%.}" >&2; fi
# A hanging program: block until the caller kills us.
if [[ $code == hang ]]; then read -r <&3; exit 1; fi
exit "$code"
`;
}

/** What the real program does for this call: print and exit, or hang (after printing stderr). */
function answer(lab: Lab, tool: Tool, argv: string[], browser: string): { lab?: Lab; stdout: string; stderr: string; exitCode: number | "hang" } {
  if ((tool === "omnictl" && lab.omni?.hang) || (tool === "talosctl" && lab.talos?.hang)) return { stdout: "", stderr: "", exitCode: "hang" };
  if (tool === "omnictl" && lab.omni?.browserLogin) {
    // go-api-signature's re-login: announce it, then wait for a confirmation that never comes.
    const url = "https://omni.lab.example/authenticate?flow=cli&public-key-id=5f1e2d3c";
    const announce = browser === "echo" ? `Please visit this page to authenticate: ${url}\n` : `Attempting to open URL: ${url}\n`;
    return { stdout: "", stderr: `Could not authenticate: rpc error: code = Unauthenticated desc = invalid signature\n${announce}`, exitCode: "hang" };
  }
  const mutation = tool === "omnictl" ? omnictlMutation(lab, argv) : undefined;
  if (mutation) return { lab: mutation.lab, ...mutation.answer };
  return tool === "omnictl" ? omnictlAnswer(lab, argv) : talosctlAnswer(lab, argv);
}

/** Splits NUL-terminated fields: tool, $BROWSER, argc, then argc arguments; undefined until complete. */
function parseRequest(buffer: Buffer): { tool: Tool; browser: string; argv: string[] } | undefined {
  const fields = buffer.toString("utf8").split("\0");
  fields.pop(); // text after the last NUL is incomplete
  if (fields.length < 3) return undefined;
  const argc = Number(fields[2]);
  if (fields.length < 3 + argc) return undefined;
  return { tool: fields[0] as Tool, browser: fields[1]!, argv: fields.slice(3, 3 + argc) };
}

export async function installFakeTools(initial: Lab, options: { tools?: Tool[]; latencyMs?: number } = {}): Promise<FakeTools> {
  const dir = mkdtempSync(join(tmpdir(), "omni-doctor-fakes-"));
  const binDir = join(dir, "bin");
  const answers = join(dir, "answers");
  mkdirSync(binDir);
  mkdirSync(answers);
  let lab = structuredClone(initial);
  let calls: FakeCall[] = [];
  let answered = 0;
  const sockets = new Set<Socket>();

  /** The answer is made at once and sent after the latency, like a server working while the network carries it. */
  const respond = (socket: Socket, tool: Tool, argv: string[], browser: string) => {
    const result = answer(lab, tool, argv, browser);
    if (result.lab) lab = result.lab;
    const file = (stream: "stdout" | "stderr", text: string) => {
      if (text === "") return "-";
      const path = join(answers, `${++answered}.${stream}`);
      writeFileSync(path, `${text}.`);
      return path;
    };
    const reply = `${result.exitCode} ${file("stdout", result.stdout)} ${file("stderr", result.stderr)}\n`;
    const send = () => {
      socket.write(reply);
      if (result.exitCode !== "hang") socket.end();
    };
    if (options.latencyMs) setTimeout(send, options.latencyMs);
    else send();
  };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy()); // the caller killed the fake mid-call
    let buffer = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const request = parseRequest(buffer);
      if (!request) return;
      socket.removeAllListeners("data");
      calls.push({ tool: request.tool, argv: request.argv, at: Date.now(), ...(request.browser ? { browser: request.browser } : {}) });
      respond(socket, request.tool, request.argv, request.browser);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref(); // a test that forgets close() must still let its worker exit
  const port = (server.address() as AddressInfo).port;

  for (const tool of options.tools ?? ["omnictl", "talosctl"]) {
    const path = join(binDir, tool);
    writeFileSync(path, script(tool, port));
    chmodSync(path, 0o755);
  }
  return {
    binDir,
    env: { PATH: binDir },
    calls: () => [...calls],
    clearCalls: () => {
      calls = [];
    },
    setLab: (next) => {
      lab = structuredClone(next);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
