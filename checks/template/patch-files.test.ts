import { describe, expect, it } from "vitest";
import YAML from "yaml";
import check from "./patch-files.ts";
import { runWith, testCheck } from "../../test/harness/check-tester.ts";
import { talosSchemasForTests, templatesFrom } from "../../test/harness/template-kit.ts";
import type { Result } from "../../src/model/result.ts";

const template = (patches: string) =>
  `kind: Cluster\nname: prod\nkubernetes:\n  version: v1.35.1\ntalos:\n  version: v1.12.4\npatches:\n${patches}---\nkind: ControlPlane\nmachineClass:\n  name: cp\n  size: 3\n`;
const facts = (files: Record<string, string>) => ({ clusterTemplates: templatesFrom(files), talosSchemas: talosSchemasForTests() });
const CNI = "cluster:\n  network:\n    cni:\n      name: none\n";

/** The anvaplus layout: templates in a folder, patches at the repository root. */
const ROOT_LAYOUT = {
  "cluster-template/prod.yaml": template("  - name: no-cni\n    file: patches/cni.yaml\n"),
  "patches/cni.yaml": CNI,
};

const ENDPOINT = "cluster:\n  controlPlane:\n    endpoint: https://10.0.0.1:6443 # stale\n  network:\n    cni:\n      name: none\n";

testCheck(check, {
  valid: [
    { name: "a patch file next to the template", facts: facts({ "c/t.yaml": template("  - file: patches/cni.yaml\n"), "c/patches/cni.yaml": CNI }), message: /1 patch file reference\(s\) resolve and 1 patch file/ },
    { name: "before Omni 1.8 the kit root was the working directory", facts: facts(ROOT_LAYOUT), ctx: { omniVersion: "1.7.2" } },
    { name: "a multi-document patch file deleting HostnameConfig", facts: facts({ "p/delete.yaml": "apiVersion: v1alpha1\nkind: HostnameConfig\n$patch: delete\n" }) },
  ],
  invalid: [
    {
      name: "written for running omnictl from the kit root (Omni 1.8+ reads from the template's folder)",
      facts: facts(ROOT_LAYOUT),
      results: [
        {
          status: "fail",
          subject: "cluster-template/prod.yaml",
          message: /cluster-template\/patches\/cni\.yaml does not exist .* but patches\/cni\.yaml does/,
          location: { file: "cluster-template/prod.yaml", line: 9, column: 5 },
          evidence: [/^cluster-template\/prod\.yaml:9:5: /, 'failed to access "patches/cni.yaml": openat patches/cni.yaml: no such file or directory'],
          fix: ["edit", "command"],
          satisfies: (r: Result) => {
            const step = r.fix!.steps[0]!;
            expect(step.kind === "edit" && step.edit.after).toBe(template("  - name: no-cni\n    file: ../patches/cni.yaml\n"));
            expect(r.fix!.steps[1]).toMatchObject({ argv: ["omnictl", "cluster", "template", "sync", "-f", "cluster-template/prod.yaml", "--allowed-dir", ".."] });
          },
        },
      ],
    },
    {
      name: "a path leaving the template's folder, as Go's os.Root refuses it",
      facts: facts({ "c/t.yaml": template("  - file: ../shared/cni.yaml\n"), "shared/cni.yaml": CNI }),
      results: [{ status: "fail", evidence: [/outside the template's folder/, 'failed to access "../shared/cni.yaml": openat ../shared/cni.yaml: path escapes from parent'], fix: ["manual"] }],
    },
    {
      name: "a file missing from the kit is a warning (it may be secret or generated)",
      facts: facts({ "c/t.yaml": template("  - file: patches/registry-auth.yaml\n") }),
      results: [{ status: "warn", severity: "warning", message: /c\/patches\/registry-auth\.yaml is not in the kit/ }],
    },
    {
      name: "a forbidden field in a used patch file: fail, located in the patch file, with an edit",
      facts: facts({ "c/t.yaml": template("  - file: patches/endpoint.yaml\n"), "c/patches/endpoint.yaml": ENDPOINT }),
      results: [
        {
          status: "fail",
          subject: "c/patches/endpoint.yaml",
          message: 'Omni rejects this config patch: overriding "cluster.controlPlane.endpoint" is not allowed in the config patch',
          location: { file: "c/patches/endpoint.yaml", line: 3, column: 5 },
          evidence: ['overriding "cluster.controlPlane.endpoint" is not allowed in the config patch'],
          fix: ["edit"],
          satisfies: (r: Result) => {
            const step = r.fix!.steps[0]!;
            expect(step.kind === "edit" && step.edit.after).toBe("cluster:\n  network:\n    cni:\n      name: none\n");
          },
        },
      ],
    },
    {
      name: "an unused patch file Omni would refuse: warning",
      facts: facts({ "patches/cluster-cloud.yaml": ENDPOINT }),
      results: [{ status: "warn", subject: "patches/cluster-cloud.yaml", message: /No template uses this config patch/ }],
    },
    {
      name: "machine.install.disk is refused on Omni's main branch only",
      facts: facts({ "c/t.yaml": template("  - file: disk.yaml\n"), "c/disk.yaml": "machine:\n  install:\n    disk: /dev/sda\n  kubelet:\n    image: x\n" }),
      ctx: { omniVersion: "1.11.0" },
      results: [{ status: "fail", evidence: ['overriding "machine.install.disk" is not allowed in the config patch'] }],
    },
    {
      name: "a referenced file that is not a Talos config",
      facts: facts({ "c/t.yaml": template("  - file: patches/invalid.yaml\n"), "c/patches/invalid.yaml": "spaceship:\n  deployed: true\n" }),
      results: [{ status: "fail", evidence: ["error decoding document /v1alpha1/ (line 1): missing kind"], location: { file: "c/patches/invalid.yaml", line: 1, column: 1 }, fix: ["manual"] }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("template/patch-files fixes", () => {
  it("the fixed patch parses and passes", async () => {
    const [result] = await runWith(check, facts({ "c/t.yaml": template("  - file: patches/endpoint.yaml\n"), "c/patches/endpoint.yaml": ENDPOINT }));
    const step = result!.fix!.steps[0]!;
    const after = step.kind === "edit" ? step.edit.after : "";
    expect(YAML.parse(after)).toEqual({ cluster: { network: { cni: { name: "none" } } } });
    const again = await runWith(check, facts({ "c/t.yaml": template("  - file: patches/endpoint.yaml\n"), "c/patches/endpoint.yaml": after }));
    expect(again.map((r) => r.status)).toEqual(["pass"]);
  });
});
