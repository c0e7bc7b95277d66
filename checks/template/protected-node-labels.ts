import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import type { FixStep, Location, Severity } from "../../src/model/result.ts";
import { patchDocuments, setsReachedBy, type ConfigPatchDoc, type NodePath, type TemplatePatch } from "../../src/sources/kit/cluster-templates.ts";
import { clusterTemplates } from "../../src/sources/kit/template-facts.ts";
import { removeItem, removeKeys, type EditableTree } from "../../src/sources/kit/yaml-edit.ts";
import { editStep, type TextEdit } from "../../src/sources/kit/text-edit.ts";
import { isRecord } from "../../src/sources/kit/yaml-file.ts";

/** Labels the kubelet may set on its own Node although they sit under kubernetes.io (NodeRestriction's allow list). */
const KUBELET_LABELS = new Set([
  "kubernetes.io/hostname",
  "kubernetes.io/arch",
  "kubernetes.io/os",
  "beta.kubernetes.io/arch",
  "beta.kubernetes.io/os",
  "beta.kubernetes.io/instance-type",
  "node.kubernetes.io/instance-type",
  "topology.kubernetes.io/zone",
  "topology.kubernetes.io/region",
  "failure-domain.beta.kubernetes.io/zone",
  "failure-domain.beta.kubernetes.io/region",
]);

const under = (domain: string, parent: string) => domain === parent || domain.endsWith(`.${parent}`);

/** The NodeRestriction admission rule: may a kubelet set this label on its own Node? */
export function isProtectedNodeLabel(key: string): boolean {
  const slash = key.indexOf("/");
  if (slash === -1) return false;
  const domain = key.slice(0, slash).toLowerCase();
  if (under(domain, "node-restriction.kubernetes.io")) return true;
  if (!under(domain, "kubernetes.io") && !under(domain, "k8s.io")) return false;
  if (KUBELET_LABELS.has(key)) return false;
  return !under(domain, "kubelet.kubernetes.io") && !under(domain, "node.kubernetes.io");
}

/** Where node labels live: the v1alpha1 document's machine.nodeLabels, and KubeNodeConfig (Talos 1.14+). */
function labelPaths(doc: ConfigPatchDoc): Array<{ key: string; path: NodePath }> {
  const value = doc.value;
  if (!isRecord(value)) return [];
  const at = (labels: unknown, base: NodePath) => (isRecord(labels) ? Object.keys(labels).map((key) => ({ key, path: [...base, key] })) : []);
  if (value.kind === undefined) return at(isRecord(value.machine) ? value.machine.nodeLabels : undefined, ["machine", "nodeLabels"]);
  if (value.kind === "KubeNodeConfig") return at(value.labels, ["labels"]);
  return [];
}

interface Occurrence {
  key: string;
  path: NodePath;
  doc: ConfigPatchDoc;
  location: Location;
  severity: Severity;
  /** The template patch whose inline content holds it (to drop the entry if nothing is left). */
  inlinePatch?: TemplatePatch;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
const worst = (a: Severity, b: Severity): Severity => (RANK[a] >= RANK[b] ? a : b);
/** The file without the labels; inline patches left empty are dropped with their entry. Undefined when it cannot be done in place. */
function labelRemovals(found: Occurrence[]): TextEdit[] | undefined {
  const byTree = new Map<EditableTree, Occurrence[]>();
  for (const o of found) {
    if (!o.doc.tree) return undefined;
    byTree.set(o.doc.tree, [...(byTree.get(o.doc.tree) ?? []), o]);
  }
  const edits: TextEdit[] = [];
  for (const [tree, list] of byTree) {
    const removal = removeKeys(tree, list.map((o) => o.path));
    if ("needsReprint" in removal) return undefined;
    if (!removal.emptiedRoot) edits.push(...removal.edits);
    else if (list[0]!.inlinePatch) edits.push(removeItem(list[0]!.inlinePatch.owner.tree, list[0]!.inlinePatch.entry));
    else return undefined; // a patch file holding nothing else: deleting it is the user's call
  }
  return edits;
}

export default defineCheck({
  meta: {
    id: "template/protected-node-labels",
    title: "Config patch sets node labels the kubelet may not set",
    severity: "error",
    sources: ["files"],
    symptoms: [
      "is not allowed to modify labels: <label>",
      'nodes "<node>" is forbidden: is not allowed to modify labels: <label>',
      "node-role.kubernetes.io/worker",
    ],
    fixable: ["edit", "manual"],
  },
  facts: { clusterTemplates },
  run({ clusterTemplates }) {
    const { templates, patchFiles } = clusterTemplates;
    if (templates.length === 0 && patchFiles.length === 0) return [skip("no cluster templates or Talos patches in the kit")];
    const found: Occurrence[] = [];
    for (const { doc, content, uses } of patchDocuments(clusterTemplates)) {
      const labels = labelPaths(doc).filter((l) => isProtectedNodeLabel(l.key));
      if (labels.length === 0) continue;
      // Talos applies node labels with the kubelet's own credentials on workers only; control planes use admin credentials.
      const reached = uses.flatMap((u) => setsReachedBy(u.template, u.patch));
      const severity: Severity = uses.length === 0 ? "warning" : reached.length > 0 && reached.every((s) => s.role === "controlplane") ? "info" : "error";
      const inlinePatch = content.form === "file" ? undefined : uses[0]?.patch;
      for (const l of labels) found.push({ ...l, doc, location: doc.locate(l.path), severity, ...(inlinePatch ? { inlinePatch } : {}) });
    }
    const byFile = new Map<string, Occurrence[]>();
    for (const o of found) byFile.set(o.location.file, [...(byFile.get(o.location.file) ?? []), o]);
    const findings: Finding[] = [];
    for (const [path, list] of byFile) {
      const severity = list.map((o) => o.severity).reduce(worst);
      const keys = [...new Set(list.map((o) => o.key))];
      const file = list[0]!.doc.tree?.file;
      const removal = file ? editStep(file, `remove ${keys.join(", ")} from the node labels`, labelRemovals(list)) : undefined;
      const steps: FixStep[] = removal ? [removal] : [];
      steps.push(
        { kind: "manual", description: `label the nodes after they join instead: kubectl label node <node> ${keys.map((k) => `${k}=`).join(" ")} (or use a label under your own domain, e.g. example.com/role)`, destructive: false },
        { kind: "manual", description: "a node already stuck rebooting keeps failing: after syncing the template, delete its cluster machine so Omni provisions it again (omnictl delete clustermachine <id>)", destructive: true },
      );
      const where = severity === "info" ? "on control planes only (Talos labels those with admin credentials, so it works there)" : severity === "warning" ? "in a patch no template uses yet" : "on workers";
      findings.push({
        severity,
        subject: path,
        message: `${keys.join(", ")} ${keys.length > 1 ? "are" : "is"} protected by Kubernetes' NodeRestriction, set ${where}: the kubelet is refused and no node label is applied`,
        location: list[0]!.location,
        evidence: list.map((o) => `${o.location.file}:${o.location.line}:${o.location.column}: ${o.key}`),
        fix: { summary: "Drop the protected labels from the patch and label the nodes with kubectl", steps },
      });
    }
    return findings.length > 0 ? findings : [pass("no config patch sets node labels under kubernetes.io or k8s.io that the kubelet may not set")];
  },
});
