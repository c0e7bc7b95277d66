import check from "./version-support.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { templateFiles } from "../../src/sources/kit/templates.ts";
import type { OmniCluster, TalosVersion } from "../../src/sources/omni/facts.ts";

function talosVersion(version: string, kubernetes: string[], o: { deprecated?: boolean; unsupported?: boolean } = {}): TalosVersion {
  return {
    metadata: { namespace: "default", type: "TalosVersions.omni.sidero.dev", id: version, phase: "running", labels: {}, annotations: {}, finalizers: [] },
    spec: { version, compatiblekubernetesversions: kubernetes, deprecated: o.deprecated ?? false, unsupported: o.unsupported ?? false },
  };
}

function cluster(id: string, talos: string): OmniCluster {
  return { metadata: { namespace: "default", type: "Clusters.omni.sidero.dev", id, phase: "running", labels: {}, annotations: {}, finalizers: [] }, spec: { talosversion: talos, kubernetesversion: "1.35.2" } };
}

const offered = [
  talosVersion("1.8.4", ["1.31.4"], { deprecated: true }),
  talosVersion("1.12.4", ["1.34.3", "1.35.0", "1.35.2"]),
  talosVersion("1.13.8", ["1.35.2", "1.36.3"]),
];

const template = (talos: string, kubernetes: string) =>
  templateFiles(kitFrom({ "clusters/lab.yaml": `kind: Cluster\nname: lab\nkubernetes:\n  version: ${kubernetes}\ntalos:\n  version: ${talos}\n---\nkind: ControlPlane\nmachineClass:\n  name: cp\n  size: 3\n` }));

testCheck(check, {
  valid: [
    { name: "offered pair", facts: { templates: template("v1.12.4", "v1.35.2"), offered, clusters: [cluster("lab", "1.12.4")] }, message: /2 Talos\/Kubernetes pair\(s\), all offered by Omni 1.10.4/ },
    { name: "a running cluster on a version no longer listed is left alone", facts: { templates: [], offered, clusters: [cluster("old", "1.7.0")] } },
  ],
  invalid: [
    {
      name: "Talos version Omni does not offer",
      facts: { templates: template("v1.14.0", "v1.37.0"), offered, clusters: [] },
      results: [{ status: "fail", subject: "clusters/lab.yaml (cluster lab)", message: "Omni 1.10.4 does not offer Talos v1.14.0; `omnictl cluster template sync` will refuse it", location: { file: "clusters/lab.yaml", line: 6, column: 12 }, evidence: ["talos.version: v1.14.0", "kubernetes.version: v1.37.0", "offered, newest: v1.12.4, v1.13.8"] }],
    },
    {
      name: "Kubernetes not paired with that Talos",
      facts: { templates: template("v1.12.4", "1.36.3"), offered, clusters: [] },
      results: [{ status: "fail", message: /does not pair Kubernetes v1.36.3 with Talos v1.12.4/, evidence: [/talos/, /kubernetes/, /1.34.3, 1.35.0, 1.35.2/] }],
    },
    {
      name: "deprecated in the template, and a live cluster on it (warning)",
      facts: { templates: template("v1.8.4", "v1.31.4"), offered, clusters: [cluster("legacy", "1.8.4")] },
      results: [
        { status: "fail", message: /Talos v1.8.4 is below the minimum/ },
        { status: "warn", severity: "warning", subject: "cluster legacy", message: /upgrade the cluster/ },
      ],
    },
  ],
  unavailable: [
    { name: "omnictl not installed", source: "omni", kind: "not-installed", facts: { templates: template("v1.12.4", "v1.35.2") }, status: "skip" },
    { name: "Omni unreachable", source: "omni", kind: "unreachable", facts: { templates: template("v1.12.4", "v1.35.2") }, status: "error" },
  ],
});
