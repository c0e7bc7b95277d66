/**
 * Runs checks in-process the way `check` does, over the real transports: the live transport
 * (proxmox-api through undici to the loopback HTTPS PVE, UDP DNS, TCP connects, fake programs on
 * PATH), a kit built from file texts, and Proxmox settings resolved like the CLI resolves them.
 */
import type { Check } from "../../src/engine/check.ts";
import { RunContext } from "../../src/engine/context.ts";
import { runChecks } from "../../src/engine/runner.ts";
import type { Result } from "../../src/model/result.ts";
import { LiveTransport } from "../../src/sources/live-transport.ts";
import type { ProxmoxAvailability } from "../../src/sources/proxmox/client.ts";
import { resolveProxmoxSettings, type ProxmoxInput } from "../../src/sources/proxmox/settings.ts";
import { SourceError } from "../../src/sources/source-error.ts";
import type { Transport } from "../../src/sources/transport.ts";
import { NEWEST_KNOWN_OMNI } from "../../src/version.ts";
import { kitFrom } from "./check-tester.ts";

export interface LiveRunOptions {
  /** Proxmox settings as a user gives them; none means "not configured". */
  proxmox?: ProxmoxInput;
  /** Kit files by path. */
  kit?: Record<string, string>;
  /** Environment of the programs (PATH with the fakes) and OMNI_DOCTOR_DNS_PORT. */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** How long a DNS or TCP probe waits before it counts as no answer. */
  probeTimeoutMs?: number;
  now?: Date;
  wrap?: (transport: Transport) => Transport;
}

export interface LiveRun {
  results: Result[];
  ctx: RunContext;
  elapsedMs: number;
}

export async function runLive(checks: Check[], o: LiveRunOptions = {}): Promise<LiveRun> {
  const timeoutMs = o.timeoutMs ?? 5000;
  const env = { PATH: "/nonexistent", OMNI_DOCTOR_DNS_PORT: "53", ...o.env };
  const live = new LiveTransport({ probeTimeoutMs: o.probeTimeoutMs ?? Math.min(timeoutMs, 1000), env });
  let proxmox: ProxmoxAvailability = { ok: false, error: new SourceError("pve", "not-configured", "no Proxmox API configured (test)") };
  if (o.proxmox) {
    const resolution = resolveProxmoxSettings([{ from: "test settings", input: o.proxmox }], {});
    proxmox = resolution.ok ? resolution : { ok: false, error: new SourceError("pve", "not-configured", resolution.reason, resolution.advice) };
  }
  const now = o.now ?? new Date("2026-11-20T10:00:00Z");
  const ctx = new RunContext({
    options: { dir: ".", offline: false, omniVersion: NEWEST_KNOWN_OMNI, timeoutMs, concurrency: 8 },
    transport: o.wrap ? o.wrap(live) : live,
    signal: new AbortController().signal,
    loadKit: () => kitFrom(o.kit ?? {}),
    proxmox,
    now,
  });
  const started = performance.now();
  try {
    const results = await runChecks(checks, ctx, { now, omniVersion: NEWEST_KNOWN_OMNI });
    return { results, ctx, elapsedMs: performance.now() - started };
  } finally {
    await live.close();
  }
}
