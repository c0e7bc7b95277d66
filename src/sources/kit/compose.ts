/**
 * Docker Compose files in the kit: services, their command arguments (string or list form) with
 * positions, `${VAR}` references and their interpolation from the env files Compose would read,
 * and the service settings the kit checks look at (volumes, devices, ports, environment).
 *
 * Compose's rules, which the checks depend on: `${VAR}` in the compose file is interpolated from
 * the shell, from `.env` beside the compose file, or from `--env-file` files; `env_file:` only
 * sets the container's environment. A string `command:` is interpolated first and then split
 * like a shell would (quotes group, blanks separate); a list `command:` is never split.
 */
import { isMap, isScalar, isSeq, type Document, type Node, type Scalar } from "yaml";
import type { Location } from "../../model/result.ts";
import { docValue, isRecord, keyNodeAt, locationAt, locationOf, nodeAt } from "./yaml-file.ts";
import type { Kit, KitYamlFile } from "./kit.ts";
import { filesOfKind } from "./kit.ts";
import { envEntry, envValueLocation, type EnvEntry, type EnvFile } from "./env-file.ts";
import { shellWords } from "./shell-words.ts";

export interface ComposeProject {
  file: KitYamlFile;
  doc: Document.Parsed;
  services: ComposeService[];
  env: ComposeEnv;
}

export interface ComposeService {
  project: ComposeProject;
  file: KitYamlFile;
  name: string;
  value: Record<string, unknown>;
  /** Where a path inside the service is in the file (its value; for a missing path, the key of the nearest parent). */
  locate(path: ReadonlyArray<string | number>): Location;
  /** Where the key of a path is written (the setting's line), else the nearest parent's key. */
  locateKey(path: ReadonlyArray<string | number>): Location;
}

/** A variable's definition in an env file. */
export interface EnvBinding {
  name: string;
  value: string;
  file: EnvFile;
  entry: EnvEntry;
}

export interface ComposeEnv {
  /** Env files Compose reads for `${VAR}` in this compose file, lowest precedence first. */
  interpolation: EnvFile[];
  /** Env files given to containers with `env_file:` that Compose does not read for `${VAR}`. */
  containerOnly: EnvFile[];
  /**
   * The definition Compose would use for `${name}`; failing that, the one in a container-only env
   * file (what the author meant: checks judge that value, kit/env-interpolation reports the wiring).
   */
  lookup(name: string): EnvBinding | undefined;
}

const dirOf = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "");
const baseOf = (path: string) => path.slice(path.lastIndexOf("/") + 1);

