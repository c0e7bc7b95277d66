import { expect } from "vitest";
import check from "./cilium-mtu.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { configMap as configMapSchema, daemonSet as daemonSetSchema, node as nodeSchema } from "../../src/sources/kube/objects.ts";
import { kube } from "../../test/harness/lab/kube.ts";
import type { ClusterMachineStatus } from "../../src/sources/omni/facts.ts";

const config = (data: Record<string, string>) => configMapSchema.parse(kube.configMap("kube-system", "cilium-config", data));
const nodes = [nodeSchema.parse(kube.node("talos-w-1", "10.0.0.31"))];
const daemonSets = ["cilium", "cilium-envoy"].map((name) => daemonSetSchema.parse(kube.daemonSet("kube-system", name)));
const machine = (nodeName: string): ClusterMachineStatus => ({
  metadata: { namespace: "default", type: "ClusterMachineStatuses.omni.sidero.dev", id: `id-${nodeName}`, phase: "running", labels: { "omni.sidero.dev/cluster": "lab", "omni.sidero.dev/node-name": nodeName }, annotations: {}, finalizers: [] },
  spec: { stage: "RUNNING", ready: true, configapplystatus: "APPLIED" },
});

testCheck(check, {
  valid: [
    { name: "1450 on an Omni cluster", facts: { ciliumConfig: config({ mtu: "1450" }), daemonSets, nodes, omni: [machine("talos-w-1")] }, message: /Cilium's MTU is 1450 \(Omni manages node\(s\) talos-w-1\)/ },
    { name: "not Omni's nodes: detection is fine", facts: { ciliumConfig: config({}), daemonSets, nodes, omni: [machine("other-node")] }, message: /not an Omni cluster/ },
  ],
  invalid: [
    {
      name: "MTU left to detection on an Omni cluster (001)",
      facts: { ciliumConfig: config({ "tunnel-protocol": "vxlan" }), daemonSets, nodes, omni: [machine("talos-w-1")] },
      results: [
        {
          status: "fail",
          subject: "configmap kube-system/cilium-config",
          message: /leaves the MTU to detection/,
          evidence: ["data.mtu=(not set)", "Omni manages node(s) talos-w-1"],
          fix: ["command", "command", "command", "manual"],
          satisfies: (r) => {
            const argv = r.fix!.steps.map((s) => (s.kind === "command" ? s.argv.join(" ") : ""));
            expect(argv.slice(0, 3)).toEqual([
              'kubectl patch configmap cilium-config --namespace kube-system --type merge --patch {"data":{"mtu":"1450"}}',
              "kubectl rollout restart daemonset.apps/cilium --namespace kube-system",
              "kubectl rollout restart daemonset.apps/cilium-envoy --namespace kube-system",
            ]);
          },
        },
      ],
    },
    {
      name: "Omni's context name tells when omnictl is not there; another MTU is a warning",
      facts: { ciliumConfig: config({ mtu: "1500" }), daemonSets, nodes, context: "omni-lab" },
      results: [{ status: "warn", message: /sets the MTU to 1500; on Omni nodes it should be 1450/, evidence: ["data.mtu=1500", 'kubectl uses Omni\'s context "omni-lab"'] }],
    },
    { name: "cannot tell: skipped", facts: { ciliumConfig: config({}), daemonSets, nodes, context: "admin@lab" }, results: [{ status: "skip", message: /cannot tell whether Omni manages this cluster/ }] },
    { name: "no Cilium", facts: { ciliumConfig: undefined, daemonSets, nodes }, results: [{ status: "skip", message: "Cilium is not installed (no cilium-config ConfigMap)" }] },
  ],
  unavailable: [
    { name: "kubectl not installed", source: "kube", kind: "not-installed", status: "skip" },
    { name: "credentials refused", source: "kube", kind: "auth", status: "error" },
  ],
});
