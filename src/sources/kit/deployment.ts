/**
 * The Omni and Proxmox-provider services of the kit's compose files, with the settings they
 * actually run with: flags from `command:` (interpolated and split the way Compose does, so a
 * flag inside `${AUTH}` counts), Omni's `OMNI_*` environment form used by custom entrypoints, the
 * Tailscale sidecars they share a network with, and the files outside the kit they mount.
 */
import semver from "semver";
import type { Location } from "../../model/result.ts";
import type { Kit } from "./kit.ts";
import {
  commandArgs,
  composeProjects,
  effectiveArgs,
  interpolateSegments,
  parseImage,
  resolveBeside,
  serviceEnvironment,
  serviceImage,
  serviceVolumes,
  sharedNetworkService,
  type ComposeProject,
  type ComposeService,
  type EffectiveArg,
  type EnvBinding,
  type EnvironmentEntry,
} from "./compose.ts";
import { offsetAt } from "./text-edit.ts";

/** Omni's boolean flags (they never take the next argument), from internal/pkg/config/schema.json at b1ea5df. */
export const OMNI_BOOLEAN_FLAGS = new Set([
  "audit-log-enabled", "auth-auth0-enabled", "auth-auth0-use-form-data", "auth-oidc-allow-unverified-email",
  "auth-oidc-enabled", "auth-saml-enabled", "auth-webauthn-enabled", "auth-webauthn-required",
  "config-data-compression-enabled", "create-initial-service-account", "disable-controller-runtime-cache",
  "embedded-discovery-service-enabled", "embedded-discovery-service-snapshots-enabled",
  "enable-break-glass-configs", "enable-cluster-import", "enable-stripe-reporting",
  "enable-talos-pre-release-versions", "etcd-backup-s3", "etcd-embedded", "etcd-embedded-unsafe-fsync",
  "kubeconfig-oidc-cache-isolation", "local-resource-server-enabled", "siderolink-disable-last-endpoint",
  "siderolink-use-grpc-tunnel", "suspended", "workload-proxying-enabled",
  "workload-proxying-use-omni-subdomain",
]);

/** Deprecated Omni flags still accepted, and the flag each stands for. */
const OMNI_FLAG_ALIASES: Record<string, string> = {
  "siderolink-api-advertised-url": "machine-api-advertised-url",
  "siderolink-api-bind-addr": "machine-api-bind-addr",
  "siderolink-api-cert": "machine-api-cert",
  "siderolink-api-key": "machine-api-key",
};

const PROVIDER_BOOLEAN_FLAGS = new Set(["insecure-skip-verify"]);

export interface Setting {
  /** The canonical flag name, without dashes (aliases resolved). */
  flag: string;
  /** The name as written (`--siderolink-api-advertised-url`, or `OMNI_...`). */
  written: string;
  /** `true` for a bare boolean flag; "" when a flag that needs a value has none. */
  value: string;
  location: Location;
  arg?: EffectiveArg;
  env?: EnvironmentEntry;
}

export interface ServiceSettings {
  service: ComposeService;
  args: EffectiveArg[];
  settings: Setting[];
  /** Arguments that are neither flags nor the value of one (Omni and the provider take none). */
  strays: EffectiveArg[];
  /** The last setting of a flag (pflag keeps the last). */
  get(flag: string): Setting | undefined;
}

export interface OmniService extends ServiceSettings {
  /** The Omni release from the image tag (`v1.9.3` → `1.9.3`), when the tag is a version. */
  version: string | undefined;
}

export interface ProviderService extends ServiceSettings {
  /** `--id`, or the provider's default `proxmox`. */
  id: { value: string; location: Location; explicit: boolean };
}

type ServiceRole = "omni" | "provider" | "tailscale" | "other";

const OMNI_IMAGE = /(^|\/)siderolabs\/omni(:|@|$)/;
const PROVIDER_IMAGE = /omni-infra-provider-proxmox/;
const TAILSCALE_IMAGE = /(^|\/)tailscale\/tailscale(:|@|$)/;

function serviceRole(service: ComposeService): ServiceRole {
  const image = typeof service.value.image === "string" ? service.value.image : "";
  const args = commandArgs(service);
  const has = (flag: string) => args.some((a) => a === flag || a.startsWith(`${flag}=`));
  if (PROVIDER_IMAGE.test(image) || has("--omni-api-endpoint")) return "provider";
  const omniFlags = ["--advertised-api-url", "--machine-api-advertised-url", "--siderolink-api-advertised-url", "--siderolink-wireguard-advertised-addr", "--private-key-source", "--account-id"];
  if (OMNI_IMAGE.test(image) || omniFlags.some(has)) return "omni";
  if (serviceEnvironment(service).some((e) => e.key === "OMNI_ADVERTISED_API_URL" || e.key === "OMNI_ACCOUNT_ID")) return "omni";
  if (TAILSCALE_IMAGE.test(image)) return "tailscale";
  return "other";
}