/** The file an example stands in for: `omni.env.example` → `omni.env`, `.env.example` → `.env`. */
export function exampleTarget(name: string): string {
  return name.replace(/\.(example|template|sample|dist)$/, "");
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

/** Paths relative to a kit file's folder, as kit paths (`../x` and `./x` resolved). */
export function resolveBeside(filePath: string, relative: string): string {
  return relative.startsWith("/") ? relative : normalize(dirOf(filePath) + relative);
}

function envFileRefs(value: Record<string, unknown>): string[] {
  if (!isRecord(value.services)) return [];
  return Object.values(value.services).flatMap((service) => {
    if (!isRecord(service)) return [];
    const refs = Array.isArray(service.env_file) ? service.env_file : service.env_file === undefined ? [] : [service.env_file];
    return refs.map((r) => (isRecord(r) ? String(r.path ?? "") : String(r)));
  });
}

/**
 * Env files named with `--env-file` in the kit's scripts, task files and docs: files Compose is
 * told to read. A name counts as a path from the kit's root, from the script's folder, or as a
 * file beside the script.
 */
function envFilesNamedOnCommandLines(kit: Kit): Set<string> {
  const paths = new Set<string>();
  for (const file of kit.text) {
    for (const m of file.text.matchAll(/--env-file[= ]+["']?([^\s"';&|]+)/g)) {
      const named = m[1]!;
      paths.add(resolveBeside(file.path, named));
      paths.add(normalize(named));
      paths.add(dirOf(file.path) + baseOf(named));
    }
  }
  return paths;
}

function composeEnv(kit: Kit, file: KitYamlFile, value: Record<string, unknown>): ComposeEnv {
  const dir = dirOf(file.path);
  const local = kit.env.filter((e) => dirOf(e.path) === dir);
  const realNames = new Set(local.filter((e) => !e.example).map((e) => baseOf(e.path)));
  const containerRefs = new Set(envFileRefs(value).map((ref) => resolveBeside(file.path, ref)));
  const passed = envFilesNamedOnCommandLines(kit);
  const interpolation: EnvFile[] = [];
  const containerOnly: EnvFile[] = [];
  for (const env of local) {
    const target = exampleTarget(baseOf(env.path));
    // An example stands in for its real file only while the real one is absent.
    if (env.example && realNames.has(target)) continue;
    const onlyForContainers = target !== ".env" && containerRefs.has(dir + target) && !passed.has(dir + target);
    (onlyForContainers ? containerOnly : interpolation).push(env);
  }
  // Lowest precedence first: `.env` (what Compose reads by itself) before files passed with
  // --env-file, which replace it; examples before the real files they stand for.
  interpolation.sort((a, b) => Number(exampleTarget(baseOf(b.path)) === ".env") - Number(exampleTarget(baseOf(a.path)) === ".env") || Number(b.example) - Number(a.example));
  const lookup = (name: string) => {
    for (const files of [interpolation, containerOnly]) {
      for (let i = files.length - 1; i >= 0; i--) {
        const entry = envEntry(files[i]!, name);
        if (entry) return { name, value: entry.value, file: files[i]!, entry };
      }
    }
    return undefined;
  };
  return { interpolation, containerOnly, lookup };
}

export function composeProjects(kit: Kit): ComposeProject[] {
  return filesOfKind(kit, "compose").flatMap((file) =>
    file.docs.flatMap((doc) => {
      const value = docValue(doc);
      if (!isRecord(value) || !isRecord(value.services)) return [];
      const project: ComposeProject = { file, doc, services: [], env: composeEnv(kit, file, value) };
      project.services = Object.entries(value.services)
        .filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]))
        .map(([name, service]) => ({
          project,
          file,
          name,
          value: service,
          locate: (path) => {
            const node = nodeAt(doc.contents, ["services", name, ...path]);
            // Something missing is reported where it should go: at the key of the nearest parent that exists.
            return node ? locationOf(file, node, doc) : keyLocation(file, doc, ["services", name, ...path.slice(0, -1)]);
          },
          locateKey: (path) => keyLocation(file, doc, ["services", name, ...path]),
        }));
      return [project];
    }),
  );
}

function keyLocation(file: KitYamlFile, doc: Document.Parsed, path: Array<string | number>): Location {
  for (let n = path.length; n >= 1; n--) {
    const key = keyNodeAt(doc.contents, path.slice(0, n));
    if (key) return locationOf(file, key, doc);
  }
  return locationOf(file, undefined, doc);
}

export function composeServices(kit: Kit): ComposeService[] {
  return composeProjects(kit).flatMap((p) => p.services);
}

// ---------------------------------------------------------------------------------------------
// Variables and interpolation

export interface VarRef {
  name: string;
  /** The reference as written: `${NAME:-x}`, `$NAME`. */
  text: string;
  /** `-`/`:-` default, `?`/`:?` required, `+`/`:+` alternative. */
  modifier: string | undefined;
  fallback: string | undefined;
  location: Location;
  /** The compose path of the value it is in (`services`, name, `command`, ...). */
  path: Array<string | number>;
}

const VAR_REF = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Where `needle` is in the source of a scalar node, searching from `from`; falls back to the node's start. */
function offsetInNode(file: KitYamlFile, node: Node, needle: string, from: number): number | undefined {
  const [start = 0, end = start] = node.range ?? [];
  const found = file.text.indexOf(needle, Math.max(start, from));
  return found >= 0 && found < end ? found : undefined;
}

/** Every `${VAR}`/`$VAR` in the compose document's values, with positions. `$$` is a literal dollar. */
export function composeVariables(project: ComposeProject): VarRef[] {
  const refs: VarRef[] = [];
  const walk = (node: unknown, path: Array<string | number>) => {
    if (isMap(node)) for (const pair of node.items) walk(pair.value, [...path, isScalar(pair.key) ? String(pair.key.value) : "?"]);
    else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i]));
    else if (isScalar(node) && typeof node.value === "string" && node.value.includes("$")) {
      let cursor = node.range?.[0] ?? 0;
      for (const m of node.value.matchAll(VAR_REF)) {
        if (m[0] === "$$") continue;
        const at = offsetInNode(project.file, node, m[0], cursor);
        if (at !== undefined) cursor = at + m[0].length;
        refs.push({
          name: (m[1] ?? m[4])!,
          text: m[0],
          modifier: m[2],
          fallback: m[3],
          location: at !== undefined ? locationAt(project.file, at) : locationOf(project.file, node),
          path,
        });
      }
    }
  };
  walk(project.doc.contents, []);
  return refs;
}

