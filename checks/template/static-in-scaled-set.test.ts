import check from "./static-in-scaled-set.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { templatesFrom } from "../../test/harness/template-kit.ts";

const template = (size: string, patch: string, machinePatch = "") =>
  `kind: Cluster\nname: prod\n---\nkind: ControlPlane\nmachineClass:\n  name: cp\n  size: 3\npatches:\n  - name: vip\n    inline:\n      machine:\n        network:\n          interfaces:\n            - interface: eth0\n              dhcp: true\n              vip:\n                ip: 10.0.0.10\n---\nkind: Workers\nname: workers\nmachineClass:\n  name: w\n  size: ${size}\npatches:\n  - name: net\n    inline:\n${patch}${machinePatch}`;
const STATIC = "      machine:\n        network:\n          hostname: worker\n          interfaces:\n            - interface: eth0\n              dhcp: false\n              addresses: [10.0.0.21/24]\n";
const facts = (files: Record<string, string>) => ({ clusterTemplates: templatesFrom(files) });

testCheck(check, {
  valid: [
    { name: "a static address in a set of size 1; a VIP shared by control planes", facts: facts({ "t.yaml": template("1", STATIC) }) },
    {
      name: "per-machine patches for listed machines",
      facts: facts({
        "t.yaml":
          "kind: Cluster\nname: prod\n---\nkind: ControlPlane\nmachines:\n  - 430d882a-51a8-48b3-ae00-90c5b0b5b0b0\n  - 4aed1106-6f44-4be9-9796-d4b5b0b5b0b0\n---\nkind: Machine\nname: 430d882a-51a8-48b3-ae00-90c5b0b5b0b0\npatches:\n  - name: ip\n    inline:\n      machine:\n        network:\n          hostname: cp-1\n",
      }),
    },
  ],
  invalid: [
    {
      name: "a static address and hostname in a set of 3",
      facts: facts({ "t.yaml": template("3", STATIC) }),
      results: [
        {
          status: "warn",
          severity: "warning",
          message: "workers (3 machines) shares a static hostname and address: every machine of the set gets the same one",
          location: { file: "t.yaml", line: 29, column: 11 },
          evidence: ["t.yaml:29:11: workers (size 3): hostname worker", "t.yaml:33:15: workers (size 3): address 10.0.0.21/24"],
          fix: ["manual"],
        },
      ],
    },
    {
      name: "a Talos 1.12 LinkConfig in an unlimited set",
      facts: facts({ "t.yaml": template("unlimited", "      apiVersion: v1alpha1\n      kind: LinkConfig\n      name: eth0\n      addresses:\n        - address: 10.0.0.21/24\n") }),
      results: [{ status: "warn", message: /workers \(unlimited machines\) shares a static address/ }],
    },
    {
      name: "a cluster-level static address reaches the control planes too",
      facts: facts({ "t.yaml": `kind: Cluster\nname: prod\npatches:\n  - name: ip\n    inline:\n${STATIC}---\nkind: ControlPlane\nmachineClass:\n  name: cp\n  size: 3\n` }),
      results: [{ status: "warn", message: /^control planes \(3 machines\)/ }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});
