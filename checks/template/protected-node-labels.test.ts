import { describe, expect, it } from "vitest";
import YAML from "yaml";
import check, { isProtectedNodeLabel } from "./protected-node-labels.ts";
import { editedText, runWith, testCheck } from "../../test/harness/check-tester.ts";
import { templatesFrom } from "../../test/harness/template-kit.ts";

const HEAD = "kind: Cluster\nname: prod\nkubernetes:\n  version: v1.35.1\ntalos:\n  version: v1.12.4\n---\nkind: ControlPlane\nmachineClass:\n  name: cp\n  size: 3\n";
const workers = (patches: string) => `${HEAD}---\nkind: Workers\nname: workers\nmachineClass:\n  name: w\n  size: 3\npatches:\n${patches}`;
const LABELS = `  - name: worker-labels # roles
    inline:
      machine:
        nodeLabels:
          node-role.kubernetes.io/worker: ""
  - name: longhorn
    inline:
      machine:
        nodeLabels:
          node.longhorn.io/create-default-disk: "true"
          node-role.kubernetes.io/storage: ""
`;
const facts = (files: Record<string, string>) => ({ clusterTemplates: templatesFrom(files) });
testCheck(check, {
  valid: [
    {
      name: "labels the kubelet may set (zone, node.kubernetes.io subdomains, other domains)",
      facts: facts({
        "t.yaml": workers(
          '  - name: labels\n    inline:\n      machine:\n        nodeLabels:\n          topology.kubernetes.io/zone: a\n          intel.feature.node.kubernetes.io/gpu: "true"\n          nvidia.com/gpu.present: "true"\n          storage: longhorn\n',
        ),
      }),
    },
    { name: "no templates, only a harmless patch", facts: facts({ "p.yaml": "machine:\n  nodeLabels:\n    example.com/role: worker\n" }) },
  ],
  invalid: [
    {
      name: "worker role labels on a Workers set: one finding for the file, all labels, an edit",
      facts: facts({ "t.yaml": workers(LABELS) }),
      results: [
        {
          status: "fail",
          subject: "t.yaml",
          message: /^node-role\.kubernetes\.io\/worker, node-role\.kubernetes\.io\/storage are protected .* on workers/,
          location: { file: "t.yaml", line: 23, column: 11 },
          evidence: ["t.yaml:23:11: node-role.kubernetes.io/worker", "t.yaml:29:11: node-role.kubernetes.io/storage"],
          fix: ["edit", "manual", "manual"],
          satisfies: (r) =>
            expect(editedText(r)).toBe(
              workers('  - name: longhorn\n    inline:\n      machine:\n        nodeLabels:\n          node.longhorn.io/create-default-disk: "true"\n'),
            ),
        },
      ],
    },
    {
      name: "a cluster-level patch reaches the workers too; a file patch is fixed in its own file",
      facts: facts({
        "c/t.yaml": `kind: Cluster\nname: prod\nkubernetes:\n  version: v1.35.1\ntalos:\n  version: v1.12.4\npatches:\n  - file: labels.yaml\n---\nkind: ControlPlane\n---\nkind: Workers\n`,
        "c/labels.yaml": "machine:\n  nodeLabels:\n    node-role.kubernetes.io/worker: \"\"\n  kubelet:\n    extraArgs:\n      rotate-server-certificates: true\n",
      }),
      results: [{ status: "fail", subject: "c/labels.yaml", location: { file: "c/labels.yaml", line: 3, column: 5 }, satisfies: (r) => expect(editedText(r)).toBe("machine:\n  kubelet:\n    extraArgs:\n      rotate-server-certificates: true\n") }],
    },
    {
      name: "control planes only: information (admin credentials label them)",
      facts: facts({ "t.yaml": `${HEAD}patches:\n  - name: cp\n    inline:\n      machine:\n        nodeLabels:\n          node-role.kubernetes.io/ingress: ""\n` }),
      results: [{ status: "warn", severity: "info", message: /on control planes only/ }],
    },
    {
      name: "a patch file no template uses: warning",
      facts: facts({ "patches/gpu.yaml": 'machine:\n  nodeLabels:\n    node-role.kubernetes.io/gpu-worker: ""\n' }),
      results: [{ status: "warn", severity: "warning", subject: "patches/gpu.yaml", fix: ["manual", "manual"] }],
    },
    {
      name: "Talos 1.14 KubeNodeConfig labels, inside an inline string patch",
      facts: facts({ "t.yaml": workers('  - name: node\n    inline: |\n      apiVersion: v1alpha1\n      kind: KubeNodeConfig\n      labels:\n        node-role.kubernetes.io/worker: ""\n        zone: a\n') }),
      results: [{ status: "fail", location: { line: 24, column: 9 }, satisfies: (r) => expect(editedText(r)).toBe(workers("  - name: node\n    inline: |\n      apiVersion: v1alpha1\n      kind: KubeNodeConfig\n      labels:\n        zone: a\n")) }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("template/protected-node-labels", () => {
  it("follows NodeRestriction's rule", () => {
    for (const key of ["node-role.kubernetes.io/worker", "kubernetes.io/role", "example.k8s.io/x", "node-restriction.kubernetes.io/team", "beta.kubernetes.io/foo"]) expect(isProtectedNodeLabel(key), key).toBe(true);
    for (const key of ["kubernetes.io/hostname", "topology.kubernetes.io/zone", "node.kubernetes.io/exclude-from-external-load-balancers", "feature.node.kubernetes.io/x", "kubelet.kubernetes.io/x", "nvidia.com/gpu", "role"]) expect(isProtectedNodeLabel(key), key).toBe(false);
  });

  it("the fixed template parses and passes", async () => {
    const [result] = await runWith(check, facts({ "t.yaml": workers(LABELS) }));
    const after = editedText(result!)!;
    expect(YAML.parseAllDocuments(after).every((d) => d.errors.length === 0)).toBe(true);
    expect((await runWith(check, facts({ "t.yaml": after }))).map((r) => r.status)).toEqual(["pass"]);
  });
});