/** A piece of an interpolated string and the variable it came from, if any. */
export interface Segment {
  text: string;
  binding?: EnvBinding;
}

/**
 * Interpolate like Compose: `${VAR}`, `$VAR`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`,
 * `${VAR:+alt}`, `$$`. Values defined in env files may refer to earlier ones (one level deep).
 * Unknown variables stay as written, so callers can tell "unknown" from "empty".
 */
export function interpolateSegments(text: string, env: ComposeEnv, depth = 0): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(VAR_REF)) {
    segments.push({ text: text.slice(last, m.index) });
    last = m.index + m[0].length;
    if (m[0] === "$$") {
      segments.push({ text: "$" });
      continue;
    }
    const [, braced, modifier, fallback = "", bare] = m;
    const binding = env.lookup((braced ?? bare)!);
    const set = binding !== undefined;
    const nonEmpty = set && binding.value !== "";
    const expanded = binding && depth < 1 ? interpolateSegments(binding.value, env, depth + 1).map((s) => s.text).join("") : binding?.value;
    if (modifier === ":-" || modifier === "-") {
      if (modifier === ":-" ? nonEmpty : set) segments.push({ text: expanded!, binding: binding! });
      else segments.push({ text: fallback });
    } else if (modifier === ":+" || modifier === "+") {
      segments.push({ text: (modifier === ":+" ? nonEmpty : set) ? fallback : "" });
    } else if (set) {
      segments.push({ text: expanded!, binding });
    } else {
      segments.push({ text: m[0] });
    }
  }
  segments.push({ text: text.slice(last) });
  return segments.filter((s) => s.text !== "" || s.binding);
}

export function interpolate(text: string, env: ComposeEnv): string {
  return interpolateSegments(text, env)
    .map((s) => s.text)
    .join("");
}

// ---------------------------------------------------------------------------------------------
// Command arguments

export interface CommandArg {
  /** The argument as Compose passes it (quotes removed), before interpolation. */
  value: string;
  /** The argument as written, quotes included. */
  raw: string;
  location: Location;
  /** Offset of the argument in the compose file's text, when it was found there. */
  offset: number | undefined;
  form: "string" | "list";
  /** The YAML scalar the argument is in (a block scalar can be edited as text). */
  node: Scalar;
}

/** The service's command as written: list items as they are, a string split like Compose splits it. */
export function commandArguments(service: ComposeService): CommandArg[] {
  const doc = service.project.doc;
  const node = nodeAt(doc.contents, ["services", service.name, "command"]);
  const file = service.file;
  if (isSeq(node)) {
    return node.items.filter(isScalar).map((item) => ({ value: String(item.value), raw: String(item.value), location: locationOf(file, item), offset: item.range?.[0], form: "list" as const, node: item }));
  }
  if (!isScalar(node) || typeof node.value !== "string") return [];
  let cursor = node.range?.[0] ?? 0;
  return shellWords(node.value).words.map((word) => {
    const offset = offsetInNode(file, node, word.raw, cursor);
    if (offset !== undefined) cursor = offset + word.raw.length;
    return { value: word.value, raw: word.raw, location: offset !== undefined ? locationAt(file, offset) : locationOf(file, node), offset, form: "string" as const, node };
  });
}

/** The plain argument list (string form split, quotes removed, not interpolated). */
export function commandArgs(service: ComposeService): string[] {
  return commandArguments(service).map((a) => a.value);
}

/** An argument as the program receives it: interpolated and, for the string form, split again. */
export interface EffectiveArg {
  value: string;
  /** Where to look and edit: in the compose file, or in the env file when the whole piece came from a variable. */
  location: Location;
  token: CommandArg;
  /** The variable that supplied this piece, when one did. */
  binding?: EnvBinding;
  /** A variable whose value had blanks and was split into several arguments here. */
  splitFrom?: EnvBinding;
}

