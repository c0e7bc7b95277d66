/**
 * Every external question of a run goes through here: asked once (memoized by key), at most
 * `concurrency` at a time, each bounded by `timeoutMs`, all cancelled by the run's signal.
 * Once a system has let a call time out, its questions still waiting for a slot are not asked:
 * a hanging system costs one timeout, not one per queued question.
 */
import { Limiter } from "../util/limit.ts";
import { SourceError } from "./source-error.ts";
import { requestKey, TransportError, type AnswerOf, type Transport, type TransportRequest } from "./transport.ts";
import type { SourceName } from "../model/result.ts";
import { chainMs, currentChain, waitedFor, type ChainedCall } from "./call-chain.ts";

export interface CallRecord extends ChainedCall {
  source: SourceName;
  key: string;
  outcome: "ok" | "error";
}

/** Where the time of a run went: every call, the slowest chain of dependent calls, and their sum. */
export interface RunTrace {
  /** When the run began asking, in ms since the process started (module loading, kit reading before it). */
  originMs: number;
  calls: Array<{ source: SourceName; key: string; startMs: number; endMs: number; outcome: "ok" | "error"; parent: number | undefined }>;
  criticalPathMs: number;
  /** What asking every question one after another (a runbook) would take. */
  sequentialMs: number;
}

export interface QueryRunnerOptions {
  concurrency: number;
  timeoutMs: number;
  signal: AbortSignal;
}

export class QueryRunner {
  readonly transport: Transport;
  readonly timeoutMs: number;
  readonly #limiter: Limiter;
  readonly #signal: AbortSignal;
  readonly #memo = new Map<string, Promise<unknown>>();
  readonly #records = new Map<string, CallRecord>();
  /** Systems (see systemOf) that timed out, with the key of the call that did. */
  readonly #hanging = new Map<string, string>();
  readonly #origin = performance.now();
  #lastProgramStart = Promise.resolve();
  /** Every call that reached the transport, in start order (for --verbose and the benchmark). */
  readonly calls: CallRecord[] = [];

  constructor(transport: Transport, options: QueryRunnerOptions) {
    this.transport = transport;
    this.timeoutMs = options.timeoutMs;
    this.#limiter = new Limiter(options.concurrency);
    this.#signal = options.signal;
  }

  get distinctQueries(): number {
    return this.#memo.size;
  }

  ask<R extends TransportRequest>(request: R): Promise<AnswerOf<R>> {
    const key = `${request.source}\u0000${requestKey(request)}`;
    const chain = currentChain();
    let answer = this.#memo.get(key) as Promise<AnswerOf<R>> | undefined;
    if (!answer) {
      const parent = chain?.last;
      answer = this.#limiter.run(() => this.#call(request, key, parent));
      this.#memo.set(key, answer);
    }
    // Whoever asked has now waited for this call, whether it answered or failed.
    const joined = () => waitedFor(chain, this.#records.get(key));
    return answer.then(
      (value) => {
        joined();
        return value;
      },
      (error: unknown) => {
        joined();
        throw error;
      },
    );
  }

  /** The run's calls and its critical path, for the benchmark and OMNI_DOCTOR_TRACE. */
  trace(): RunTrace {
    const index = new Map<ChainedCall, number>(this.calls.map((c, i) => [c, i]));
    return {
      originMs: Math.round(this.#origin),
      calls: this.calls.map((c) => ({ source: c.source, key: c.key, startMs: Math.round(c.startMs), endMs: Math.round(c.endMs), outcome: c.outcome, parent: c.parent ? index.get(c.parent) : undefined })),
      criticalPathMs: Math.round(Math.max(0, ...this.calls.map(chainMs))),
      sequentialMs: Math.round(this.calls.reduce((sum, c) => sum + (c.endMs - c.startMs), 0)),
    };
  }

  async #call<R extends TransportRequest>(request: R, memoKey: string, parent: ChainedCall | undefined): Promise<AnswerOf<R>> {
    const key = requestKey(request);
    if (this.#signal.aborted) throw new SourceError(request.source, "cancelled", `not asked, the run was interrupted: ${key}`);
    const system = systemOf(request);
    const hung = this.#hanging.get(system);
    if (hung) {
      throw new SourceError(request.source, "timeout", `not asked: ${hung} already got no answer within ${this.#seconds}s`, "raise --timeout if the system is only slow");
    }
    if (request.kind === "exec") {
      await this.#programStartTurn();
      if (this.#signal.aborted) throw new SourceError(request.source, "cancelled", `not asked, the run was interrupted: ${key}`);
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = AbortSignal.any([this.#signal, timeout]);
    const record: CallRecord = { source: request.source, key, startMs: performance.now() - this.#origin, endMs: 0, outcome: "ok", parent };
    this.calls.push(record);
    this.#records.set(memoKey, record);
    try {
      // The race guarantees the bound even if a transport ignores its signal.
      return await new Promise<AnswerOf<R>>((resolve, reject) => {
        const onAbort = () => reject(new TransportError(timeout.aborted ? "timeout" : "cancelled", ""));
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        this.transport.ask(request, signal).then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
      });
    } catch (error) {
      record.outcome = "error";
      if (timeout.aborted) this.#hanging.set(system, key);
      throw this.#classify(request, key, error, timeout.aborted);
    } finally {
      record.endMs = performance.now() - this.#origin;
    }
  }

  /**
   * Starting a program blocks the event loop until the child has exec'd: milliseconds each, and a
   * run starts dozens at once. One start per event-loop turn lets HTTP, DNS and TCP calls be sent,
   * and answers be read, in between. The wait is queueing, like the limiter's, not part of the call.
   */
  #programStartTurn(): Promise<void> {
    const turn = this.#lastProgramStart.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.#lastProgramStart = turn;
    return turn;
  }

  get #seconds(): number {
    return Math.round(this.timeoutMs / 100) / 10;
  }

  #classify(request: TransportRequest, key: string, error: unknown, timedOut: boolean): SourceError {
    if (error instanceof SourceError) return error;
    const seconds = this.#seconds;
    if (timedOut) {
      return new SourceError(request.source, "timeout", `no answer within ${seconds}s: ${key}`, "raise --timeout if the system is only slow");
    }
    if (error instanceof TransportError) {
      return new SourceError(request.source, error.kind, error.message || `${error.kind}: ${key}`);
    }
    return new SourceError(request.source, "failed", `${key}: ${(error as Error)?.message ?? String(error)}`);
  }
}

/**
 * What one hang says something about: a program; a Proxmox node behind the API (one slow node
 * must not silence the others) or the API itself; a resolver; a host.
 */
function systemOf(request: TransportRequest): string {
  switch (request.kind) {
    case "exec":
      return `exec ${request.program}`;
    case "http": {
      const node = /^\/nodes\/([^/?]+)/.exec(request.path)?.[1];
      return node ? `http node ${node}` : `http ${new URL(request.url).host}`;
    }
    case "dns":
      return `dns ${request.server}`;
    case "tcp":
      return `tcp ${request.host}`;
  }
}
