import { defineCheck, pass, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { kit as kitFact } from "../../src/sources/kit/facts.ts";
import { nodeStorages, nodes, onlineNodeNames, providerPermissions, version } from "../../src/sources/proxmox/facts.ts";
import { missingFor, providerRequirements, VM_PRIVILEGES, type Requirement } from "../../src/sources/proxmox/permissions.ts";
import { DEFAULT_BRIDGE, nodesFor, providerClasses } from "../../src/sources/proxmox/provider-classes.ts";
import { chooseDiskStorage, isoStorage } from "../../src/sources/proxmox/storage-choice.ts";
import type { FixStep } from "../../src/model/result.ts";

/** A role holding everything the provider needs, so one role can be granted on every path. */
export const PROVIDER_ROLE = "OmniProvider";
const ROLE_PRIVILEGES = [...VM_PRIVILEGES, "Datastore.AllocateSpace", "Datastore.AllocateTemplate", "Datastore.Audit", "SDN.Use", "Sys.AccessNetwork", "Sys.Audit"];

export default defineCheck({
  meta: {
    id: "proxmox/privileges",
    title: "The provider's Proxmox credentials lack privileges it needs",
    severity: "error",
    sources: ["pve", "files"],
    symptoms: ["not authorized to access endpoint", "Permission check failed (<path>, <privilege>)", "403 Permission check failed", "Permission check failed (/sdn/zones/localnetwork/vmbr0, SDN.Use)"],
    fixable: ["api"],
  },
  facts: { permissions: providerPermissions, nodes: optional(nodes), storages: optional(nodeStorages), version: optional(version), kit: optional(kitFact) },
  run({ permissions, nodes, storages, version, kit }) {
    const online = nodes.ok ? onlineNodeNames(nodes.value) : [];
    const classes = kit.ok ? providerClasses(kit.value) : [];
    const lists = storages.ok ? storages.value.values : new Map();
    // The disk storages are those the classes' selectors pick, exactly as the provider would.
    const diskStorages = classes.length > 0 && lists.size > 0
      ? [...new Set(classes.flatMap((cls) => nodesFor(cls, online).flatMap((node) => cls.disks.flatMap((disk) => chooseDiskStorage(disk.selector, node, lists.get(node) ?? [])?.chosen?.storage ?? []))))]
      : undefined;
    const isoStorages = [...new Set([...lists.values()].flatMap((list) => isoStorage(list)?.storage ?? []))];
    const bridges = classes.length > 0 ? [...new Set(classes.flatMap((cls) => cls.bridges.map((b) => b.name)))] : [DEFAULT_BRIDGE];
    const major = version.ok ? Number(version.value.version.split(".")[0]) : 8;
    const requirements = providerRequirements({ nodes: online, diskStorages, isoStorages, bridges, sdn: major >= 8 });

    const holder = permissions.provider ? `${permissions.provider.id} (the provider's, from ${permissions.provider.from})` : "the credentials omni-doctor uses";
    const findings: Finding[] = [];
    const byPath = new Map<string, { missing: Set<string>; why: string[]; severity: Requirement["severity"] }>();
    for (const requirement of requirements) {
      const missing = missingFor(permissions.tree, requirement);
      if (missing.length === 0) continue;
      const path = requirement.anyOf[0]!.path;
      const entry = byPath.get(path) ?? { missing: new Set<string>(), why: [], severity: "warning" };
      missing.forEach((p) => entry.missing.add(p));
      entry.why.push(requirement.why);
      if (requirement.severity === "error") entry.severity = "error";
      byPath.set(path, entry);
    }
    for (const [path, { missing, why, severity }] of byPath) {
      const privileges = [...missing].sort();
      findings.push({
        // Without the provider's identity these are omni-doctor's own credentials: a gap is a risk, not proof.
        severity: permissions.provider ? severity : "warning",
        subject: `${permissions.provider?.id ?? "these credentials"} on ${path}`,
        message: `${holder} ${permissions.provider ? "lacks" : "lack"} ${privileges.join(", ")} on ${path}, which the provider needs to ${why.join(", and to ")}${permissions.provider ? "" : " (if the provider uses other credentials, check those)"}`,
        evidence: [`missing on ${path}: ${privileges.join(", ")}`],
        fix: permissions.provider ? { summary: `Grant the provider ${privileges.join(", ")} on ${path}`, steps: grantSteps(path, permissions.provider.id, Boolean(permissions.provider.token)) } : undefined,
      });
    }
    return findings.length > 0 ? findings : [pass(`${holder} ${permissions.provider ? "holds" : "hold"} every privilege the provider needs (${requirements.length} requirement(s) checked)`)];
  },
});

function grantSteps(path: string, id: string, token: boolean): FixStep[] {
  const who = token ? "tokens" : "users";
  return [
    {
      kind: "api",
      description: `create the role ${PROVIDER_ROLE} with what the provider needs (skip when it exists)`,
      method: "POST",
      path: "/access/roles",
      parameters: { roleid: PROVIDER_ROLE, privs: ROLE_PRIVILEGES.join(",") },
      equivalent: ["pveum", "role", "add", PROVIDER_ROLE, "--privs", ROLE_PRIVILEGES.join(",")],
      destructive: false,
    },
    {
      kind: "api",
      description: `grant ${PROVIDER_ROLE} to ${id} on ${path}`,
      method: "PUT",
      path: "/access/acl",
      parameters: { path, roles: PROVIDER_ROLE, [who]: id, propagate: 1 },
      equivalent: ["pveum", "acl", "modify", path, `--${who}`, id, "--roles", PROVIDER_ROLE],
      destructive: false,
    },
  ];
}
