/**
 * The transport that talks to the real world: programs through execa (argv, never a shell),
 * HTTPS through undici with per-endpoint TLS settings, DNS over UDP with dns-packet, TCP connects.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import dgram from "node:dgram";
import net from "node:net";
import type { TLSSocket } from "node:tls";
import { randomInt } from "node:crypto";
import { execa } from "execa";
import { Agent, buildConnector, fetch } from "undici";
import dnsPacket from "dns-packet";
import { abortKind } from "./abort.ts";
import { readDnsReply } from "./net/dns-reply.ts";
import {
  STOPPED_AT_LOGIN,
  TransportError,
  type AnswerOf,
  type DnsAnswer,
  type DnsRequest,
  type ExecAnswer,
  type ExecRequest,
  type HttpAnswer,
  type HttpRequest,
  type Program,
  type TcpAnswer,
  type TcpRequest,
  type TlsOptions,
  type Transport,
  type TransportRequest,
} from "./transport.ts";

const PROGRAM_ENV: Record<Program, string> = {
  omnictl: "OMNI_DOCTOR_OMNICTL",
  talosctl: "OMNI_DOCTOR_TALOSCTL",
  kubectl: "OMNI_DOCTOR_KUBECTL",
};

/** How to get each program; the kit's mise.toml (if it pins them) is the easiest. */
const INSTALL_HINT: Record<Program, string> = {
  omnictl: "install it from the Omni UI (Download omnictl), with `brew install siderolabs/tap/sidero-tools`, or `mise use omnictl`",
  talosctl: "install it with `brew install siderolabs/tap/talosctl`, `curl -sL https://talos.dev/install | sh`, or `mise use talosctl`",
  kubectl: "install it from https://kubernetes.io/docs/tasks/tools/ or `mise use kubectl`",
};

/**
 * A user account whose Omni key expired makes omnictl start a browser login and wait for it.
 * It says so on stderr before waiting (go-api-signature's interceptor); a diagnostic run must stop
 * it there rather than hang until --timeout. `BROWSER=echo` makes it print the URL instead of
 * opening a browser on the user's desktop.
 */
const INTERACTIVE_LOGIN: Partial<Record<Program, { prompt: RegExp; env: Record<string, string> }>> = {
  omnictl: { prompt: /Could not authenticate|Please visit this page to authenticate|Attempting to open URL/, env: { BROWSER: "echo" } },
};

