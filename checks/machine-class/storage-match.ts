import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { kit as kitFact } from "../../src/sources/kit/facts.ts";
import { nodeStorages, nodes, onlineNodeNames } from "../../src/sources/proxmox/facts.ts";
import { nodesFor, providerClasses, type ClassDisk, type ProviderClass } from "../../src/sources/proxmox/provider-classes.ts";
import { bestStorage, chooseDiskStorage, diskProblems, isoStorage } from "../../src/sources/proxmox/storage-choice.ts";
import { editProviderData } from "../../src/sources/kit/providerdata-edit.ts";
import type { NodeStorage } from "../../src/sources/proxmox/responses.ts";
import type { Fix, FixStep } from "../../src/model/result.ts";
import { editStep } from "../../src/sources/kit/text-edit.ts";

const describe = (list: readonly NodeStorage[]) => list.map((s) => `${s.storage} (${s.type}${s.enabled ? "" : ", disabled"})`).join(", ") || "none";

/** Select one named storage instead: an edit of the selector in the kit file, then apply the class. */
function selectorFix(cls: ProviderClass, disk: ClassDisk, targets: string[], lists: ReadonlyMap<string, NodeStorage[]>, prefer?: string): Fix {
  // Pinning the storage the provider already uses changes nothing for existing VMs: prefer it when it works everywhere.
  const usableEverywhere = prefer !== undefined && targets.every((n) => (lists.get(n) ?? []).some((s) => s.storage === prefer && diskProblems(s, disk.sizeGb).length === 0));
  const best = usableEverywhere ? { name: prefer, usableOn: targets.length } : bestStorage(targets, lists, disk.sizeGb);
  const file = cls.doc.file.path;
  if (!best) {
    return {
      summary: "Provide a storage for VM disks",
      steps: [{ kind: "manual", description: `no storage on ${targets.join(", ")} can hold this disk: enable one with content "images" and enough space (\`pvesh get /nodes/<node>/storage\`), then select it by name`, destructive: false }],
    };
  }
  const selector = `name == "${best.name}"`;
  const after = editProviderData(cls.doc, disk.path, selector);
  const steps: FixStep[] = [
    editStep(cls.doc.file, `select storage ${best.name} by name (usable on ${best.usableOn} of ${targets.length} node(s))`, after) ?? {
      kind: "manual",
      description: `set storage_selector to ${selector} in ${file}`,
      destructive: false,
    },
  ];
  steps.push({ kind: "command", description: "apply the changed machine class to Omni", argv: ["omnictl", "apply", "-f", file], destructive: false });
  return { summary: `Select storage ${best.name} by name`, steps };
}

function isoFix(node: string, list: readonly NodeStorage[]): Fix {
  const dir = list.find((s) => s.enabled && (s.type === "dir" || s.type === "nfs" || s.type === "cifs" || s.type === "cephfs"));
  if (!dir) {
    return { summary: `Give ${node} a storage for ISO images`, steps: [{ kind: "manual", description: `add a directory, NFS or CephFS storage with content "iso" that ${node} can use (Datacenter → Storage)`, destructive: false }] };
  }
  const content = [...new Set([...dir.content, "iso"])].join(",");
  return {
    summary: `Allow ISO images on storage ${dir.storage}`,
    steps: [{ kind: "api", description: `let storage ${dir.storage} hold ISO images`, method: "PUT", path: `/storage/${dir.storage}`, parameters: { content }, equivalent: ["pvesm", "set", dir.storage, "--content", content], destructive: false }],
  };
}

