import { describe, expect, it } from "vitest";
import YAML from "yaml";
import check from "./hostname-patch.ts";
import { editedText, runWith, testCheck } from "../../test/harness/check-tester.ts";
import { templatesFrom } from "../../test/harness/template-kit.ts";

const template = (talos: string, patches: string, extra = "") =>
  `kind: Cluster\nname: prod\nkubernetes:\n  version: v1.35.1\ntalos:\n  version: ${talos}\n${extra}---\nkind: ControlPlane\n---\nkind: Workers\nname: worker-1\nmachineClass:\n  name: w\n  size: 1\npatches:\n${patches}`;
const STATIC = "  - name: static-ip\n    inline:\n      machine:\n        network:\n          hostname: k8s-worker-1\n          interfaces:\n            - interface: ens18\n              addresses: [10.0.0.5/24]\n";
const DELETE = "  - name: no-hostname-config\n    inline:\n      apiVersion: v1alpha1\n      kind: HostnameConfig\n      $patch: delete\n";
const facts = (files: Record<string, string>) => ({ clusterTemplates: templatesFrom(files) });
testCheck(check, {
  valid: [
    { name: "Talos 1.12 with the HostnameConfig deleted for the set", facts: facts({ "t.yaml": template("v1.12.4", DELETE + STATIC) }) },
    { name: "the delete at cluster level, from a patch file", facts: facts({ "t.yaml": template("v1.12.4", STATIC, "patches:\n  - name: hostname\n    file: delete.yaml\n"), "delete.yaml": "apiVersion: v1alpha1\nkind: HostnameConfig\n$patch: delete\n" }) },
    { name: "a HostnameConfig document instead of the key", facts: facts({ "t.yaml": template("v1.13.7", '  - name: host\n    inline:\n      apiVersion: v1alpha1\n      kind: HostnameConfig\n      auto: "off"\n      hostname: a\n') }) },
  ],
  invalid: [
    {
      name: "a static hostname in a worker set's inline patch",
      facts: facts({ "t.yaml": template("v1.12.4", STATIC) }),
      results: [
        {
          status: "fail",
          subject: "t.yaml",
          message: /Talos v1\.12\.4 gives new clusters a HostnameConfig document, so machine\.network\.hostname fails \(worker-1\)/,
          location: { file: "t.yaml", line: 20, column: 11 },
          evidence: ["static hostname is already set in v1alpha1 config", "t.yaml:20:11: machine.network.hostname: k8s-worker-1"],
          fix: ["edit"],
          satisfies: (r) =>
            expect(editedText(r)).toBe(
              template(
                "v1.12.4",
                '  - name: static-ip\n    inline:\n      machine:\n        network:\n          interfaces:\n            - interface: ens18\n              addresses: [10.0.0.5/24]\n  - name: static-ip-hostname\n    inline:\n      apiVersion: v1alpha1\n      kind: HostnameConfig\n      auto: "off"\n      hostname: k8s-worker-1\n',
              ),
            ),
        },
      ],
    },
    {
      name: "in a patch file: located there, fixed by hand",
      facts: facts({ "c/t.yaml": template("v1.12.0", "  - file: host.yaml\n"), "c/host.yaml": "machine:\n  network:\n    hostname: w1\n" }),
      results: [{ status: "fail", location: { file: "c/host.yaml", line: 3, column: 5 }, fix: ["manual"] }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("template/hostname-patch", () => {
  it("skips templates on Talos before 1.12", async () => {
    const results = await runWith(check, facts({ "t.yaml": template("v1.11.6", STATIC) }));
    expect(results.map((r) => r.status)).toEqual(["skip"]);
  });

  it("the fixed template parses and passes", async () => {
    const [result] = await runWith(check, facts({ "t.yaml": template("v1.12.4", STATIC) }));
    const after = editedText(result!)!;
    expect(YAML.parseAllDocuments(after).every((d) => d.errors.length === 0)).toBe(true);
    expect((await runWith(check, facts({ "t.yaml": after }))).map((r) => r.status)).toEqual(["pass"]);
  });
});
