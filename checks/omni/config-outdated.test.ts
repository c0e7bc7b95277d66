import { expect } from "vitest";
import check from "./config-outdated.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { templateFiles } from "../../src/sources/kit/templates.ts";
import type { ClusterMachineStatus, OmniCluster, OmniMachineStatus } from "../../src/sources/omni/facts.ts";

const ID = "0b6a4c1e-2222-4a1b-9c2d-3e4f5a6b7c02";
const meta = (type: string, id: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}) => ({ namespace: "default", type, id, phase: "running", labels, annotations, finalizers: [] });

function cms(o: { uptodate?: boolean; apply?: ClusterMachineStatus["spec"]["configapplystatus"]; error?: string; stage?: ClusterMachineStatus["spec"]["stage"]; locked?: boolean } = {}): ClusterMachineStatus {
  return {
    metadata: meta("ClusterMachineStatuses.omni.sidero.dev", ID, { "omni.sidero.dev/cluster": "lab", "omni.sidero.dev/node-name": "talos-w-1" }, o.locked ? { "omni.sidero.dev/locked": "" } : {}),
    spec: { stage: o.stage ?? "RUNNING", ready: true, configuptodate: o.uptodate ?? true, configapplystatus: o.apply ?? "APPLIED", lastconfigerror: o.error ?? "" },
  };
}
const status = (talos: string): OmniMachineStatus => ({ metadata: meta("MachineStatuses.omni.sidero.dev", ID), spec: { talosversion: talos, role: "WORKER", connected: true } });
const cluster = (talos: string): OmniCluster => ({ metadata: meta("Clusters.omni.sidero.dev", "lab"), spec: { talosversion: talos, kubernetesversion: "1.35.2" } });
const kit = templateFiles(kitFrom({ "clusters/lab.yaml": "kind: Cluster\nname: lab\ntalos:\n  version: v1.12.4\nkubernetes:\n  version: v1.35.2\n" }));

testCheck(check, {
  valid: [
    { name: "up to date, same version", facts: { statuses: [cms()], machines: [status("v1.12.4")], clusters: [cluster("1.12.4")] }, message: /^1 machine\(s\) up to date/ },
    { name: "an upgrade in progress is left alone", facts: { statuses: [cms({ stage: "UPGRADING", uptodate: false })], machines: [status("v1.11.5")], clusters: [cluster("1.12.4")] } },
  ],
  invalid: [
    {
      name: "Config Outdated, with the kit's template to sync",
      facts: { statuses: [cms({ uptodate: false })], machines: [status("v1.12.4")], clusters: [cluster("1.12.4")], templates: kit },
      results: [
        {
          status: "warn",
          subject: `machine ${ID} (talos-w-1) in cluster lab`,
          message: "its configuration is outdated",
          fix: ["command"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "command" || step.argv.join(" ") !== "omnictl cluster template sync -f clusters/lab.yaml") throw new Error(JSON.stringify(step));
          },
        },
      ],
    },
    {
      name: "another Talos version, no template in the kit",
      facts: { statuses: [cms()], machines: [status("v1.11.5")], clusters: [cluster("1.12.4")] },
      results: [{ status: "warn", message: "it runs Talos v1.11.5 while the cluster is on v1.12.4", evidence: ["machine Talos: v1.11.5", "cluster Talos: v1.12.4"], fix: ["manual"] }],
    },
    {
      name: "locked machine holding an update",
      facts: { statuses: [cms({ uptodate: false, locked: true })], machines: [], clusters: [] },
      results: [{ status: "warn", message: /held back because the machine is locked/, fix: ["command"], satisfies: (r) => expect(r.fix!.steps[0]).toMatchObject({ argv: ["omnictl", "cluster", "machine", "unlock", ID] }) }],
    },
    {
      name: "config apply failed",
      facts: { statuses: [cms({ uptodate: false, apply: "FAILED", error: "failed to apply config: x509" })], machines: [], clusters: [] },
      results: [{ status: "warn", message: "its configuration failed to apply: failed to apply config: x509" }],
    },
  ],
  unavailable: [
    { name: "omnictl not installed", source: "omni", kind: "not-installed", status: "skip" },
    { name: "Omni unreachable", source: "omni", kind: "unreachable", status: "error" },
  ],
});
