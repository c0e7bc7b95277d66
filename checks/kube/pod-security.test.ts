import { expect } from "vitest";
import check from "./pod-security.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { daemonSet as daemonSetSchema, event as eventSchema, namespace as namespaceSchema, node as nodeSchema } from "../../src/sources/kube/objects.ts";
import { manifestDocs } from "../../src/sources/kit/manifests.ts";
import { kube } from "../../test/harness/lab/kube.ts";

const ds = (...args: Parameters<typeof kube.daemonSet>) => daemonSetSchema.parse(kube.daemonSet(...args));
const ns = (...args: Parameters<typeof kube.namespace>) => namespaceSchema.parse(kube.namespace(...args));
const talosNodes = [nodeSchema.parse(kube.node("talos-w-1", "10.0.0.31"))];
const longhorn = ds("longhorn-system", "longhorn-manager", { desired: 3, ready: 0, current: 0, containers: [{ securityContext: { privileged: true } }] });
const refused = eventSchema.parse(
  kube.event({
    namespace: "longhorn-system",
    kind: "DaemonSet",
    name: "longhorn-manager",
    reason: "FailedCreate",
    message: 'Error creating: pods "longhorn-manager-x7k2p" is forbidden: violates PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)',
  }),
);

testCheck(check, {
  valid: [
    {
      name: "ready daemonsets; a privileged namespace; kube-system is exempt",
      facts: {
        daemonSets: [ds("kube-system", "cilium", { hostNetwork: true, desired: 3, ready: 0, current: 0 }), ds("monitoring", "node-exporter", { hostNetwork: true }), ds("netdata", "netdata", { hostNetwork: true, desired: 2, ready: 0, current: 0 })],
        namespaces: [ns("kube-system"), ns("monitoring"), ns("netdata", { "pod-security.kubernetes.io/enforce": "privileged" })],
        nodes: talosNodes,
        events: [],
      },
      message: "3 DaemonSet(s): none blocked by PodSecurity",
    },
  ],
  invalid: [
    {
      name: "the admission's refusal in the events (ref B7)",
      facts: { daemonSets: [longhorn], namespaces: [ns("longhorn-system")], nodes: talosNodes, events: [refused] },
      results: [
        {
          status: "warn",
          subject: "daemonset longhorn-system/longhorn-manager",
          message: 'has 3 pod(s) desired and none ready: namespace longhorn-system enforces PodSecurity "baseline", and its pods need privileged container app',
          evidence: [/^event FailedCreate: Error creating: .* violates PodSecurity "baseline:latest"/],
          fix: ["command", "command"],
          satisfies: (r) => {
            const argv = r.fix!.steps.map((s) => (s.kind === "command" ? s.argv.join(" ") : ""));
            expect(argv).toEqual(["kubectl label namespace longhorn-system pod-security.kubernetes.io/enforce=privileged --overwrite", "kubectl rollout restart daemonset.apps/longhorn-manager --namespace longhorn-system"]);
          },
        },
      ],
    },
    {
      name: "events expired: inferred from Talos' default; the Namespace manifest in the kit is edited",
      facts: {
        daemonSets: [ds("tailscale", "tailscale-subnet", { desired: 2, ready: 0, current: 0, hostNetwork: true, containers: [{ securityContext: { capabilities: { add: ["NET_ADMIN"] } } }] })],
        namespaces: [ns("tailscale")],
        nodes: talosNodes,
        events: [],
        manifests: manifestDocs(kitFrom({ "k8s/tailscale/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tailscale # VPN agents\n" })),
      },
      results: [
        {
          status: "warn",
          message: /enforces PodSecurity "baseline", and its pods need hostNetwork; container app adds NET_ADMIN/,
          evidence: ["pod-security.kubernetes.io/enforce=baseline (the cluster's default)"],
          fix: ["edit", "command", "command"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "edit") throw new Error("no edit");
            expect(step.edit.after).toBe("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tailscale # VPN agents\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n");
          },
        },
      ],
    },
  ],
  unavailable: [
    { name: "kubectl not installed", source: "kube", kind: "not-installed", status: "skip" },
    { name: "unreachable", source: "kube", kind: "unreachable", status: "error" },
  ],
});