export default defineCheck({
  meta: {
    id: "machine-class/storage-match",
    title: "A machine class's storage selector picks no usable storage on a node",
    severity: "error",
    sources: ["files", "pve"],
    symptoms: ['failed to pick the disk: no matches for the condition "<selector>"', "no matches for the condition", "SCALING_UP", "failed to get storage: unable to find the item you are looking for", "storage '<storage>' is not available on node '<node>'"],
    fixable: ["edit", "api", "command", "manual"],
  },
  facts: { kit: kitFact, nodes, storages: nodeStorages },
  run({ kit, nodes, storages }) {
    const classes = providerClasses(kit);
    if (classes.length === 0) return [skip("no machine classes with Proxmox providerdata in the kit")];
    const online = onlineNodeNames(nodes);
    const lists = storages.values;
    const findings: Finding[] = [];
    for (const [node, error] of storages.errors) findings.push({ status: error.status, subject: `Proxmox node ${node}`, message: `its storages could not be read: ${error.describe()}` });
    for (const [node, list] of lists) {
      const iso = isoStorage(list);
      if (iso && iso.active) continue;
      findings.push({
        subject: `Proxmox node ${node}`,
        message: iso
          ? `its ISO storage ${iso.storage} (the first enabled one with ISO content, which the provider uses) is not active: the Talos ISO cannot be uploaded`
          : 'has no enabled storage with ISO content: the provider cannot upload the Talos ISO ("failed to get storage: unable to find the item you are looking for")',
        evidence: [`storages on ${node}: ${list.map((s) => `${s.storage} [${s.content.join(",")}]${s.enabled ? "" : " disabled"}${s.active ? "" : " inactive"}`).join(", ") || "none"}`],
        fix: isoFix(node, list),
      });
    }
    for (const cls of classes) {
      const targets = nodesFor(cls, online).filter((n) => lists.has(n));
      for (const disk of cls.disks) {
        const location = cls.doc.providerData?.locate(disk.path);
        const diskName = `machine class ${cls.id}${disk.label === "disk" ? "" : ` (${disk.label})`}`;
        // A selector that matches nothing anywhere (a typo, a storage that was renamed) is one finding, not one per node.
        const choices = new Map(targets.map((node) => [node, chooseDiskStorage(disk.selector, node, lists.get(node)!)]));
        const unmatched = targets.filter((node) => choices.get(node)?.matches.length === 0 && choices.get(node)?.errors.length === 0);
        if (targets.length > 1 && unmatched.length === targets.length) {
          findings.push({
            subject: diskName,
            ...(location ? { location } : {}),
            message: `its selector matches no storage on any node it may use (${targets.join(", ")}): the provider fails with "no matches for the condition" and the cluster stays in SCALING_UP`,
            evidence: [`storage_selector: ${disk.selector}`, ...targets.map((node) => `storages on ${node}, in the order Proxmox lists them: ${describe(lists.get(node)!)}`)],
            fix: selectorFix(cls, disk, targets, lists),
          });
          continue;
        }
        for (const node of targets) {
          const list = lists.get(node)!;
          const choice = choices.get(node);
          // A selector that does not compile is machine-class/storage-selector's finding.
          if (!choice) continue;
          const subject = `${diskName} on ${node}`;
          const base = { subject, ...(location ? { location } : {}) };
          const evidence = [`storage_selector: ${disk.selector}`, `storages on ${node}, in the order Proxmox lists them: ${describe(list)}`];
          if (choice.errors.length > 0) {
            findings.push({ ...base, message: `its selector fails to evaluate: ${choice.errors[0]}`, evidence: [...evidence, ...choice.errors], fix: selectorFix(cls, disk, targets, lists) });
            continue;
          }
          if (!choice.chosen) {
            findings.push({ ...base, message: `its selector matches no storage on ${node}: the provider fails with "no matches for the condition" and the cluster stays in SCALING_UP`, evidence, fix: selectorFix(cls, disk, targets, lists) });
            continue;
          }
          const chosen = choice.chosen;
          const others = choice.matches.length > 1 ? `; it also matches ${choice.matches.slice(1).map((s) => s.storage).join(", ")}` : "";
          const problems = diskProblems(chosen, disk.sizeGb);
          if (problems.length > 0) {
            findings.push({
              ...base,
              ...(problems.some((p) => p.certain) ? {} : { severity: "warning" as const }),
              message: `the provider would put the ${disk.label} on ${chosen.storage}, which ${problems.map((p) => p.text).join(" and ")}${others}`,
              evidence,
              fix: selectorFix(cls, disk, targets, lists),
            });
          } else if (choice.matches.length > 1) {
            findings.push({
              ...base,
              severity: "warning",
              message: `its selector matches ${choice.matches.length} storages (${choice.matches.map((s) => s.storage).join(", ")}); the provider takes the first one Proxmox lists, and that order can change from one call to the next`,
              evidence,
              fix: selectorFix(cls, disk, targets, lists, chosen.storage),
            });
          }
        }
      }
    }
    if (findings.length > 0) return findings;
    const pairs = classes.reduce((n, cls) => n + nodesFor(cls, online).filter((node) => lists.has(node)).length * cls.disks.length, 0);
    return [pass(`${classes.length} machine class(es): every selector picks exactly one usable storage (${pairs} disk/node pair(s)), and every node has an ISO storage`)];
  },
});
