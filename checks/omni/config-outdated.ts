import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { clusterMachineStatuses, clusters, isBeingDestroyed, machineStatuses } from "../../src/sources/omni/facts.ts";
import { CLUSTER_LABEL } from "../../src/sources/omni/omnictl.ts";
import { bareVersion, NODE_NAME_LABEL } from "../../src/sources/omni/resources.ts";
import { templates } from "../../src/sources/kit/facts.ts";
import { syncTemplate } from "../../src/fix/omni-talos-steps.ts";
import type { FixStep } from "../../src/model/result.ts";

/** Omni holds config updates back from a locked machine and marks it with this label. */
const LOCKED_ANNOTATION = "omni.sidero.dev/locked";
const LOCKED_UPDATE_LABEL = "omni.sidero.dev/locked-update";
/** Stages in which the configuration or version is expected to differ for a while. */
const IN_TRANSITION = new Set(["UPGRADING", "BOOTING", "INSTALLING", "CONFIGURING", "REBOOTING", "SHUTTING_DOWN", "POWERING_ON", "POWERED_OFF"]);

export default defineCheck({
  meta: {
    id: "omni/config-outdated",
    title: "Machines run their cluster's configuration and Talos version",
    severity: "warning",
    sources: ["omni", "files"],
    symptoms: ["Config Outdated", "Pending Config Update", "Config Apply Failed", "machine is on another Talos version than the cluster"],
    fixable: ["command", "manual"],
  },
  facts: { statuses: clusterMachineStatuses, machines: machineStatuses, clusters, templates: optional(templates) },
  run({ statuses, machines, clusters: all, templates: kitTemplates }) {
    const talosOf = new Map(machines.map((m) => [m.metadata.id, bareVersion(m.spec.talosversion)]));
    const clusterTalos = new Map(all.map((c) => [c.metadata.id, bareVersion(c.spec.talosversion)]));
    const files = kitTemplates.ok ? kitTemplates.value : [];
    const findings: Finding[] = [];
    if (statuses.length === 0) return [skip("no cluster machines in Omni")];
    for (const cms of statuses) {
      if (IN_TRANSITION.has(cms.spec.stage) || isBeingDestroyed(cms)) continue;
      const id = cms.metadata.id;
      const cluster = cms.metadata.labels[CLUSTER_LABEL] ?? "";
      const node = cms.metadata.labels[NODE_NAME_LABEL];
      const subject = `machine ${id}${node ? ` (${node})` : ""} in cluster ${cluster}`;
      const problems: string[] = [];
      const evidence: string[] = [];
      const steps: FixStep[] = [];
      const locked = LOCKED_ANNOTATION in cms.metadata.annotations || LOCKED_UPDATE_LABEL in cms.metadata.labels;
      if (cms.spec.configuptodate === false || cms.spec.configapplystatus === "FAILED") {
        const failed = cms.spec.configapplystatus === "FAILED";
        problems.push(failed ? `its configuration failed to apply${cms.spec.lastconfigerror ? `: ${cms.spec.lastconfigerror}` : ""}` : locked ? "a configuration update is held back because the machine is locked" : "its configuration is outdated");
        evidence.push(`configuptodate: ${cms.spec.configuptodate}`, `configapplystatus: ${cms.spec.configapplystatus}`, ...(cms.spec.lastconfigerror ? [`lastconfigerror: ${cms.spec.lastconfigerror}`] : []));
        if (locked) steps.push({ kind: "command", description: `unlock ${id} so Omni applies the pending update (lock it again afterwards if you want)`, argv: ["omnictl", "cluster", "machine", "unlock", id], destructive: false });
      }
      const running = talosOf.get(id);
      const wanted = clusterTalos.get(cluster);
      if (running && wanted && running !== wanted) {
        problems.push(`it runs Talos v${running} while the cluster is on v${wanted}`);
        evidence.push(`machine Talos: v${running}`, `cluster Talos: v${wanted}`);
      }
      if (problems.length === 0) continue;
      if (!locked) steps.push(syncTemplate(files, cluster, `re-sync cluster ${cluster}'s template so Omni reconciles the machine`));
      findings.push({ subject, message: problems.join("; "), evidence, fix: { summary: locked ? "Unlock the machine" : "Let Omni reconcile the machine", steps } });
    }
    return findings.length > 0 ? findings : [pass(`${statuses.length} machine(s) up to date with their cluster or on their way to it`)];
  },
});
