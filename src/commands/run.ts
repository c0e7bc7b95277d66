/**
 * What `check` and `fix` share: turn command-line options into a run (kit, transport, sources,
 * selected checks), run it, and hand back the results.
 */
import { existsSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { RunContext, type RunOptions } from "../engine/context.ts";
import type { Check, CheckContext } from "../engine/check.ts";
import { loadRegistry } from "../engine/registry.ts";
import { runChecks } from "../engine/runner.ts";
import { parseList, selectChecks, SelectionError } from "../engine/selection.ts";
import { FAIL_ON, type FailOn } from "../engine/exit-code.ts";
import type { Result } from "../model/result.ts";
import { CONFIG_FILE, ConfigError, readConfig, type DoctorConfig } from "../config/config-file.ts";
import { parseKit, readKitFiles } from "../sources/kit/kit.ts";
import { LiveTransport } from "../sources/live-transport.ts";
import { OfflineTransport } from "../sources/offline-transport.ts";
import { readRecording, RecordingError, RecordingTransport, ReplayTransport, writeManifest, RECORDING_FORMAT, type Recording } from "../sources/recording.ts";
import type { Transport } from "../sources/transport.ts";
import { SourceError } from "../sources/source-error.ts";
import { fromEnv, fromProviderConfig, kitProviderConfigs, resolveProxmoxSettings, type ProxmoxInput } from "../sources/proxmox/settings.ts";
import type { ProxmoxAvailability } from "../sources/proxmox/client.ts";
import type { Kit } from "../sources/kit/kit.ts";
import { FORMATS, supportedFormats, type Format } from "../report/report.ts";
import { NEWEST_KNOWN_OMNI, VERSION } from "../version.ts";
import { UsageError } from "./usage-error.ts";

export interface CommonOptions {
  offline?: boolean;
  only?: string;
  skip?: string;
  cluster?: string;
  context?: string;
  format: string;
  output?: string;
  failOn: string;
  timeout: string;
  concurrency: string;
  record?: string;
  replay?: string;
  config?: string;
  omniVersion?: string;
  verbose?: boolean;
  proxmoxUrl?: string;
  proxmoxTokenId?: string;
  proxmoxTokenSecret?: string;
  proxmoxUsername?: string;
  proxmoxPassword?: string;
  proxmoxRealm?: string;
  proxmoxCa?: string;
  proxmoxFingerprint?: string;
  proxmoxInsecure?: boolean;
}

export interface PreparedRun {
  dir: string;
  format: Format;
  failOn: FailOn;
  checks: Check[];
  ctx: RunContext;
  checkContext: CheckContext;
  /** A short description of the run's mode for the report header. */
  header: string;
  finish(): Promise<void>;
}

export interface RunOutcome {
  prepared: PreparedRun;
  results: Result[];
  elapsedMs: number;
}

function positiveNumber(name: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`${name} must be a positive ${integer ? "integer" : "number"}, got "${value}"`);
  return n;
}

function shown(path: string): string {
  return relative(process.cwd(), path) || ".";
}

function proxmoxFlags(o: CommonOptions): ProxmoxInput {
  const input: ProxmoxInput = {};
  if (o.proxmoxUrl) input.url = o.proxmoxUrl;
  if (o.proxmoxTokenId) input.tokenId = o.proxmoxTokenId;
  if (o.proxmoxTokenSecret) input.tokenSecret = o.proxmoxTokenSecret;
  if (o.proxmoxUsername) input.username = o.proxmoxUsername;
  if (o.proxmoxPassword) input.password = o.proxmoxPassword;
  if (o.proxmoxRealm) input.realm = o.proxmoxRealm;
  if (o.proxmoxCa) input.ca = o.proxmoxCa;
  if (o.proxmoxFingerprint) input.fingerprint = o.proxmoxFingerprint;
  if (o.proxmoxInsecure) input.insecure = true;
  return input;
}

function configProxmox(config: DoctorConfig): ProxmoxInput {
  const p = config.proxmox;
  if (!p) return {};
  const input: ProxmoxInput = fromProviderConfig({ ...p, insecureSkipVerify: p.insecure });
  if (p.ca) input.ca = p.ca;
  if (p.fingerprint) input.fingerprint = p.fingerprint;
  return input;
}

function proxmoxAvailability(o: CommonOptions, config: DoctorConfig, configFile: string, kit: () => Kit, recording: Recording | undefined): ProxmoxAvailability {
  if (recording) {
    const pve = recording.manifest.sources.pve;
    if (!pve) return { ok: false, error: new SourceError("pve", "not-recorded", "the recording has no Proxmox answers") };
    const url = new URL(pve.url);
    return {
      ok: true,
      settings: {
        origin: url.origin,
        host: url.hostname,
        port: Number(url.port || 8006),
        schema: url.protocol === "http:" ? "http" : "https",
        // Replayed answers need no credentials; these placeholders never leave the process.
        auth: { kind: "token", tokenId: "replay@pve!replay", tokenSecret: "00000000-0000-0000-0000-000000000000" },
        tls: {},
        tlsMode: pve.tls,
        from: "recording",
      },
    };
  }
  let kitCandidates: Array<{ from: string; input: ProxmoxInput }> = [];
  try {
    kitCandidates = kitProviderConfigs(kit());
  } catch {
    // An unreadable kit is reported by the file checks; here it only means no candidates.
  }
  const resolution = resolveProxmoxSettings(
    [
      { from: "command-line flags", input: proxmoxFlags(o) },
      { from: "PROXMOX_* environment", input: fromEnv(process.env) },
      { from: configFile, input: configProxmox(config) },
      ...kitCandidates,
    ],
    process.env,
  );
  return resolution.ok ? resolution : { ok: false, error: new SourceError("pve", "not-configured", resolution.reason, resolution.advice) };
}

