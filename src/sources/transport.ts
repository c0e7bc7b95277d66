/**
 * The lowest layer of every source: one question to an external system and its raw answer.
 * Answers are plain data so they can be recorded, redacted and replayed. Implementations:
 * live (real programs and sockets), replay (a recording), offline (refuses everything), and the
 * recorder that wraps another transport.
 */
import { z } from "zod";
import { quoteCommand } from "../util/shell-quote.ts";
import type { SourceName } from "../model/result.ts";
import type { SourceErrorKind } from "./source-error.ts";

export type Program = "omnictl" | "talosctl" | "kubectl";

export interface ExecRequest {
  kind: "exec";
  source: SourceName;
  program: Program;
  args: string[];
}
/** The exit code of an answer whose program was stopped at an interactive login prompt (see LiveTransport). */
export const STOPPED_AT_LOGIN = -1;

export interface ExecAnswer {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface TlsOptions {
  /** PEM text of the CA (or the server certificate itself) to trust. */
  ca?: string;
  /** SHA-256 fingerprint of the server certificate, hex with or without colons. */
  fingerprint?: string;
  /** Do not verify the certificate at all. */
  insecure?: boolean;
}
export interface HttpRequest {
  kind: "http";
  source: SourceName;
  method: string;
  /** Full URL; the key uses `path` so recordings do not depend on the host. */
  url: string;
  /** Path and query relative to the API base, e.g. `/nodes/pve1/qemu?full=1`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  tls: TlsOptions;
}
export interface HttpAnswer {
  status: number;
  statusText: string;
  contentType: string | null;
  body: string;
}

export interface DnsRequest {
  kind: "dns";
  source: SourceName;
  server: string;
  name: string;
  type: "A" | "AAAA";
}
export interface DnsAnswer {
  /** `NOERROR`, `NXDOMAIN`, `SERVFAIL`, ... or `TIMEOUT` when nothing came back in time. */
  rcode: string;
  addresses: string[];
}

export interface TcpRequest {
  kind: "tcp";
  source: SourceName;
  host: string;
  port: number;
}
export interface TcpAnswer {
  connected: boolean;
  /** Why not: `ECONNREFUSED`, `TIMEOUT`, `EHOSTUNREACH`, ... */
  error?: string;
}

export type TransportRequest = ExecRequest | HttpRequest | DnsRequest | TcpRequest;
export type AnswerOf<R extends TransportRequest> = R extends ExecRequest
  ? ExecAnswer
  : R extends HttpRequest
    ? HttpAnswer
    : R extends DnsRequest
      ? DnsAnswer
      : TcpAnswer;
export type TransportAnswer = ExecAnswer | HttpAnswer | DnsAnswer | TcpAnswer;

/** A transport-level failure (the question could not be asked or answered at all). */
export class TransportError extends Error {
  readonly kind: SourceErrorKind;
  constructor(kind: SourceErrorKind, message: string) {
    super(message);
    this.name = "TransportError";
    this.kind = kind;
  }
}

export interface Transport {
  /** Ask one question. Rejects with TransportError only. */
  ask<R extends TransportRequest>(request: R, signal: AbortSignal): Promise<AnswerOf<R>>;
  /** Whether a source can be asked at all in this run (e.g. false for everything when offline). */
  readonly mode: "live" | "replay" | "offline" | "lab";
}

/**
 * The stable identity of a question: what memoization, recordings and replays match on.
 * It never contains a secret: credentials travel in headers and environment, not in keys.
 */
export function requestKey(request: TransportRequest): string {
  switch (request.kind) {
    case "exec":
      return quoteCommand([request.program, ...request.args]);
    case "http":
      return `${request.method} ${request.path}`;
    case "dns":
      return `dns @${request.server} ${request.type} ${request.name}`;
    case "tcp":
      return `tcp ${request.host}:${request.port}`;
  }
}

/** Shapes of answers, checked when they come from a file (a recording may be hand-edited). */
export const answerSchemas = {
  exec: z.object({ exitCode: z.number().int(), stdout: z.string(), stderr: z.string() }),
  http: z.object({ status: z.number().int(), statusText: z.string(), contentType: z.string().nullable(), body: z.string() }),
  dns: z.object({ rcode: z.string(), addresses: z.array(z.string()) }),
  tcp: z.object({ connected: z.boolean(), error: z.string().optional() }),
} satisfies Record<TransportRequest["kind"], z.ZodType>;
