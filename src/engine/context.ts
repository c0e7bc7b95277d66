/**
 * Everything one run shares: its options, the query runner, one adapter per source, and the
 * memo of resolved facts. Facts resolve through it; checks never see it.
 */
import type { Availability, Fact } from "./fact.ts";
import { QueryRunner } from "../sources/query-runner.ts";
import type { Transport } from "../sources/transport.ts";
import { SourceError, isSourceError } from "../sources/source-error.ts";
import { currentChain, inChain, waitedFor, type Chain } from "../sources/call-chain.ts";
import { OmniSource } from "../sources/omni/omnictl.ts";
import { TalosSource } from "../sources/talos/talosctl.ts";
import { KubeSource } from "../sources/kube/kubectl.ts";
import { ProxmoxSource, type ProxmoxAvailability } from "../sources/proxmox/client.ts";
import { DnsSource, NetSource } from "../sources/net/probes.ts";
import type { Kit } from "../sources/kit/kit.ts";

export interface RunOptions {
  /** The kit directory. */
  dir: string;
  offline: boolean;
  cluster?: string;
  kubeContext?: string;
  omniVersion: string;
  timeoutMs: number;
  concurrency: number;
}

export interface RunContextParts {
  options: RunOptions;
  transport: Transport;
  signal: AbortSignal;
  /** Reads the kit once; a thrown error makes every file fact unavailable. */
  loadKit: () => Kit;
  proxmox: ProxmoxAvailability;
  /** The moment the facts describe: now, or a replayed recording's time. */
  now: Date;
}

export class RunContext {
  readonly options: RunOptions;
  readonly runner: QueryRunner;
  readonly now: Date;
  readonly omni: OmniSource;
  readonly talos: TalosSource;
  readonly kube: KubeSource;
  readonly pve: ProxmoxSource;
  readonly dns: DnsSource;
  readonly net: NetSource;
  readonly #loadKit: () => Kit;
  #kit: Kit | undefined;
  readonly #facts = new Map<string, { value: Promise<unknown>; chain: Chain | undefined }>();

  constructor(parts: RunContextParts) {
    this.options = parts.options;
    this.now = parts.now;
    this.runner = new QueryRunner(parts.transport, { concurrency: parts.options.concurrency, timeoutMs: parts.options.timeoutMs, signal: parts.signal });
    this.omni = new OmniSource(this.runner, parts.options.cluster);
    this.talos = new TalosSource(this.runner);
    this.kube = new KubeSource(this.runner, parts.options.kubeContext);
    this.pve = new ProxmoxSource(this.runner, parts.proxmox);
    this.dns = new DnsSource(this.runner);
    this.net = new NetSource(this.runner);
    this.#loadKit = parts.loadKit;
  }

  kit(): Kit {
    if (!this.#kit) {
      try {
        this.#kit = this.#loadKit();
      } catch (error) {
        throw new SourceError("files", "failed", `cannot read the kit in ${this.options.dir}: ${(error as Error).message}`);
      }
    }
    return this.#kit;
  }

  /** Resolve a fact once per run; every caller shares the same promise. */
  fact<T>(fact: Fact<T>): Promise<T> {
    let entry = this.#facts.get(fact.id) as { value: Promise<T>; chain: Chain | undefined } | undefined;
    if (!entry) {
      if (this.options.offline && fact.source !== "files") {
        entry = { value: Promise.reject(new SourceError(fact.source, "offline", "not asked (--offline)")), chain: undefined };
      } else {
        // The fact's own chain of calls, joined into each caller's when it is awaited.
        const { result, chain } = inChain(currentChain()?.last, () => Promise.resolve().then(() => fact.resolve(this)));
        entry = { value: result, chain };
      }
      entry.value.catch(() => {}); // observed by every awaiting check; never an unhandled rejection
      this.#facts.set(fact.id, entry);
    }
    const caller = currentChain();
    const { chain } = entry;
    return entry.value.finally(() => waitedFor(caller, chain?.last));
  }

  /** Resolve a fact, turning "source unavailable" into a value the caller can branch on. */
  async tryFact<T>(fact: Fact<T>): Promise<Availability<T>> {
    try {
      return { ok: true, value: await this.fact(fact) };
    } catch (error) {
      if (isSourceError(error)) return { ok: false, error };
      throw error;
    }
  }
}
