/** DNS questions straight to a chosen resolver over UDP, and TCP connects. Both are observations, not failures. */
import type { QueryRunner } from "../query-runner.ts";
import type { DnsAnswer, TcpAnswer } from "../transport.ts";

export class DnsSource {
  readonly #runner: QueryRunner;
  constructor(runner: QueryRunner) {
    this.#runner = runner;
  }
  query(server: string, name: string, type: "A" | "AAAA" = "A"): Promise<DnsAnswer> {
    return this.#runner.ask({ kind: "dns", source: "dns", server, name, type });
  }
}

export class NetSource {
  readonly #runner: QueryRunner;
  constructor(runner: QueryRunner) {
    this.#runner = runner;
  }
  connect(host: string, port: number): Promise<TcpAnswer> {
    return this.#runner.ask({ kind: "tcp", source: "net", host, port });
  }
}
