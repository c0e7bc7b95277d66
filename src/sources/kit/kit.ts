/**
 * The deployment kit: the files under DIR that describe an Omni + Proxmox + Talos setup.
 * Discovery reads them once; classification decides what each YAML file is the way a person would
 * (a multi-document file with `kind: Cluster` is a template, a COSI document of type
 * MachineClasses.omni.sidero.dev is a machine class, ...). Files that match nothing are kept as
 * plain YAML and ignored by the checks, never reported as errors.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { docValue, isRecord, parseYamlFile, type YamlFile } from "./yaml-file.ts";
import { parseEnvFile, type EnvFile } from "./env-file.ts";

export type KitFileKind =
  | "template"
  | "machine-class"
  | "compose"
  | "provider-config"
  | "manifest"
  | "talos-patch"
  | "doctor-config"
  | "yaml";

export interface KitYamlFile extends YamlFile {
  kind: KitFileKind;
  /** `config.yaml.example` and the like: placeholders, judged for shape and names, not values. */
  example: boolean;
}

/** Scripts and docs: searched for dangerous commands, never parsed. */
export interface KitTextFile {
  path: string;
  text: string;
}

export interface Kit {
  /** The kit directory as given on the command line. */
  dir: string;
  yaml: KitYamlFile[];
  env: EnvFile[];
  text: KitTextFile[];
}

export interface RawFile {
  path: string;
  text: string;
}

const TEMPLATE_KINDS = new Set(["Cluster", "ControlPlane", "Workers", "Machine"]);
const SKIP_DIRS = new Set(["node_modules", "dist", "build", "vendor", "__pycache__"]);
const MAX_BYTES = 2 * 1024 * 1024;

const isYaml = (name: string) => /\.ya?ml$/i.test(name);
/** Example copies of deployment files (`config.yaml.example`); other example YAML is not read. */
const isYamlExample = (name: string) => /\.ya?ml\.(example|sample|dist|template)$/i.test(name);
const isEnv = (name: string) => /^\.env(\..+)?$/.test(name) || /\.env(\.(example|template|sample|dist))?$/.test(name) || name === "env.template";
const isText = (name: string) => /\.(sh|bash|md|toml)$/i.test(name) || ["Makefile", "Justfile", "justfile"].includes(name);

/** Read every kit file under `dir` (hidden and dependency folders are skipped). */
export function readKitFiles(dir: string): RawFile[] {
  const files: RawFile[] = [];
  const walk = (abs: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = join(abs, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith(".") && !SKIP_DIRS.has(entry.name)) walk(child);
      } else if (entry.isFile() && (isYaml(entry.name) || isYamlExample(entry.name) || isEnv(entry.name) || isText(entry.name))) {
        if (statSync(child).size > MAX_BYTES) continue;
        files.push({ path: relative(dir, child).split(sep).join("/"), text: readFileSync(child, "utf8") });
      }
    }
  };
  walk(dir);
  return files;
}

/** Classify and parse raw files. Pure: tests build kits from strings with it. */
export function parseKit(dir: string, files: readonly RawFile[]): Kit {
  const kit: Kit = { dir, yaml: [], env: [], text: [] };
  for (const file of files) {
    const name = file.path.split("/").pop()!;
    if (isYaml(name)) {
      const parsed = parseYamlFile(file.path, file.text);
      kit.yaml.push({ ...parsed, kind: classifyYaml(name, parsed), example: false });
    } else if (isYamlExample(name)) {
      const parsed = parseYamlFile(file.path, file.text);
      const kind = classifyYaml(name, parsed);
      kit.yaml.push({ ...parsed, kind: kind === "compose" || kind === "provider-config" ? kind : "yaml", example: true });
    } else if (isEnv(name)) {
      kit.env.push(parseEnvFile(file.path, file.text));
    } else {
      kit.text.push(file);
    }
  }
  return kit;
}

export function classifyYaml(name: string, file: YamlFile): KitFileKind {
  if (/^omni-doctor\.ya?ml$/.test(name)) return "doctor-config";
  const values = file.docs.map(docValue).filter(isRecord);
  if (values.some((v) => typeof v.kind === "string" && TEMPLATE_KINDS.has(v.kind) && v.apiVersion === undefined)) return "template";
  if (values.some(isMachineClassDoc)) return "machine-class";
  if (values.some((v) => isRecord(v.services))) return "compose";
  if (values.some((v) => isRecord(v.proxmox))) return "provider-config";
  if (values.some(isTalosPatchDoc)) return "talos-patch";
  if (values.some((v) => typeof v.apiVersion === "string" && typeof v.kind === "string")) return "manifest";
  return "yaml";
}

/**
 * The Omni form (`metadata.type`), the same with a wrong or no type (omnictl refuses it), or the
 * kubectl-style form users wrongly write (`kind: MachineClass`).
 */
export function isMachineClassDoc(value: Record<string, unknown>): boolean {
  const { metadata, spec } = value;
  if (isRecord(metadata) && typeof metadata.type === "string" && /^machineclass/i.test(metadata.type)) return true;
  if (isRecord(metadata) && value.kind === undefined && isRecord(spec) && ("autoprovision" in spec || Array.isArray(spec.matchlabels))) return true;
  return value.kind === "MachineClass";
}

/** A Talos machine-config patch: v1alpha1 `machine:`/`cluster:` or a multi-doc `apiVersion: v1alpha1` document. */
export function isTalosPatchDoc(value: Record<string, unknown>): boolean {
  if (value.apiVersion === "v1alpha1" && typeof value.kind === "string") return true;
  return value.apiVersion === undefined && value.kind === undefined && (isRecord(value.machine) || isRecord(value.cluster));
}

export function filesOfKind(kit: Kit, kind: KitFileKind): KitYamlFile[] {
  return kit.yaml.filter((f) => f.kind === kind);
}
