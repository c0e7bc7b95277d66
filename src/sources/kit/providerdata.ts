/**
 * The Proxmox provider's `providerdata` rules: its JSON schema (what Omni validates a machine
 * class against, cmd/omni-infra-provider-proxmox/data/schema.json at 0d9fd58, February 2026;
 * a copy is in fixtures/samples/omni/ and a test keeps the two in step) plus what the provider
 * and Proxmox do with the values. The schema has no `additionalProperties: false`: unknown keys
 * pass validation and are ignored, and newer providers added keys, so an unknown key is a warning
 * tied to the provider version, never an error.
 */
import type { Severity } from "../../model/result.ts";
import { isRecord } from "./yaml-file.ts";

export const PROVIDER_SCHEMA_VERSION = "omni-infra-provider-proxmox 0d9fd58 (February 2026)";

type Scalar = { type: "integer"; minimum?: number } | { type: "string"; enum?: readonly string[] } | { type: "boolean" };
type Field = Scalar | { type: "array"; items: { properties: Record<string, Scalar>; required: readonly string[] } };

const DISK_CACHE = ["none", "writethrough", "writeback", "directsync", "unsafe"] as const;
const DISK_AIO = ["native", "threads", "io_uring"] as const;

export const PROVIDERDATA_SCHEMA: { properties: Record<string, Field>; required: readonly string[] } = {
  properties: {
    cores: { type: "integer", minimum: 1 },
    sockets: { type: "integer", minimum: 1 },
    storage_selector: { type: "string" },
    node: { type: "string" },
    memory: { type: "integer", minimum: 2048 },
    disk_size: { type: "integer", minimum: 5 },
    network_bridge: { type: "string" },
    vlan: { type: "integer", minimum: 0 },
    disk_ssd: { type: "boolean" },
    disk_discard: { type: "boolean" },
    disk_iothread: { type: "boolean" },
    disk_cache: { type: "string", enum: DISK_CACHE },
    disk_aio: { type: "string", enum: DISK_AIO },
    cpu_type: { type: "string" },
    machine_type: { type: "string", enum: ["q35", "i440fx"] },
    numa: { type: "boolean" },
    hugepages: { type: "string", enum: ["2MB", "1GB"] },
    balloon: { type: "boolean" },
    additional_nics: {
      type: "array",
      items: { properties: { bridge: { type: "string" }, vlan: { type: "integer", minimum: 0 }, firewall: { type: "boolean" } }, required: ["bridge"] },
    },
    pci_devices: {
      type: "array",
      items: { properties: { mapping: { type: "string" }, pcie: { type: "boolean" }, primary_gpu: { type: "boolean" }, rombar: { type: "boolean" } }, required: ["mapping"] },
    },
    additional_disks: {
      type: "array",
      items: {
        properties: {
          disk_size: { type: "integer", minimum: 1 },
          storage_selector: { type: "string" },
          disk_ssd: { type: "boolean" },
          disk_discard: { type: "boolean" },
          disk_iothread: { type: "boolean" },
          disk_cache: { type: "string", enum: DISK_CACHE },
          disk_aio: { type: "string", enum: DISK_AIO },
        },
        required: ["disk_size", "storage_selector"],
      },
    },
  },
  required: ["cores", "memory", "disk_size", "storage_selector"],
};

/** Keys later provider releases understand (the version in use decides whether yours does). */
const NEWER_KEYS = /^(bios|vga|pool|placement_strategy|vmid_range|network|network_[a-z_]+|usb_devices|tags|ha)$/;

/** Keys of `spec.autoprovision` written inside the providerdata by mistake. */
const AUTOPROVISION_KEYS = new Set(["providerid", "kernelargs", "metavalues", "grpctunnel", "providerdata"]);

export interface ProviderDataIssue {
  path: Array<string | number>;
  severity: Severity;
  message: string;
  /** For an unknown key: the known key it most likely means. */
  meant?: string;
  /** What to do, when the message alone does not say it. */
  advice?: string;
}

const describe = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "a list" : typeof value === "object" ? "a mapping" : `${typeof value} ${JSON.stringify(value)}`);

function checkScalar(rule: Scalar, value: unknown, path: Array<string | number>, name: string): ProviderDataIssue[] {
  if (rule.type === "integer") {
    if (typeof value !== "number" || !Number.isInteger(value)) return [{ path, severity: "error", message: `${name} must be a whole number, not ${describe(value)}` }];
    if (rule.minimum !== undefined && value < rule.minimum) return [{ path, severity: "error", message: `${name} must be at least ${rule.minimum}, not ${value}` }];
    return [];
  }
  if (rule.type === "boolean") return typeof value === "boolean" ? [] : [{ path, severity: "error", message: `${name} must be true or false, not ${describe(value)}` }];
  if (typeof value !== "string") return [{ path, severity: "error", message: `${name} must be a string, not ${describe(value)}` }];
  if (rule.enum && !rule.enum.includes(value)) return [{ path, severity: "error", message: `${name} must be one of ${rule.enum.join(", ")}, not ${JSON.stringify(value)}` }];
  return [];
}

