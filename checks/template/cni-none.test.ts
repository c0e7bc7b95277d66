import check from "./cni-none.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { templatesFrom } from "../../test/harness/template-kit.ts";

const CNI = "  - name: no-cni\n    inline:\n      cluster:\n        network:\n          cni:\n            name: none\n        proxy:\n          disabled: true\n";
const template = (patches: string, kubernetes = "") => `kind: Cluster\nname: prod\n${kubernetes}patches:\n${patches}---\nkind: ControlPlane\n`;
const facts = (files: Record<string, string>) => ({ clusterTemplates: templatesFrom(files) });

testCheck(check, {
  valid: [
    { name: "Talos' default CNI", facts: facts({ "t.yaml": template("  - name: dns\n    inline:\n      machine:\n        network:\n          nameservers: [1.1.1.1]\n") }) },
    { name: "cni none, Cilium shipped as inline manifests", facts: facts({ "t.yaml": template(`${CNI}  - name: cilium\n    inline:\n      cluster:\n        inlineManifests:\n          - name: cilium\n            contents: "---"\n`) }) },
    { name: "cni none, manifests in the template", facts: facts({ "t.yaml": template(CNI, "kubernetes:\n  manifests:\n    - name: cilium\n      mode: one-time\n      file: cilium.yaml\n") }) },
  ],
  invalid: [
    { name: "cni none in an inline patch", facts: facts({ "t.yaml": template(CNI) }), results: [{ status: "warn", severity: "info", location: { file: "t.yaml", line: 9, column: 13 }, fix: ["manual"] }] },
    { name: "cni none from a patch file", facts: facts({ "c/t.yaml": template("  - file: cni.yaml\n"), "c/cni.yaml": "cluster:\n  network:\n    cni:\n      name: none\n" }), results: [{ status: "warn", location: { file: "c/cni.yaml", line: 4, column: 7 } }] },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});
