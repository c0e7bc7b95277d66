import check from "./schema.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { talosSchemasForTests, templatesFrom } from "../../test/harness/template-kit.ts";

const CONTROL_PLANE = "---\nkind: ControlPlane\nmachineClass:\n  name: cp\n  size: 3\n";
const cluster = (body: string, talos = "v1.12.4") => `kind: Cluster\nname: prod\nkubernetes:\n  version: v1.35.1\ntalos:\n  version: ${talos}\n${body}`;
const facts = (files: Record<string, string>) => ({ clusterTemplates: templatesFrom(files), talosSchemas: talosSchemasForTests() });

testCheck(check, {
  valid: [
    { name: "a plain template", facts: facts({ "t.yaml": cluster("") + CONTROL_PLANE }), message: /1 template\(s\) pass Omni 1\.10\.4/ },
    {
      name: "multi-document inline patch deleting HostnameConfig, a file patch next to the template, size unlimited",
      facts: facts({
        "clusters/prod.yaml": cluster(
          "patches:\n  - name: no-hostname-config\n    inline:\n      apiVersion: v1alpha1\n      kind: HostnameConfig\n      $patch: delete\n  - file: patches/cni.yaml\n",
        ) + CONTROL_PLANE + "---\nkind: Workers\nmachineClass:\n  name: w\n  size: unlimited\n",
        "clusters/patches/cni.yaml": "cluster:\n  network:\n    cni:\n      name: none\n",
      }),
    },
    { name: "deprecated keys Talos still decodes (machine.network on 1.13)", facts: facts({ "t.yaml": cluster("patches:\n  - name: dns\n    inline:\n      machine:\n        network:\n          nameservers: [1.1.1.1]\n", "v1.13.7") + CONTROL_PLANE }) },
  ],
  invalid: [
    {
      name: "unknown field: Omni's load error, located",
      facts: facts({ "t.yaml": cluster("containerd:\n  version: 1.6.12\n") + CONTROL_PLANE }),
      results: [
        {
          status: "fail",
          subject: "t.yaml",
          message: "Omni cannot load the template: error decoding document at line 1:1: yaml: construct errors: line 7: field containerd not found in type models.Cluster",
          location: { file: "t.yaml", line: 7, column: 1 },
          evidence: ["error decoding document at line 1:1: yaml: construct errors: line 7: field containerd not found in type models.Cluster"],
          fix: ["manual", "command"],
        },
      ],
    },
    {
      name: "a forbidden field in a patch file: Omni's text, located inside the patch file",
      facts: facts({
        "c/t.yaml": cluster("patches:\n  - file: patches/endpoint.yaml\n") + CONTROL_PLANE,
        "c/patches/endpoint.yaml": "# stale\ncluster:\n  controlPlane:\n    endpoint: https://1.2.3.4:6443\n",
      }),
      results: [
        {
          status: "fail",
          location: { file: "c/patches/endpoint.yaml", line: 4, column: 5 },
          evidence: [
            '1 error occurred:\n\t* error validating cluster "prod": 1 error occurred:\n\t* patch "patches/endpoint.yaml" is invalid: 1 error occurred:\n\t* failed to validate patch "patches/endpoint.yaml": 1 error occurred:\n\t* overriding "cluster.controlPlane.endpoint" is not allowed in the config patch',
            'c/patches/endpoint.yaml:4:5: error validating cluster "prod": patch "patches/endpoint.yaml" is invalid: failed to validate patch "patches/endpoint.yaml": overriding "cluster.controlPlane.endpoint" is not allowed in the config patch',
          ],
        },
      ],
    },
    {
      name: "an unknown key in a later document's inline patch (a block string)",
      facts: facts({
        "t.yaml": cluster("") + "---\nkind: ControlPlane\nmachineClass:\n  name: cp\n  size: 1\npatches:\n  - name: kubespan\n    inline: |\n      machine:\n        network:\n          kubespan:\n            running: true\n",
      }),
      results: [
        {
          status: "fail",
          location: { file: "t.yaml", line: 18, column: 13 },
          evidence: [
            '1 error occurred:\n\t* controlplane is invalid: 1 error occurred:\n\t* patch "kubespan" is invalid: 1 error occurred:\n\t* failed to validate inline patch "kubespan": error decoding document /v1alpha1/ (line 1): unknown keys found during decoding:\nmachine:\n    network:\n        kubespan:\n            running: true',
          ],
        },
      ],
    },
    {
      name: "Omni accepts it, but the template's Talos 1.11 has no HostnameConfig: warning",
      facts: facts({ "t.yaml": cluster("patches:\n  - name: host\n    inline:\n      apiVersion: v1alpha1\n      kind: HostnameConfig\n      hostname: a\n", "v1.11.6") + CONTROL_PLANE }),
      results: [{ status: "warn", severity: "warning", location: { line: 11, column: 7 }, evidence: ["t.yaml:11:7: Talos 1.11 has no HostnameConfig document"] }],
    },
    {
      name: "problems only on ${VAR} placeholders (filled in by CI before sync): warning",
      facts: facts({ "t.yaml": cluster("", "${TALOS_VERSION}") + CONTROL_PLANE }),
      results: [{ status: "warn", message: /2 problem\(s\) sit on \$\{\.\.\.\} placeholders/, location: { line: 6, column: 3 } }],
    },
    {
      name: "a patch file missing from the kit only: warning",
      facts: facts({ "t.yaml": cluster("patches:\n  - file: patches/secret.yaml\n") + CONTROL_PLANE }),
      results: [{ status: "warn", message: /not in the kit/, location: { line: 8, column: 5 } }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});
