/**
 * Which external call each piece of work last waited for, followed through async code. Each new
 * call remembers the call its caller had waited for (its parent), so the slowest chain of
 * dependent calls, the critical path, can be measured afterwards (`OMNI_DOCTOR_TRACE`).
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface ChainedCall {
  startMs: number;
  endMs: number;
  parent: ChainedCall | undefined;
}

export interface Chain {
  last: ChainedCall | undefined;
}

const storage = new AsyncLocalStorage<Chain>();

/** How long the chain ending with this call took: its own time plus its parents'. */
export function chainMs(call: ChainedCall | undefined): number {
  let total = 0;
  for (let c = call; c; c = c.parent) total += Math.max(0, c.endMs - c.startMs);
  return total;
}

export function currentChain(): Chain | undefined {
  return storage.getStore();
}

/** Run `work` in a chain of its own that starts where `from` is. */
export function inChain<T>(from: ChainedCall | undefined, work: () => T): { result: T; chain: Chain } {
  const chain: Chain = { last: from };
  return { result: storage.run(chain, work), chain };
}

/** The caller has now waited for `call` too: its chain continues from the slower of the two. */
export function waitedFor(chain: Chain | undefined, call: ChainedCall | undefined): void {
  if (chain && call && chainMs(call) > chainMs(chain.last)) chain.last = call;
}
