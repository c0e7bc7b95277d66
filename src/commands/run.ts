/**
 * What `check` and `fix` share: turn command-line options into a run (kit, transport, sources,
 * selected checks), run it, and hand back the results.
 */
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { RunContext, type RunOptions } from "../engine/context.ts";
import type { Check, CheckContext } from "../engine/check.ts";
import { loadRegistry } from "../engine/registry.ts";
import { runChecks } from "../engine/runner.ts";
import { parseList, selectChecks, SelectionError } from "../engine/selection.ts";
import { FAIL_ON, type FailOn } from "../engine/exit-code.ts";
import type { Result } from "../model/result.ts";
import { CONFIG_FILE, ConfigError, EMPTY_CONFIG, readConfig, type DoctorConfig, type LoadedConfig } from "../config/config-file.ts";
import { applySuppressions, suppressionsOf, type Suppression } from "../engine/suppressions.ts";
import type { ReportRule } from "../report/rules.ts";
import { registerSecret, registerSecretsFromEnv } from "../sources/redact.ts";
import { parseKit, readKitFiles } from "../sources/kit/kit.ts";
import { OfflineTransport } from "../sources/offline-transport.ts";
import { readRecording, RecordingError, RecordingTransport, ReplayTransport, writeManifest, RECORDING_FORMAT, type Recording } from "../sources/recording.ts";
import type { Transport } from "../sources/transport.ts";
import { detectOmniVersion } from "../sources/omni/facts.ts";
import { SourceError } from "../sources/source-error.ts";
import { omniKubeContext } from "../sources/kube/kubectl.ts";
import { fromEnv, fromProviderConfig, kitProviderConfigs, resolveProxmoxSettings, type ProxmoxInput } from "../sources/proxmox/settings.ts";
import type { ProxmoxAvailability } from "../sources/proxmox/client.ts";
import type { Kit } from "../sources/kit/kit.ts";
import { FORMATS, type Format } from "../report/report.ts";
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
  /** What reports say about the checks that run. */
  rules: ReportRule[];
  suppressions: Suppression[];
  ctx: RunContext;
  /** Resolves once Omni's version is known (detected in parallel with the checks' facts). */
  checkContext: Promise<CheckContext>;
  now: Date;
  /** A short description of the run's mode for the report header. */
  header: string;
  /** After the checks: write the recording's manifest (with --record). */
  finish(): void;
  /** Release connections; the run's sources cannot be used afterwards. */
  close(): Promise<void>;
}

export interface RunOutcome {
  prepared: PreparedRun;
  results: Result[];
  elapsedMs: number;
}

/** How long a DNS or TCP probe waits: short enough that "no answer" is observed before --timeout ends the call. */
function probeTimeout(timeoutMs: number): number {
  return Math.min(5000, Math.max(200, timeoutMs - 500));
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
  registerSecretsFromEnv(process.env);
  registerSecret(o.proxmoxTokenSecret);
  registerSecret(o.proxmoxPassword);
  const dir = resolve(dirArg ?? ".");
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dirArg ?? "."}: not a directory`);
  if (!(FORMATS as readonly string[]).includes(o.format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got "${o.format}"`);
  if (!(FAIL_ON as readonly string[]).includes(o.failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(", ")}, got "${o.failOn}"`);
  if (o.record && o.replay) throw new UsageError("--record and --replay cannot be used together");
  if (o.offline && (o.record || o.replay)) throw new UsageError("--offline asks no live system, so there is nothing to record or replay");
  const timeoutMs = positiveNumber("--timeout", o.timeout, false) * 1000;
  const concurrency = positiveNumber("--concurrency", o.concurrency, true);

  const configPath = o.config ? resolve(o.config) : join(dir, CONFIG_FILE);
  const configShown = shown(configPath);
  let loaded: LoadedConfig = EMPTY_CONFIG;
  try {
    if (o.config || existsSync(configPath)) loaded = readConfig(configPath, configShown);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const config = loaded.config;

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
  const suppressions = suppressionsOf(loaded);
  const unknown = suppressions.find((sup) => !registry.checks.some((c) => c.meta.id === sup.check));
  if (unknown) throw new UsageError(`${loaded.where(["suppressions", suppressions.indexOf(unknown), "check"])}: no check "${unknown.check}" (see omni-doctor list)`);
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
  // The live transport (execa, undici, dns-packet) is loaded only for live runs: offline CI gates start faster.
  const live = o.offline || recording || overrides.transport ? undefined : new (await import("../sources/live-transport.ts")).LiveTransport({ probeTimeoutMs: probeTimeout(timeoutMs) });
  if (o.offline) transport = new OfflineTransport();
  else if (recording) transport = new ReplayTransport(recording);
  else transport = overrides.transport ?? live!;
  if (o.record) transport = new RecordingTransport(transport, resolve(o.record));

  const proxmox: ProxmoxAvailability = o.offline ? { ok: false, error: new SourceError("pve", "offline", "not asked (--offline)") } : proxmoxAvailability(o, config, configShown, loadKit, recording);
  const now = recording ? new Date(recording.manifest.recordedAt) : (overrides.now ?? new Date());
  const ctx = new RunContext({ options, transport, signal, loadKit, proxmox, now });
  // With --cluster and no --context, talk to that cluster through Omni's context for it when the kubeconfig has one.
  if (o.cluster && !o.context) ctx.kube.preferContext(omniKubeContext(o.cluster));
  // Facts do not depend on Omni's version, only the rules do: checks gather their facts while the
  // version is being detected, instead of every external call waiting behind that one.
  const omniVersion =
    o.omniVersion || o.offline ? Promise.resolve(options.omniVersion) : detectOmniVersion(ctx).then((detected) => (options.omniVersion = detected ?? NEWEST_KNOWN_OMNI));
  const checkContext = omniVersion.then((version): CheckContext => ({ now, omniVersion: version, ...(o.cluster ? { cluster: o.cluster } : {}) }));

  const mode = o.offline ? "offline" : recording ? `replay ${o.replay} (recorded ${recording.manifest.recordedAt})` : o.record ? `live, recording to ${o.record}` : "live";
  const pveNote = proxmox.ok && !o.offline && !recording ? ` · Proxmox ${proxmox.settings.origin} (TLS ${proxmox.settings.tlsMode})` : "";
  return {
    dir,
    format: o.format as Format,
    failOn: o.failOn as FailOn,
    checks,
    rules: checks.map((c) => ({ id: c.meta.id, title: c.meta.title, severity: c.meta.severity, sources: c.meta.sources, page: registry.entries.find((e) => e.id === c.meta.id)?.page ?? "" })),
    suppressions,
    ctx,
    checkContext,
    now,
    header: `kit ${shown(dir)} · ${mode}${pveNote}`,
    finish() {
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
    },
    async close() {
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
  const raw = await runChecks(prepared.checks, prepared.ctx, prepared.checkContext, () => onProgress?.(++done, prepared.checks.length));
  const results = applySuppressions(raw, prepared.suppressions, {
    kitDir: prepared.dir,
    now: prepared.now,
    titles: new Map(prepared.checks.map((c) => [c.meta.id, c.meta.title])),
  });
  prepared.finish();
  const elapsedMs = performance.now() - started;
  // Where the time went, for "why is it slow" reports and the benchmark: every call, the critical path.
  if (process.env.OMNI_DOCTOR_TRACE) writeFileSync(process.env.OMNI_DOCTOR_TRACE, `${JSON.stringify({ elapsedMs: Math.round(elapsedMs), ...prepared.ctx.runner.trace() }, null, 2)}\n`);
  return { prepared, results, elapsedMs };
}
