import check from "./etcd-backup.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { templateFiles } from "../../src/sources/kit/templates.ts";
import type { EtcdBackupStatus, OmniCluster } from "../../src/sources/omni/facts.ts";

// TEST_NOW is 2026-11-20T10:00:00Z.
const HOUR = 3600 * 1000;
const meta = (type: string, id: string) => ({ namespace: "default", type, id, phase: "running", labels: {}, annotations: {}, finalizers: [] });
const cluster = (enabled: boolean, interval = 6 * HOUR): OmniCluster => ({ metadata: meta("Clusters.omni.sidero.dev", "lab"), spec: { talosversion: "1.12.4", backupconfiguration: enabled ? { enabled, interval } : null } });
const status = (s: EtcdBackupStatus["spec"]["status"], last: string, error = ""): EtcdBackupStatus => ({ metadata: meta("EtcdBackupStatuses.omni.sidero.dev", "lab"), spec: { status: s, error, lastbackuptime: Date.parse(last), lastbackupattempt: Date.parse(last) } });
const kit = templateFiles(kitFrom({ "clusters/lab.yaml": "kind: Cluster\nname: lab\ntalos:\n  version: v1.12.4\nkubernetes:\n  version: v1.35.2\n" }));

testCheck(check, {
  valid: [
    { name: "recent backup", facts: { clusters: [cluster(true)], backups: { statuses: [status("Ok", "2026-11-20T06:00:00Z")], storeError: "" } }, message: "1 cluster(s) with recent etcd backups" },
    { name: "a backup running", facts: { clusters: [cluster(true)], backups: { statuses: [status("Running", "2026-11-20T01:00:00Z")], storeError: "" } } },
  ],
  invalid: [
    {
      name: "no backups configured: template edit and sync",
      facts: { clusters: [cluster(false)], backups: { statuses: [], storeError: "" }, templates: kit },
      results: [{ status: "warn", severity: "warning", subject: "cluster lab", message: /has no etcd backups/, evidence: ["backupconfiguration: not set"], fix: ["manual", "command"] }],
    },
    { name: "store not usable", facts: { clusters: [cluster(true)], backups: { statuses: [], storeError: "s3 bucket is not configured" } }, results: [{ status: "warn", message: /backup store is not usable: s3 bucket is not configured/ }] },
    { name: "last backup failed", facts: { clusters: [cluster(true)], backups: { statuses: [status("Error", "2026-11-20T06:00:00Z", "access denied")], storeError: "" } }, results: [{ status: "warn", message: "the last etcd backup failed: access denied" }] },
    { name: "last backup two days old", facts: { clusters: [cluster(true)], backups: { statuses: [status("Ok", "2026-11-18T10:00:00Z")], storeError: "" } }, results: [{ status: "warn", message: "the last etcd backup is 2d old, with backups due every 6h" }] },
    { name: "enabled, nothing yet", facts: { clusters: [cluster(true)], backups: { statuses: [], storeError: "" } }, results: [{ status: "warn", message: /no backup for it yet/ }] },
  ],
  unavailable: [
    { name: "omnictl not installed", source: "omni", kind: "not-installed", status: "skip" },
    { name: "Omni unreachable", source: "omni", kind: "unreachable", status: "error" },
  ],
});
