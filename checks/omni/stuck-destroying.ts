import { defineCheck, pass, type Finding } from "../../src/engine/check.ts";
import { clusterMachineStatuses, isBeingDestroyed, machines } from "../../src/sources/omni/facts.ts";
import { CLUSTER_LABEL } from "../../src/sources/omni/omnictl.ts";
import { NODE_NAME_LABEL } from "../../src/sources/omni/resources.ts";
import { formatDuration } from "../../src/util/duration.ts";
import { deleteClusterMachine } from "../../src/fix/omni-talos-steps.ts";

/** Tearing a machine down takes a minute or two; this long without progress means it is stuck. */
const STUCK_AFTER_MS = 15 * 60 * 1000;

function since(updated: string | undefined, now: Date): number | undefined {
  const t = updated ? Date.parse(updated) : NaN;
  return Number.isNaN(t) ? undefined : now.getTime() - t;
}

export default defineCheck({
  meta: {
    id: "omni/stuck-destroying",
    title: "Machines stuck while being destroyed",
    severity: "error",
    sources: ["omni"],
    symptoms: [
      "only read access is permitted for resources of type machines.omni.sidero.dev",
      "only read access is permitted",
      "Destroying/Unreachable",
      "machine stuck in Destroying",
      "reconcile failed: resource Links",
    ],
    fixable: ["command"],
  },
  facts: { statuses: clusterMachineStatuses, machines },
  run({ statuses, machines }, { now }) {
    const findings: Finding[] = [];
    const reported = new Set<string>();
    for (const cms of statuses) {
      const destroying = isBeingDestroyed(cms);
      const age = since(cms.metadata.updated, now);
      if (!destroying || age === undefined || age < STUCK_AFTER_MS) continue;
      const id = cms.metadata.id;
      reported.add(id);
      const node = cms.metadata.labels[NODE_NAME_LABEL];
      const cluster = cms.metadata.labels[CLUSTER_LABEL];
      findings.push({
        subject: `cluster machine ${id}${node ? ` (${node})` : ""}${cluster ? ` in cluster ${cluster}` : ""}`,
        message: `has been ${cms.spec.stage === "UNKNOWN" ? "tearing down" : cms.spec.stage} for ${formatDuration(age)} without progress; its VM is probably gone or the provider cannot finish`,
        evidence: [
          `stage: ${cms.spec.stage}`,
          `phase: ${cms.metadata.phase}`,
          `last update: ${cms.metadata.updated}`,
          ...(cms.metadata.finalizers.length > 0 ? [`finalizers: ${cms.metadata.finalizers.join(", ")}`] : []),
        ],
        fix: {
          summary: "Remove the cluster machine (the Machine itself is read-only), then let the provider recreate capacity",
          steps: [
            deleteClusterMachine(id, `delete the cluster machine ${id}; \`omnictl delete machine\` fails with "only read access is permitted"`),
            { kind: "manual", description: "if it is still listed after a minute, restart the infrastructure provider so it drops its finalizer", destructive: false },
          ],
        },
      });
    }
    for (const machine of machines) {
      const age = since(machine.metadata.updated, now);
      if (machine.metadata.phase !== "tearingDown" || machine.metadata.finalizers.length === 0 || age === undefined || age < STUCK_AFTER_MS) continue;
      if (reported.has(machine.metadata.id)) continue;
      findings.push({
        subject: `machine ${machine.metadata.id}`,
        message: `has been tearing down for ${formatDuration(age)}, held by finalizers ${machine.metadata.finalizers.join(", ")}`,
        evidence: [`phase: tearingDown`, `finalizers: ${machine.metadata.finalizers.join(", ")}`, `last update: ${machine.metadata.updated}`],
        fix: {
          summary: "Release the machine from its cluster and restart the controller holding the finalizer",
          steps: [
            deleteClusterMachine(machine.metadata.id, `delete the cluster machine ${machine.metadata.id}`),
            { kind: "manual", description: `restart the component named by the finalizer (${machine.metadata.finalizers[0]}), usually the infrastructure provider`, destructive: false },
          ],
        },
      });
    }
    return findings.length > 0 ? findings : [pass(`${statuses.length} cluster machine(s), none stuck destroying`)];
  },
});
