import { TransportError, type AnswerOf, type Transport, type TransportRequest } from "./transport.ts";

/** --offline: refuses every question, so no process is started and no socket opened. */
export class OfflineTransport implements Transport {
  readonly mode = "offline" as const;
  readonly refused: string[] = [];
  async ask<R extends TransportRequest>(request: R): Promise<AnswerOf<R>> {
    this.refused.push(request.kind);
    throw new TransportError("offline", "not asked (--offline)");
  }
}
