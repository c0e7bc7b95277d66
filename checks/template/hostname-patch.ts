import { isScalar, type Node } from "yaml";
import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import type { FixStep, Location } from "../../src/model/result.ts";
import { appliedPatches, isLegacyConfig, patchesOfSet, setsReachedBy, talosMinorOf, type AppliedPatch, type ConfigPatchDoc, type MachineSet } from "../../src/sources/kit/cluster-templates.ts";
import { clusterTemplates } from "../../src/sources/kit/template-facts.ts";
import { compareMinor } from "../../src/schema/talos-schemas.ts";
import { insertAfterItem, removeItem, removeKeys } from "../../src/sources/kit/yaml-edit.ts";
import { editStep, type TextEdit } from "../../src/sources/kit/text-edit.ts";
import { isRecord, nodeAt } from "../../src/sources/kit/yaml-file.ts";

const HOSTNAME: Array<string | number> = ["machine", "network", "hostname"];

function hostnameOf(doc: ConfigPatchDoc): string | undefined {
  if (!isLegacyConfig(doc.value)) return undefined;
  const machine = doc.value.machine;
  const network = isRecord(machine) ? machine.network : undefined;
  const hostname = isRecord(network) ? network.hostname : undefined;
  return typeof hostname === "string" && hostname !== "" ? hostname : undefined;
}

/** A patch that deletes the HostnameConfig document Omni creates (`$patch: delete`), the known way to keep a v1alpha1 hostname. */
const deletesHostnameConfig = (applied: AppliedPatch) => applied.content.docs.some((d) => isRecord(d.value) && d.value.kind === "HostnameConfig" && d.value.$patch === "delete");

interface Hit {
  applied: AppliedPatch;
  doc: ConfigPatchDoc;
  hostname: string;
  location: Location;
  sets: MachineSet[];
}

/** Replace `machine.network.hostname` in an inline mapping patch by a HostnameConfig patch right after it. */
function hostnameConfigEdits(hit: Hit): TextEdit[] | undefined {
  const { patch } = hit.applied;
  if (hit.applied.content.form !== "mapping" || !hit.doc.tree || patch.name === "") return undefined;
  const removal = removeKeys(hit.doc.tree, [HOSTNAME]);
  if ("needsReprint" in removal) return undefined;
  const valueNode = nodeAt(hit.doc.node, HOSTNAME);
  const value = isScalar(valueNode) ? hit.doc.tree.file.text.slice((valueNode as Node).range![0], (valueNode as Node).range![1]) : JSON.stringify(hit.hostname);
  const added = insertAfterItem(patch.owner.tree, patch.entry, [
    `- name: ${patch.name}-hostname`,
    "  inline:",
    "    apiVersion: v1alpha1",
    "    kind: HostnameConfig",
    '    auto: "off"',
    `    hostname: ${value}`,
  ]);
  return [...(removal.emptiedRoot ? [removeItem(patch.owner.tree, patch.entry)] : removal.edits), added];
}

export default defineCheck({
  meta: {
    id: "template/hostname-patch",
    title: "Patch sets the v1alpha1 hostname on Talos 1.12 or later",
    severity: "error",
    sources: ["files"],
    symptoms: ["static hostname is already set in v1alpha1 config", "stable hostname is already set in v1alpha1 config"],
    fixable: ["edit", "manual"],
  },
  facts: { clusterTemplates },
  run({ clusterTemplates }) {
    const templates = clusterTemplates.templates.filter((t) => {
      const minor = talosMinorOf(t);
      return minor !== undefined && compareMinor(minor, "1.12") >= 0;
    });
    if (templates.length === 0) return [skip("no template runs Talos 1.12 or later")];
    const findings: Finding[] = [];
    for (const template of templates) {
      const applied = appliedPatches(template);
      const hits: Hit[] = [];
      for (const a of applied) {
        for (const doc of a.content.docs) {
          const hostname = hostnameOf(doc);
          if (!hostname) continue;
          // The set keeps working only when one of the patches reaching it deletes Omni's HostnameConfig.
          const sets = setsReachedBy(template, a.patch).filter((set) => !applied.filter((p) => patchesOfSet(template, set).includes(p.patch)).some(deletesHostnameConfig));
          if (sets.length > 0) hits.push({ applied: a, doc, hostname, location: doc.locate(HOSTNAME), sets });
        }
      }
      if (hits.length === 0) continue;
      const edits = hits.map(hostnameConfigEdits);
      const moves = edits.every((e) => e !== undefined) ? (edits.flat() as TextEdit[]) : undefined;
      const steps: FixStep[] = [
        editStep(template.file, "move each hostname into a HostnameConfig document (auto: off, hostname: ...) in a patch of its own", moves) ?? {
          kind: "manual",
          description:
            "remove machine.network.hostname and add a document `apiVersion: v1alpha1`, `kind: HostnameConfig`, `auto: off`, `hostname: <name>` to the patch (or add a patch that deletes HostnameConfig: `apiVersion: v1alpha1`, `kind: HostnameConfig`, `$patch: delete`)",
          destructive: false,
        },
      ];
      const setNames = [...new Set(hits.flatMap((h) => h.sets.map((s) => s.name || (s.role === "controlplane" ? "control planes" : "workers"))))];
      findings.push({
        subject: template.file.path,
        message: `Talos ${template.talosVersion!.text} gives new clusters a HostnameConfig document, so machine.network.hostname fails (${setNames.join(", ")}): the machines do not get their configuration`,
        location: hits[0]!.location,
        evidence: ["static hostname is already set in v1alpha1 config", ...hits.map((h) => `${h.location.file}:${h.location.line}:${h.location.column}: machine.network.hostname: ${h.hostname}`)],
        fix: { summary: "Set the hostname with a HostnameConfig document instead", steps },
      });
    }
    return findings.length > 0 ? findings : [pass(`${templates.length} template(s) on Talos 1.12+ set no v1alpha1 hostname that clashes with HostnameConfig`)];
  },
});