export function effectiveArgs(service: ComposeService): EffectiveArg[] {
  const env = service.project.env;
  return commandArguments(service).flatMap((token): EffectiveArg[] => {
    const segments = interpolateSegments(token.form === "string" ? token.raw : token.value, env);
    const text = segments.map((s) => s.text).join("");
    if (token.form === "list") {
      const only = segments.length === 1 ? segments[0]!.binding : undefined;
      return [{ value: text, location: token.location, token, ...(only ? { binding: only } : {}) }];
    }
    // Offsets of each segment in the interpolated text, to tell which variable a word came from.
    const ranges: Array<{ start: number; end: number; binding?: EnvBinding }> = [];
    segments.reduce((at, s) => (ranges.push({ start: at, end: at + s.text.length, ...(s.binding ? { binding: s.binding } : {}) }), at + s.text.length), 0);
    const words = shellWords(text).words;
    return words.map((word) => {
      const end = word.start + word.raw.length;
      const from = ranges.find((r) => r.binding && word.start >= r.start && end <= r.end);
      const splitSource = words.length > 1 ? ranges.find((r) => r.binding && /\s/.test(r.binding.value) && word.start < r.end && end > r.start) : undefined;
      const arg: EffectiveArg = { value: word.value, location: token.location, token };
      if (from?.binding) {
        arg.binding = from.binding;
        const inValue = from.binding.entry.value.indexOf(word.raw);
        if (inValue >= 0) arg.location = envValueLocation(from.binding.file, from.binding.entry, inValue);
      }
      if (splitSource?.binding) arg.splitFrom = splitSource.binding;
      return arg;
    });
  });
}

/** `--flag=value` or `--flag value` in an argument list; the last occurrence wins, like pflag. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith(`${flag}=`)) found = arg.slice(flag.length + 1);
    else if (arg === flag && i + 1 < args.length && !args[i + 1]!.startsWith("-")) found = args[i + 1]!;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Service settings

export interface Located<T> {
  value: T;
  location: Location;
}

/** A list of strings (or a single string) under a service key, with positions. */
export function serviceList(service: ComposeService, key: string): Array<Located<string>> {
  const raw = service.value[key];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((item, i) => ({ value: isRecord(item) ? JSON.stringify(item) : String(item), location: service.locate(Array.isArray(raw) ? [key, i] : [key]) }));
}

export interface EnvironmentEntry {
  key: string;
  /** Undefined for `- NAME` (passed through from the shell). */
  value: string | undefined;
  location: Location;
}

/** `environment:` in its list (`- K=V`) or map (`K: V`) form. */
export function serviceEnvironment(service: ComposeService): EnvironmentEntry[] {
  const raw = service.value.environment;
  if (Array.isArray(raw)) {
    return raw.map((item, i) => {
      const text = String(item);
      const eq = text.indexOf("=");
      return { key: eq < 0 ? text : text.slice(0, eq), value: eq < 0 ? undefined : text.slice(eq + 1), location: service.locate(["environment", i]) };
    });
  }
  if (isRecord(raw)) {
    return Object.entries(raw).map(([key, value]) => ({ key, value: value === null || value === undefined ? undefined : String(value), location: service.locate(["environment", key]) }));
  }
  return [];
}

/** The env files a service gives its container (`env_file:`), resolved in the kit. */
export function serviceEnvFiles(kit: Kit, service: ComposeService): EnvFile[] {
  const refs = serviceList(service, "env_file").map((r) => {
    const parsed = r.value.startsWith("{") ? (JSON.parse(r.value) as { path?: string }).path ?? "" : r.value;
    return resolveBeside(service.file.path, parsed);
  });
  return refs.flatMap((ref) => {
    const exact = kit.env.find((e) => e.path === ref);
    if (exact) return [exact];
    const example = kit.env.find((e) => e.example && dirOf(e.path) === dirOf(ref) && exampleTarget(baseOf(e.path)) === baseOf(ref));
    return example ? [example] : [];
  });
}

export interface Volume {
  /** Host path or named volume, interpolated; undefined for anonymous volumes. */
  source: string | undefined;
  target: string;
  readOnly: boolean;
  /** Host path (bind mount) as opposed to a named volume. */
  bind: boolean;
  /** The source as written, before interpolation. */
  rawSource: string | undefined;
  location: Location;
}

const isBindSource = (source: string) => /^[./~]/.test(source) || source.includes("/");

/** `volumes:` in short (`SRC:TARGET[:ro]`) and long (`{type, source, target}`) syntax, interpolated. */
export function serviceVolumes(service: ComposeService): Volume[] {
  const raw = service.value.volumes;
  if (!Array.isArray(raw)) return [];
  const env = service.project.env;
  return raw.flatMap((item, i): Volume[] => {
    const location = service.locate(["volumes", i]);
    if (isRecord(item)) {
      if (typeof item.target !== "string") return [];
      const rawSource = typeof item.source === "string" ? item.source : undefined;
      const source = rawSource === undefined ? undefined : interpolate(rawSource, env);
      return [{ source, target: item.target, readOnly: item.read_only === true, bind: item.type === "bind" || (source !== undefined && isBindSource(source)), rawSource, location }];
    }
    const text = String(item);
    const parts = splitVolume(text);
    if (parts.length === 1) return [{ source: undefined, target: interpolate(parts[0]!, env), readOnly: false, bind: false, rawSource: undefined, location }];
    const [rawSource = "", target = "", mode = ""] = parts;
    const source = interpolate(rawSource, env);
    return [{ source, target: interpolate(target, env), readOnly: mode.split(",").includes("ro"), bind: isBindSource(source), rawSource, location }];
  });
}

