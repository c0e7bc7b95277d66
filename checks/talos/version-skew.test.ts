import { expect } from "vitest";
import check from "./version-skew.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { templateFiles } from "../../src/sources/kit/templates.ts";
import type { TalosVersions } from "../../src/sources/talos/facts.ts";
import type { OmniCluster } from "../../src/sources/omni/facts.ts";

const version = (node: string, v: string): TalosVersions["resources"][number] => ({ node, metadata: { namespace: "runtime", type: "Versions.runtime.talos.dev", id: "version", phase: "running", labels: {} }, spec: { version: v } });
const targets = [{ cluster: "lab", nodes: ["talos-cp-1", "talos-w-1", "talos-w-2"] }];
const cluster = (talos: string): OmniCluster => ({ metadata: { namespace: "default", type: "Clusters.omni.sidero.dev", id: "lab", phase: "running", labels: {}, annotations: {}, finalizers: [] }, spec: { talosversion: talos } });
const kit = templateFiles(kitFrom({ "clusters/lab.yaml": "kind: Cluster\nname: lab\ntalos:\n  version: v1.12.4\nkubernetes:\n  version: v1.35.2\n" }));

testCheck(check, {
  valid: [
    { name: "all on the cluster's version", facts: { versions: { resources: ["talos-cp-1", "talos-w-1", "talos-w-2"].map((n) => version(n, "v1.12.4")), nodeErrors: {} }, targets, clusters: [cluster("1.12.4")] }, message: "3 node(s) on their cluster's Talos version" },
    { name: "Talos < 1.10 cannot tell", facts: { versions: { resources: [version("talos-cp-1", "v1.12.4")], nodeErrors: { "talos-w-1": 'rpc error: code = NotFound desc = resource "versions" is not registered' } }, targets } },
  ],
  invalid: [
    {
      name: "one node behind the cluster, template in the kit",
      facts: { versions: { resources: [version("talos-cp-1", "v1.12.4"), version("talos-w-1", "v1.11.5"), version("talos-w-2", "v1.12.4")], nodeErrors: {} }, targets, clusters: [cluster("1.12.4")], templates: kit },
      results: [
        {
          status: "warn",
          subject: "node talos-w-1",
          message: "runs Talos v1.11.5 while the cluster is on v1.12.4",
          fix: ["command"],
          satisfies: (r) => expect(r.fix!.steps[0]).toMatchObject({ argv: ["omnictl", "cluster", "template", "sync", "-f", "clusters/lab.yaml"] }),
        },
      ],
    },
    {
      name: "without Omni: the odd one out; one node unreachable",
      facts: { versions: { resources: [version("10.0.0.21", "v1.12.4"), version("10.0.0.22", "v1.12.4"), version("10.0.0.31", "v1.13.0")], nodeErrors: { "10.0.0.32": "connection refused" } }, targets: [{ nodes: ["10.0.0.21", "10.0.0.22", "10.0.0.31", "10.0.0.32"] }] },
      results: [
        { status: "warn", subject: "node 10.0.0.31", message: "runs Talos v1.13.0 while most nodes run v1.12.4", fix: ["manual"] },
        { status: "error", subject: "node 10.0.0.32", message: /connection refused/ },
      ],
    },
  ],
  unavailable: [
    { name: "talosctl not installed", source: "talos", kind: "not-installed", status: "skip" },
    { name: "talosctl timed out", source: "talos", kind: "timeout", status: "error" },
  ],
});
