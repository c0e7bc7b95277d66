/**
 * A transport that answers from a lab in-process, with the same builders the fake programs and
 * servers use. It makes realistic recordings (real resolver IPs, no loopback ports), e.g. the
 * demo lab's, without starting anything.
 */
import { TransportError, type AnswerOf, type Transport, type TransportRequest } from "../../src/sources/transport.ts";
import type { Lab } from "./lab/model.ts";
import { omnictlAnswer } from "./lab/omni.ts";
import { talosctlAnswer } from "./lab/talos.ts";
import { kubectlAnswer } from "./lab/kube.ts";
import { pveAnswer } from "./lab/pve.ts";
import { dnsAnswer } from "./lab/dns.ts";

export class LabTransport implements Transport {
  readonly mode = "lab" as const;
  readonly lab: Lab;
  /** Programs that are "not installed" in this lab. */
  readonly missing: ReadonlySet<string>;

  constructor(lab: Lab, missing: string[] = []) {
    this.lab = lab;
    this.missing = new Set(missing);
  }

  async ask<R extends TransportRequest>(request: R): Promise<AnswerOf<R>> {
    switch (request.kind) {
      case "exec": {
        if (this.missing.has(request.program)) throw new TransportError("not-installed", `${request.program} is not installed`);
        const answer = request.program === "omnictl" ? omnictlAnswer(this.lab, request.args) : request.program === "talosctl" ? talosctlAnswer(this.lab, request.args) : kubectlAnswer(this.lab, request.args);
        return answer as AnswerOf<R>;
      }
      case "http": {
        const { delayMs: _delay, ...answer } = pveAnswer(this.lab, request.method, request.path, request.headers, request.body);
        return answer as AnswerOf<R>;
      }
      case "dns":
        return dnsAnswer(this.lab, request.server, request.name) as AnswerOf<R>;
      case "tcp":
        return { connected: true } as AnswerOf<R>;
    }
    throw new TransportError("failed", "unknown request");
  }
}