/** Split `SRC:TARGET:MODE` on colons that are not inside `${...}` (defaults may hold colons). */
function splitVolume(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const c of text) {
    if (c === "{") depth++;
    if (c === "}") depth--;
    if (c === ":" && depth === 0) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

export interface PortMapping {
  hostIp: string | undefined;
  hostPort: number | undefined;
  containerPort: number;
  protocol: "tcp" | "udp";
  location: Location;
}

/** `ports:` in short (`[IP:]HOST:CONTAINER[/proto]`) and long syntax, interpolated; ranges expand. */
export function servicePorts(service: ComposeService): PortMapping[] {
  const raw = service.value.ports;
  if (!Array.isArray(raw)) return [];
  const env = service.project.env;
  return raw.flatMap((item, i): PortMapping[] => {
    const location = service.locate(["ports", i]);
    if (isRecord(item)) {
      const containerPort = Number(item.target);
      if (!Number.isInteger(containerPort)) return [];
      return [{ hostIp: typeof item.host_ip === "string" ? item.host_ip : undefined, hostPort: item.published === undefined ? undefined : Number(item.published), containerPort, protocol: item.protocol === "udp" ? "udp" : "tcp", location }];
    }
    const text = interpolate(String(item), env);
    const [spec = "", proto = "tcp"] = text.split("/");
    const colon = spec.lastIndexOf(":");
    const container = spec.slice(colon + 1);
    const rest = colon < 0 ? "" : spec.slice(0, colon);
    const hostColon = rest.lastIndexOf(":");
    const hostPortText = hostColon < 0 ? rest : rest.slice(hostColon + 1);
    const hostIp = hostColon < 0 ? undefined : rest.slice(0, hostColon).replace(/^\[|\]$/g, "");
    const protocol = proto === "udp" ? "udp" : "tcp";
    const [cFrom = NaN, cTo = cFrom] = container.split("-").map(Number);
    const [hFrom = NaN] = hostPortText.split("-").map(Number);
    const out: PortMapping[] = [];
    for (let port = cFrom; port <= cTo && Number.isInteger(port); port++) {
      out.push({ hostIp, hostPort: Number.isInteger(hFrom) ? hFrom + (port - cFrom) : undefined, containerPort: port, protocol, location });
    }
    return out;
  });
}

/** `network_mode: service:<name>` (or `container:`): the service whose network namespace this one shares. */
export function sharedNetworkService(service: ComposeService): string | undefined {
  const mode = service.value.network_mode;
  return typeof mode === "string" ? /^service:(.+)$/.exec(mode)?.[1] : undefined;
}

/** The image reference, interpolated, and whether it was hidden behind a variable. */
export function serviceImage(service: ComposeService): { raw: string; value: string; location: Location } | undefined {
  const raw = service.value.image;
  if (typeof raw !== "string") return undefined;
  return { raw, value: interpolate(raw, service.project.env), location: service.locate(["image"]) };
}

export interface ImageRef {
  name: string;
  tag: string | undefined;
  digest: string | undefined;
}

export function parseImage(reference: string): ImageRef {
  const at = reference.indexOf("@");
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  const rest = at >= 0 ? reference.slice(0, at) : reference;
  const colon = rest.lastIndexOf(":");
  const hasTag = colon > rest.lastIndexOf("/");
  return { name: hasTag ? rest.slice(0, colon) : rest, tag: hasTag ? rest.slice(colon + 1) : undefined, digest };
}

/** How findings name a service: `omni/compose.yml: omni`. */
export function serviceSubject(service: ComposeService): string {
  return `${service.file.path}: ${service.name}`;
}

/** `/dev/net/tun`, `/dev/net/tun:/dev/net/tun[:rwm]`: whether the container gets the device. */
export function hasDevice(service: ComposeService, device: string): boolean {
  return service.value.privileged === true || serviceList(service, "devices").some((d) => (d.value.split(":")[1] ?? d.value.split(":")[0]) === device);
}

export function hasCapability(service: ComposeService, cap: string): boolean {
  return service.value.privileged === true || serviceList(service, "cap_add").some((c) => [cap, `CAP_${cap}`, "ALL"].includes(c.value.toUpperCase()));
}
