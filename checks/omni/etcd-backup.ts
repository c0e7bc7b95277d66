import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { clusters, etcdBackups } from "../../src/sources/omni/facts.ts";
import { templates } from "../../src/sources/kit/facts.ts";
import { syncTemplate, templateFileFor } from "../../src/fix/omni-talos-steps.ts";
import { formatDuration } from "../../src/util/duration.ts";
import type { Fix } from "../../src/model/result.ts";

/** A backup may be late by one interval (and a little) before it counts as missed. */
const LATE_AFTER_INTERVALS = 2;
const GRACE_MS = 15 * 60 * 1000;

export default defineCheck({
  meta: {
    id: "omni/etcd-backup",
    title: "etcd backups are configured and recent",
    severity: "warning",
    sources: ["omni", "files"],
    symptoms: ["no etcd backup", "etcd backup failed", "backupConfiguration"],
    fixable: ["command", "manual"],
  },
  facts: { clusters, backups: etcdBackups, templates: optional(templates) },
  run({ clusters: all, backups, templates: kitTemplates }, { now }) {
    if (all.length === 0) return [skip("no clusters in Omni")];
    const files = kitTemplates.ok ? kitTemplates.value : [];
    const statusOf = new Map(backups.statuses.map((s) => [s.metadata.id, s]));
    const findings: Finding[] = [];
    for (const cluster of all) {
      const id = cluster.metadata.id;
      const config = cluster.spec.backupconfiguration;
      const interval = config?.interval ?? 0;
      const subject = `cluster ${id}`;
      if (!config?.enabled || interval <= 0) {
        const file = templateFileFor(files, id);
        const fix: Fix = {
          summary: "Turn on Omni's etcd backups",
          steps: [
            { kind: "manual", description: `in ${file ?? `cluster ${id}'s template`}, add \`features: {backupConfiguration: {interval: 6h}}\` to the Cluster document (Omni also needs a backup store: S3 or local, set on the Omni side)`, destructive: false },
            syncTemplate(files, id, "sync the template"),
          ],
        };
        findings.push({ subject, message: "has no etcd backups: losing the control planes would lose the cluster's state", evidence: [`backupconfiguration: ${config ? `enabled ${Boolean(config.enabled)}, interval ${interval / 1000}s` : "not set"}`], fix });
        continue;
      }
      const storeFix: Fix = { summary: "Repair Omni's backup store", steps: [{ kind: "manual", description: "check Omni's etcd backup store settings (S3 bucket, credentials, or the local directory flag) and Omni's log", destructive: false }] };
      if (backups.storeError) {
        findings.push({ subject, message: `has backups enabled but Omni's backup store is not usable: ${backups.storeError}`, evidence: [`store: ${backups.storeError}`], fix: storeFix });
        continue;
      }
      const status = statusOf.get(id);
      if (!status) {
        findings.push({ subject, message: "has backups enabled but Omni reports no backup for it yet", evidence: [`interval: ${formatDuration(interval)}`], fix: storeFix });
      } else if (status.spec.status === "Error") {
        findings.push({ subject, message: `the last etcd backup failed: ${status.spec.error || "no reason given"}`, evidence: [`status: Error`, ...(status.spec.error ? [`error: ${status.spec.error}`] : [])], fix: storeFix });
      } else if (status.spec.lastbackuptime !== undefined && now.getTime() - status.spec.lastbackuptime > LATE_AFTER_INTERVALS * interval + GRACE_MS) {
        const age = now.getTime() - status.spec.lastbackuptime;
        findings.push({ subject, message: `the last etcd backup is ${formatDuration(age)} old, with backups due every ${formatDuration(interval)}`, evidence: [`last backup: ${new Date(status.spec.lastbackuptime).toISOString()}`, `status: ${status.spec.status}`], fix: storeFix });
      }
    }
    return findings.length > 0 ? findings : [pass(`${all.length} cluster(s) with recent etcd backups`)];
  },
});
