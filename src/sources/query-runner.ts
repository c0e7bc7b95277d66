/**
 * Every external question of a run goes through here: asked once (memoized by key), at most
 * `concurrency` at a time, each bounded by `timeoutMs`, all cancelled by the run's signal.
 */
import { Limiter } from "../util/limit.ts";
import { SourceError } from "./source-error.ts";
import { requestKey, TransportError, type AnswerOf, type Transport, type TransportRequest } from "./transport.ts";
import type { SourceName } from "../model/result.ts";

export interface CallRecord {
  source: SourceName;
  key: string;
  startMs: number;
  endMs: number;
  outcome: "ok" | "error";
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
  readonly #origin = performance.now();
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
    let answer = this.#memo.get(key) as Promise<AnswerOf<R>> | undefined;
    if (!answer) {
      answer = this.#limiter.run(() => this.#call(request));
      this.#memo.set(key, answer);
    }
    return answer;
  }

  async #call<R extends TransportRequest>(request: R): Promise<AnswerOf<R>> {
    const key = requestKey(request);
    if (this.#signal.aborted) throw new SourceError(request.source, "cancelled", `not asked, the run was interrupted: ${key}`);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = AbortSignal.any([this.#signal, timeout]);
    const record: CallRecord = { source: request.source, key, startMs: performance.now() - this.#origin, endMs: 0, outcome: "ok" };
    this.calls.push(record);
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
      throw this.#classify(request, key, error, timeout.aborted);
    } finally {
      record.endMs = performance.now() - this.#origin;
    }
  }

  #classify(request: TransportRequest, key: string, error: unknown, timedOut: boolean): SourceError {
    if (error instanceof SourceError) return error;
    const seconds = Math.round(this.timeoutMs / 100) / 10;
    if (timedOut) {
      return new SourceError(request.source, "timeout", `no answer within ${seconds}s: ${key}`, "raise --timeout if the system is only slow");
    }
    if (error instanceof TransportError) {
      return new SourceError(request.source, error.kind, error.message || `${error.kind}: ${key}`);
    }
    return new SourceError(request.source, "failed", `${key}: ${(error as Error)?.message ?? String(error)}`);
  }
}
