import { isMap, isScalar } from "yaml";
import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import type { FixStep } from "../../src/model/result.ts";
import { clusterTemplates, NO_TEMPLATES } from "../../src/sources/kit/template-facts.ts";
import { indentOf, insertKeys } from "../../src/sources/kit/yaml-edit.ts";
import { editStep } from "../../src/sources/kit/text-edit.ts";
import { nodeAt } from "../../src/sources/kit/yaml-file.ts";
import { goDurationMs } from "../../src/util/go-parse.ts";

/** A backup every 12 hours: inside Omni's default bounds, and what the homelab kits use. */
const INTERVAL = "12h";

export default defineCheck({
  meta: {
    id: "template/etcd-backup",
    title: "Cluster has no etcd backups",
    severity: "info",
    sources: ["files"],
    symptoms: ["no etcd backups", "etcdbackupstatus"],
    fixable: ["edit"],
  },
  facts: { clusterTemplates },
  run({ clusterTemplates }) {
    const clusters = clusterTemplates.templates.filter((t) => t.cluster && isMap(t.cluster.doc.contents));
    if (clusters.length === 0) return [skip(NO_TEMPLATES)];
    const findings: Finding[] = [];
    for (const template of clusters) {
      const cluster = template.cluster!;
      const interval = nodeAt(cluster.doc.contents, ["features", "backupConfiguration", "interval"]);
      if (isScalar(interval) && typeof interval.value === "string" && (goDurationMs(interval.value) ?? 0) > 0) continue;
      const step = " ".repeat(indentOf(template.file.text));
      const features = nodeAt(cluster.doc.contents, ["features"]);
      const insert = isMap(features)
        ? nodeAt(features, ["backupConfiguration"])
          ? undefined // present without a usable interval: a person decides
          : insertKeys(cluster.tree, ["features"], ["backupConfiguration:", `${step}interval: ${INTERVAL}`])
        : insertKeys(cluster.tree, [], ["features:", `${step}backupConfiguration:`, `${step}${step}interval: ${INTERVAL}`], "talos");
      const steps: FixStep[] = [
        (insert && !("needsReprint" in insert) ? editStep(template.file, `back etcd up every ${INTERVAL} (features.backupConfiguration.interval)`, [insert]) : undefined) ?? {
          kind: "manual",
          description: `set features.backupConfiguration.interval to a duration such as ${INTERVAL}`,
          destructive: false,
        },
      ];
      steps.push({ kind: "manual", description: "make sure Omni has somewhere to store backups (its --etcd-backup-s3 or --etcd-backup-local-path setting)", destructive: false });
      findings.push({
        subject: template.file.path,
        message: "no etcd backups are configured: losing the control planes loses the cluster's state, and Omni can only restore a cluster from its own backups",
        location: cluster.locate(isMap(features) ? ["features"] : ["name"]),
        evidence: [isScalar(interval) ? `features.backupConfiguration.interval: ${String(interval.value)}` : "features.backupConfiguration is not set"],
        fix: { summary: "Let Omni back etcd up on a schedule", steps },
      });
    }
    return findings.length > 0 ? findings : [pass(`${clusters.length} cluster(s) back etcd up on a schedule`)];
  },
});