const squash = (key: string) => key.toLowerCase().replace(/[-_]/g, "");

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The known name a misspelt one most likely means: same letters apart from case and separators, or one or two typos. */
export function nearestName(name: string, known: Iterable<string>): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const key of known) {
    if (squash(key) === squash(name)) return key;
    const d = distance(squash(key), squash(name));
    if (d <= (key.length > 8 ? 2 : 1) && (!best || d < best.d)) best = { key, d };
  }
  return best?.key;
}

function unknownKey(key: string, path: Array<string | number>, known: Iterable<string>): ProviderDataIssue {
  if (AUTOPROVISION_KEYS.has(key)) {
    return { path, severity: "warning", message: `${key} belongs to spec.autoprovision, not inside providerdata: the provider ignores it here, so it has no effect`, advice: `move ${key} out of providerdata into spec.autoprovision` };
  }
  if (NEWER_KEYS.test(key)) {
    return {
      path,
      severity: "info",
      message: `${key} is not in the provider schema of ${PROVIDER_SCHEMA_VERSION}; newer provider releases understand it, older ones ignore it: check that your provider version has it`,
      advice: `keep ${key} if your provider release supports it; otherwise upgrade the provider, or remove it`,
    };
  }
  const meant = nearestName(key, known);
  return {
    path,
    severity: "warning",
    message: `${key} is not a providerdata key of ${PROVIDER_SCHEMA_VERSION}${meant ? ` (did you mean ${meant}?)` : ""}; the provider ignores keys it does not know`,
    ...(meant ? { meant } : { advice: `remove ${key}, or check that your provider release documents it` }),
  };
}

export function validateProviderData(data: unknown): ProviderDataIssue[] {
  if (!isRecord(data)) return [{ path: [], severity: "error", message: `providerdata must be a mapping of settings, not ${describe(data)}` }];
  const issues: ProviderDataIssue[] = [];
  const missing = PROVIDERDATA_SCHEMA.required.filter((key) => !(key in data));
  if (missing.length > 0) issues.push({ path: [], severity: "error", message: `required setting${missing.length > 1 ? "s" : ""} missing: ${missing.join(", ")}` });
  for (const [key, value] of Object.entries(data)) {
    const rule = PROVIDERDATA_SCHEMA.properties[key];
    if (!rule) {
      issues.push(unknownKey(key, [key], Object.keys(PROVIDERDATA_SCHEMA.properties)));
      continue;
    }
    if (rule.type !== "array") {
      issues.push(...checkScalar(rule, value, [key], key));
      continue;
    }
    if (!Array.isArray(value)) {
      issues.push({ path: [key], severity: "error", message: `${key} must be a list, not ${describe(value)}` });
      continue;
    }
    value.forEach((item, i) => {
      const at = `${key}[${i}]`;
      if (!isRecord(item)) {
        issues.push({ path: [key, i], severity: "error", message: `${at} must be a mapping, not ${describe(item)}` });
        return;
      }
      const absent = rule.items.required.filter((r) => !(r in item));
      if (absent.length > 0) issues.push({ path: [key, i], severity: "error", message: `${at} is missing ${absent.join(" and ")}` });
      for (const [field, v] of Object.entries(item)) {
        const fieldRule = rule.items.properties[field];
        if (fieldRule) issues.push(...checkScalar(fieldRule, v, [key, i, field], `${at}.${field}`));
        else issues.push(unknownKey(field, [key, i, field], Object.keys(rule.items.properties)));
      }
    });
  }
  // What the schema lets through but Proxmox or the provider do not.
  if (data.machine_type === "i440fx") {
    issues.push({ path: ["machine_type"], severity: "error", message: "machine_type i440fx passes the provider's schema, but Proxmox does not know that value (it wants pc or pc-i440fx-X.Y) and refuses to create the VM; leave machine_type out for the i440fx default" });
  }
  if (!("sockets" in data)) {
    // The provider's source of February 2026 sends sockets=0 when unset; its docs say the default is 1. Sources disagree: warn.
    issues.push({ path: ["sockets"], severity: "warning", message: "sockets is not set: depending on the provider build it is sent as 0, which Proxmox refuses, or defaults to 1; set sockets: 1 to be sure" });
  }
  if (Array.isArray(data.pci_devices) && data.pci_devices.some((d) => isRecord(d) && d.pcie === true) && data.machine_type !== "q35") {
    issues.push({ path: ["pci_devices"], severity: "warning", message: "a PCI device with pcie: true needs machine_type: q35; Proxmox refuses PCIe passthrough on the default i440fx machine" });
  }
  return issues;
}