function parseSettings(service: ComposeService, booleans: Set<string>, aliases: Record<string, string>): ServiceSettings {
  const args = effectiveArgs(service);
  const settings: Setting[] = [];
  const strays: EffectiveArg[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--?([A-Za-z0-9][A-Za-z0-9-]*)(=([\s\S]*))?$/.exec(arg.value);
    if (!match) {
      // A variable no env file defines (`${AUTH}` set in the shell) may hold anything: not a stray.
      if (!/^\$\{?[A-Za-z_]/.test(arg.value)) strays.push(arg);
      continue;
    }
    const written = match[1]!;
    const flag = aliases[written] ?? written;
    let value = match[3];
    if (value === undefined) {
      const next = args[i + 1];
      if (booleans.has(flag)) value = "true";
      else if (next && !next.value.startsWith("-")) {
        value = next.value;
        i++;
      } else value = "";
    }
    settings.push({ flag, written: `--${written}`, value, location: arg.location, arg });
  }
  return {
    service,
    args,
    settings,
    strays,
    get: (flag) => settings.findLast((s) => s.flag === flag),
  };
}

function omniService(service: ComposeService): OmniService {
  const parsed = parseSettings(service, OMNI_BOOLEAN_FLAGS, OMNI_FLAG_ALIASES);
  // Custom entrypoints turn OMNI_<FLAG> variables into flags; the command line still wins.
  const fromEnv: Setting[] = serviceEnvironment(service)
    .filter((e) => /^OMNI_[A-Z0-9_]+$/.test(e.key) && e.value !== undefined)
    .map((e) => {
      const written = e.key.slice(5).toLowerCase().replace(/_/g, "-");
      return { flag: OMNI_FLAG_ALIASES[written] ?? written, written: e.key, value: e.value!, location: e.location, env: e };
    });
  const settings = [...fromEnv, ...parsed.settings];
  const image = serviceImage(service);
  const tag = image ? parseImage(image.value).tag : undefined;
  const version = tag && /^v?\d+\.\d+(\.\d+)?$/.test(tag) ? semver.coerce(tag)?.version : undefined;
  return { ...parsed, settings, get: (flag) => settings.findLast((s) => s.flag === flag), version };
}

function providerService(service: ComposeService): ProviderService {
  const parsed = parseSettings(service, PROVIDER_BOOLEAN_FLAGS, {});
  const id = parsed.get("id");
  return {
    ...parsed,
    id: id ? { value: id.value, location: id.location, explicit: true } : { value: "proxmox", location: service.locate(["command"]), explicit: false },
  };
}

export interface Sidecar {
  /** The service using the sidecar's network (`network_mode: service:<sidecar>`). */
  user: ComposeService;
  sidecar: ComposeService;
}

export interface Deployment {
  projects: ComposeProject[];
  omni: OmniService[];
  providers: ProviderService[];
  /** Omni or provider services that share the network of a Tailscale container. */
  sidecars: Sidecar[];
}

export function deployment(kit: Kit): Deployment {
  const projects = composeProjects(kit);
  const services = projects.flatMap((p) => p.services);
  const roles = new Map(services.map((s) => [s, serviceRole(s)]));
  const sidecars: Sidecar[] = [];
  for (const user of services) {
    const shared = sharedNetworkService(user);
    const sidecar = shared ? user.project.services.find((s) => s.name === shared) : undefined;
    if (sidecar && roles.get(sidecar) === "tailscale" && (roles.get(user) === "omni" || roles.get(user) === "provider")) sidecars.push({ user, sidecar });
  }
  return {
    projects,
    omni: services.filter((s) => roles.get(s) === "omni").map(omniService),
    providers: services.filter((s) => roles.get(s) === "provider").map(providerService),
    sidecars,
  };
}

/** A file the Omni service mounts from the host and reads: the etcd encryption key or a TLS certificate. */
export interface MountedFile {
  purpose: "etcd-key" | "tls-cert";
  service: OmniService;
  /** The flag that names it (`--private-key-source`, `--cert`, `--machine-api-cert`). */
  setting: Setting;
  /** The path inside the container. */
  containerPath: string;
  /** A volume provides the path inside the container. */
  mounted: boolean;
  /** The host path (absolute, or a kit path relative to the current directory), when it is known. */
  hostPath: string | undefined;
  /** The host path came from an example env file (a placeholder, not read). */
  fromExample: boolean;
  location: Location;
}

function mountedAt(service: OmniService, containerPath: string): { hostPath: string | undefined; fromExample: boolean; location: Location } | undefined {
  for (const volume of serviceVolumes(service.service)) {
    const target = volume.target.replace(/\/+$/, "");
    if (containerPath !== target && !containerPath.startsWith(`${target}/`)) continue;
    const segments = interpolateSegments(volume.rawSource ?? "", service.service.project.env);
    const fromExample = segments.some((s) => s.binding?.file.example);
    // Named volumes, unresolved variables and SOPS ciphertext give no host path to read.
    if (!volume.bind || volume.source === undefined || volume.source.includes("$") || segments.some((s) => s.binding?.entry.encrypted)) {
      return { hostPath: undefined, fromExample, location: volume.location };
    }
    const hostPath = `${resolveBeside(service.service.file.path, volume.source).replace(/\/+$/, "")}${containerPath.slice(target.length)}`;
    return { hostPath, fromExample, location: volume.location };
  }
  return undefined;
}

export function mountedFiles(d: Deployment): MountedFile[] {
  const files: MountedFile[] = [];
  for (const service of d.omni) {
    const wanted: Array<[MountedFile["purpose"], Setting | undefined, string | undefined]> = [];
    const keySource = service.get("private-key-source");
    wanted.push(["etcd-key", keySource, keySource && /^file:\/\//.test(keySource.value) ? keySource.value.replace(/^file:\/\//, "") : undefined]);
    for (const flag of ["cert", "machine-api-cert"]) {
      const cert = service.get(flag);
      wanted.push(["tls-cert", cert, cert?.value || undefined]);
    }
    for (const [purpose, setting, containerPath] of wanted) {
      if (!setting || !containerPath) continue;
      const mount = mountedAt(service, containerPath);
      files.push({
        purpose,
        service,
        setting,
        containerPath,
        mounted: mount !== undefined,
        hostPath: mount?.hostPath,
        fromExample: mount?.fromExample ?? false,
        location: mount?.location ?? setting.location,
      });
    }
  }
  return files;
}

/** The env file definitions a setting's value came from (a flag inside `${AUTH}`, or `--x=${X}`). */
function settingBindings(owner: ServiceSettings, setting: Setting): EnvBinding[] {
  if (setting.arg?.binding) return [setting.arg.binding];
  const raw = setting.arg ? setting.arg.token.raw : (setting.env?.value ?? "");
  return interpolateSegments(raw, owner.service.project.env).flatMap((s) => (s.binding ? [s.binding] : []));
}

/** A value that comes from an example file is a placeholder: judge its shape, not its content. */
export function fromExample(owner: ServiceSettings, setting: Setting): boolean {
  return settingBindings(owner, setting).some((b) => b.file.example);
}

/** A value that comes from SOPS ciphertext cannot be judged at all. */
export function encrypted(owner: ServiceSettings, setting: Setting): boolean {
  return settingBindings(owner, setting).some((b) => b.entry.encrypted);
}

/** Where part of a setting's value is written, so a fix can change exactly those characters. */
export function whereWritten(owner: ServiceSettings, setting: Setting, needle: string): { file: { path: string; text: string }; offset: number } | undefined {
  const compose = owner.service.file;
  const token = setting.arg?.token;
  if (token?.offset !== undefined && token.raw.includes(needle)) {
    const offset = token.offset + token.raw.indexOf(needle);
    if (compose.text.startsWith(needle, offset)) return { file: compose, offset };
  }
  if (setting.env) {
    const lineStart = offsetAt(compose.text, { line: setting.env.location.line, column: 1 });
    const lineEnd = compose.text.indexOf("\n", lineStart);
    const offset = compose.text.indexOf(needle, lineStart);
    if (offset >= 0 && (lineEnd < 0 || offset < lineEnd)) return { file: compose, offset };
  }
  for (const binding of settingBindings(owner, setting)) {
    const index = binding.entry.value.indexOf(needle);
    const offset = binding.entry.valueOffset + index;
    if (index >= 0 && binding.file.text.startsWith(needle, offset)) return { file: binding.file, offset };
  }
  return undefined;
}