/** For programs that drive a run themselves (the demo recorder, the benchmark): answer from this transport instead of the live systems. */
export interface RunOverrides {
  transport?: Transport;
  /** The moment the answers describe (a lab's time), instead of now. */
  now?: Date;
}

export async function prepareRun(dirArg: string | undefined, o: CommonOptions, signal: AbortSignal, overrides: RunOverrides = {}): Promise<PreparedRun> {
  const dir = resolve(dirArg ?? ".");
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dirArg ?? "."}: not a directory`);
  if (!(FORMATS as readonly string[]).includes(o.format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got "${o.format}"`);
  if (!(supportedFormats() as string[]).includes(o.format)) throw new UsageError(`--format ${o.format} is not available in this version (available: ${supportedFormats().join(", ")})`);
  if (!(FAIL_ON as readonly string[]).includes(o.failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(", ")}, got "${o.failOn}"`);
  if (o.record && o.replay) throw new UsageError("--record and --replay cannot be used together");
  if (o.offline && (o.record || o.replay)) throw new UsageError("--offline asks no live system, so there is nothing to record or replay");
  const timeoutMs = positiveNumber("--timeout", o.timeout, false) * 1000;
  const concurrency = positiveNumber("--concurrency", o.concurrency, true);

  const configPath = o.config ? resolve(o.config) : join(dir, CONFIG_FILE);
  const configShown = shown(configPath);
  let config: DoctorConfig = {};
  try {
    if (o.config || existsSync(configPath)) config = readConfig(configPath, configShown);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }

  let recording: Recording | undefined;
  if (o.replay) {
    try {
      recording = readRecording(resolve(o.replay));
    } catch (error) {
      if (error instanceof RecordingError) throw new UsageError(error.message);
      throw error;
    }
  }

  const registry = await loadRegistry();
  let checks: Check[];
  try {
    checks = selectChecks(registry.checks, parseList(o.only), parseList(o.skip));
  } catch (error) {
    if (error instanceof SelectionError) throw new UsageError(error.message);
    throw error;
  }

  const options: RunOptions = {
    dir,
    offline: Boolean(o.offline),
    omniVersion: o.omniVersion ?? NEWEST_KNOWN_OMNI,
    timeoutMs,
    concurrency,
    ...(o.cluster ? { cluster: o.cluster } : {}),
    ...(o.context ? { kubeContext: o.context } : {}),
  };

  let kitCache: Kit | undefined;
  const loadKit = () => (kitCache ??= parseKit(dir, readKitFiles(dir).map((f) => ({ ...f, path: displayPath(dir, f.path) }))));

  let transport: Transport;
  const live = o.offline || recording || overrides.transport ? undefined : new LiveTransport({ probeTimeoutMs: Math.min(timeoutMs, 5000) });
  if (o.offline) transport = new OfflineTransport();
  else if (recording) transport = new ReplayTransport(recording);
  else transport = overrides.transport ?? live!;
  if (o.record) transport = new RecordingTransport(transport, resolve(o.record));

  const proxmox: ProxmoxAvailability = o.offline ? { ok: false, error: new SourceError("pve", "offline", "not asked (--offline)") } : proxmoxAvailability(o, config, configShown, loadKit, recording);
  const now = recording ? new Date(recording.manifest.recordedAt) : (overrides.now ?? new Date());
  const ctx = new RunContext({ options, transport, signal, loadKit, proxmox, now });
  const checkContext: CheckContext = { now, omniVersion: options.omniVersion, ...(o.cluster ? { cluster: o.cluster } : {}) };

  const mode = o.offline ? "offline" : recording ? `replay ${o.replay} (recorded ${recording.manifest.recordedAt})` : o.record ? `live, recording to ${o.record}` : "live";
  const pveNote = proxmox.ok && !o.offline && !recording ? ` · Proxmox ${proxmox.settings.origin} (TLS ${proxmox.settings.tlsMode})` : "";
  return {
    dir,
    format: o.format as Format,
    failOn: o.failOn as FailOn,
    checks,
    ctx,
    checkContext,
    header: `kit ${shown(dir)} · ${mode}${pveNote}`,
    async finish() {
      if (o.record) {
        writeManifest(resolve(o.record), {
          format: RECORDING_FORMAT,
          tool: "omni-doctor",
          version: VERSION,
          recordedAt: now.toISOString(),
          sources: {
            ...(proxmox.ok ? { pve: { url: proxmox.settings.origin, auth: proxmox.settings.auth.kind, tls: proxmox.settings.tlsMode } } : {}),
            ...(o.context ? { kube: { context: o.context } } : {}),
          },
          options: { ...(o.cluster ? { cluster: o.cluster } : {}), omniVersion: options.omniVersion },
        });
      }
      await live?.close();
    },
  };
}

/** Kit paths as the user would type them from the current directory. */
function displayPath(dir: string, rel: string): string {
  return shown(join(dir, rel)).split("\\").join("/");
}

export async function executeRun(prepared: PreparedRun, onProgress?: (done: number, total: number) => void): Promise<RunOutcome> {
  const started = performance.now();
  let done = 0;
  const results = await runChecks(prepared.checks, prepared.ctx, prepared.checkContext, () => onProgress?.(++done, prepared.checks.length));
  await prepared.finish();
  return { prepared, results, elapsedMs: performance.now() - started };
}