/** Where a program would run from: its OMNI_DOCTOR_* override, else the first executable on PATH. */
export function locateProgram(program: Program, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env[PROGRAM_ENV[program]];
  if (override) return isExecutable(override) ? override : undefined;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function normalizeFingerprint(fp: string): string {
  return fp.replaceAll(":", "").toLowerCase();
}

export interface LiveTransportOptions {
  /** Longest wait for a DNS reply or a TCP connect before it counts as an observed timeout. */
  probeTimeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

export class LiveTransport implements Transport {
  readonly mode = "live" as const;
  readonly #agents = new Map<string, Agent>();
  readonly #options: LiveTransportOptions;

  constructor(options: LiveTransportOptions) {
    this.#options = options;
  }

  ask<R extends TransportRequest>(request: R, signal: AbortSignal): Promise<AnswerOf<R>> {
    switch (request.kind) {
      case "exec":
        return this.#exec(request, signal) as Promise<AnswerOf<R>>;
      case "http":
        return this.#http(request, signal) as Promise<AnswerOf<R>>;
      case "dns":
        return this.#dns(request, signal) as Promise<AnswerOf<R>>;
      case "tcp":
        return this.#tcp(request, signal) as Promise<AnswerOf<R>>;
    }
    throw new TransportError("failed", "unknown request kind");
  }

  async close(): Promise<void> {
    await Promise.all([...this.#agents.values()].map((agent) => agent.close()));
  }

  async #exec(request: ExecRequest, signal: AbortSignal): Promise<ExecAnswer> {
    const env = this.#options.env ?? process.env;
    const path = locateProgram(request.program, env);
    if (!path) {
      throw new TransportError("not-installed", `${request.program} is not installed (not on PATH, and ${PROGRAM_ENV[request.program]} is not set): ${INSTALL_HINT[request.program]}`);
    }
    const login = INTERACTIVE_LOGIN[request.program];
    const atLogin = new AbortController();
    const subprocess = execa(path, request.args, {
      reject: false,
      stdin: "ignore",
      cancelSignal: AbortSignal.any([signal, atLogin.signal]),
      forceKillAfterDelay: 1000,
      env: login ? { ...env, ...login.env } : env,
      extendEnv: false,
      maxBuffer: 256 * 1024 * 1024,
      stripFinalNewline: false,
    });
    let stderrSoFar = "";
    if (login) {
      subprocess.stderr?.on("data", (chunk: Buffer) => {
        stderrSoFar += String(chunk);
        if (login.prompt.test(stderrSoFar)) atLogin.abort();
      });
    }
    const result = await subprocess;
    // What it printed up to the prompt is the answer: the source classifies it as an auth failure.
    if (atLogin.signal.aborted && !signal.aborted) return { exitCode: STOPPED_AT_LOGIN, stdout: String(result.stdout), stderr: String(result.stderr) };
    if (result.isCanceled) throw new TransportError(abortKind(signal), `${request.program} was stopped`);
    if (result.failed && result.exitCode === undefined) {
      throw new TransportError("failed", `${request.program} could not run: ${result.shortMessage}`);
    }
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
  }

  #agent(tls: TlsOptions): Agent {
    const id = JSON.stringify(tls);
    let agent = this.#agents.get(id);
    if (!agent) {
      agent = tls.fingerprint ? pinnedAgent(tls.fingerprint) : new Agent({ connect: { ca: tls.ca, rejectUnauthorized: !tls.insecure } });
      this.#agents.set(id, agent);
    }
    return agent;
  }

  async #http(request: HttpRequest, signal: AbortSignal): Promise<HttpAnswer> {
    try {
      const init: Parameters<typeof fetch>[1] = { method: request.method, headers: request.headers, signal, dispatcher: this.#agent(request.tls) };
      if (request.body !== undefined) init.body = request.body;
      const response = await fetch(request.url, init);
      return { status: response.status, statusText: response.statusText, contentType: response.headers.get("content-type"), body: await response.text() };
    } catch (error) {
      if (signal.aborted) throw new TransportError(abortKind(signal), "request aborted");
      throw httpFailure(error);
    }
  }

  #dns(request: DnsRequest, signal: AbortSignal): Promise<DnsAnswer> {
    // A name here would send the question through the OS resolver first: resolvers under test are addresses.
    if (!net.isIP(request.server)) return Promise.reject(new TransportError("failed", `resolver "${request.server}" is not an IP address`));
    const port = Number(this.#options.env?.OMNI_DOCTOR_DNS_PORT ?? process.env.OMNI_DOCTOR_DNS_PORT ?? 53);
    return new Promise<DnsAnswer>((resolve, reject) => {
      const socket = dgram.createSocket(net.isIPv6(request.server) ? "udp6" : "udp4");
      const id = randomInt(1, 65535);
      const finish = (answer: DnsAnswer | TransportError) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        socket.close();
        if (answer instanceof TransportError) reject(answer);
        else resolve(answer);
      };
      const onAbort = () => finish(new TransportError(abortKind(signal), "DNS query aborted"));
      const timer = setTimeout(() => finish({ rcode: "TIMEOUT", addresses: [] }), this.#options.probeTimeoutMs);
      signal.addEventListener("abort", onAbort, { once: true });
      socket.on("error", (error: NodeJS.ErrnoException) => finish({ rcode: error.code ?? "ERROR", addresses: [] }));
      socket.on("message", (message) => {
        // Anything that is not the reply to this question is ignored; the timer still runs.
        const answer = readDnsReply(message, id, request.type);
        if (answer) finish(answer);
      });
      const query = dnsPacket.encode({
        type: "query",
        id,
        flags: dnsPacket.RECURSION_DESIRED,
        questions: [{ type: request.type, name: request.name, class: "IN" }],
      });
      socket.send(query, port, request.server);
    });
  }

  #tcp(request: TcpRequest, signal: AbortSignal): Promise<TcpAnswer> {
    return new Promise<TcpAnswer>((resolve, reject) => {
      const socket = net.connect({ host: request.host, port: request.port });
      const finish = (answer: TcpAnswer | TransportError) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        socket.destroy();
        if (answer instanceof TransportError) reject(answer);
        else resolve(answer);
      };
      const onAbort = () => finish(new TransportError(abortKind(signal), "TCP connect aborted"));
      const timer = setTimeout(() => finish({ connected: false, error: "TIMEOUT" }), this.#options.probeTimeoutMs);
      signal.addEventListener("abort", onAbort, { once: true });
      socket.once("connect", () => finish({ connected: true }));
      socket.once("error", (error: NodeJS.ErrnoException) => finish({ connected: false, error: error.code ?? error.message }));
    });
  }
}

/** An agent that accepts exactly one certificate, identified by its SHA-256 fingerprint. */
function pinnedAgent(fingerprint: string): Agent {
  const expected = normalizeFingerprint(fingerprint);
  const connect = buildConnector({ rejectUnauthorized: false });
  return new Agent({
    connect: (options, callback) =>
      connect(options, (error, socket) => {
        if (error || !socket) return callback(error ?? new Error("no socket"), null);
        const actual = normalizeFingerprint((socket as TLSSocket).getPeerCertificate().fingerprint256 ?? "");
        if (actual !== expected) {
          socket.destroy();
          const mismatch = Object.assign(new Error(`certificate fingerprint ${actual} does not match the pinned ${expected}`), { code: "FINGERPRINT_MISMATCH" });
          return callback(mismatch, null);
        }
        callback(null, socket);
      }),
  });
}

const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "FINGERPRINT_MISMATCH",
]);

function httpFailure(error: unknown): TransportError {
  // undici: TypeError("fetch failed") whose cause carries the socket or TLS error code.
  let cause: unknown = error;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? "";
  const text = (cause as Error | undefined)?.message ?? String(error);
  if (TLS_CODES.has(code)) return new TransportError("unreachable", `TLS verification failed: ${text} [${code}]`);
  return new TransportError("unreachable", code ? `${text} [${code}]` : text);
}
