/**
 * Fix steps the Omni and Talos checks share, with the real ids filled in, so every check words
 * and shapes them the same way.
 */
import type { FixStep } from "../model/result.ts";
import type { KitYamlFile } from "../sources/kit/kit.ts";
import { templateDocs } from "../sources/kit/templates.ts";

/** `Machine` resources are read-only (`only read access is permitted`): the handle users may delete is the cluster machine. */
export function deleteClusterMachine(machineId: string, description: string): FixStep {
  return { kind: "command", description, argv: ["omnictl", "delete", "clustermachine", machineId], destructive: true };
}

/** `talosctl reboot` for one node, through Omni's endpoint when the node was reached that way. */
export function rebootNode(node: string, cluster: string | undefined, description: string): FixStep {
  return { kind: "command", description, argv: ["talosctl", ...(cluster ? ["--cluster", cluster] : []), "-n", node, "reboot"], destructive: false };
}

/** The kit's template file that defines `cluster` (its `kind: Cluster` document names it). */
export function templateFileFor(templates: readonly KitYamlFile[], cluster: string): string | undefined {
  return templates.find((file) => templateDocs(file).some((d) => d.kind === "Cluster" && d.value?.name === cluster))?.path;
}

/** Sync the cluster's template: a command when the kit holds it, else the same advice by hand. */
export function syncTemplate(templates: readonly KitYamlFile[], cluster: string, description: string): FixStep {
  const file = templateFileFor(templates, cluster);
  if (file) return { kind: "command", description, argv: ["omnictl", "cluster", "template", "sync", "-f", file], destructive: false };
  return { kind: "manual", description: `${description}: run \`omnictl cluster template sync -f <template of ${cluster}>\` (the kit holds no template for cluster ${cluster})`, destructive: false };
}
