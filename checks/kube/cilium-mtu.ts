import { defineCheck, pass, skip } from "../../src/engine/check.ts";
import { optional, type Availability } from "../../src/engine/fact.ts";
import { ciliumConfig, context, daemonSets, nodes } from "../../src/sources/kube/facts.ts";
import { clusterMachineStatuses, type ClusterMachineStatus } from "../../src/sources/omni/facts.ts";
import { NODE_NAME_LABEL } from "../../src/sources/omni/resources.ts";
import type { KubeDaemonSet, KubeNode } from "../../src/sources/kube/objects.ts";
import type { Fix } from "../../src/model/result.ts";

/** Omni's SideroLink WireGuard link is 1280; the LAN is 1500, and VXLAN takes 50 of it. */
const OMNI_POD_MTU = "1450";

/** Whether Omni manages the cluster: its machines are these nodes, or kubectl uses Omni's `omni-<cluster>` context. Undefined: cannot tell. */
function omniManaged(nodes: readonly KubeNode[], omni: Availability<ClusterMachineStatus[]>, contextName: Availability<string | undefined>): { managed: boolean | undefined; why: string } {
  if (omni.ok && omni.value.length > 0) {
    const omniNodes = new Set(omni.value.map((m) => m.metadata.labels[NODE_NAME_LABEL]).filter(Boolean));
    const matching = nodes.filter((n) => omniNodes.has(n.metadata.name));
    return matching.length > 0
      ? { managed: true, why: `Omni manages node(s) ${matching.map((n) => n.metadata.name).join(", ")}` }
      : { managed: false, why: "none of its nodes is an Omni machine" };
  }
  if (contextName.ok && contextName.value?.startsWith("omni-")) return { managed: true, why: `kubectl uses Omni's context "${contextName.value}"` };
  if (nodes.length > 0 && nodes.every((n) => !(n.status.nodeInfo?.osImage ?? "").startsWith("Talos"))) return { managed: false, why: "its nodes do not run Talos" };
  return { managed: undefined, why: omni.ok ? "Omni lists no machines" : omni.error.describe() };
}

function mtuFix(namespace: string, daemonSets: readonly KubeDaemonSet[]): Fix {
  const agents = daemonSets.filter((d) => d.metadata.namespace === namespace && /^cilium(-envoy)?$/.test(d.metadata.name)).map((d) => d.metadata.name);
  return {
    summary: `Set Cilium's MTU to ${OMNI_POD_MTU} and restart what uses it`,
    steps: [
      { kind: "command", description: "set the MTU in Cilium's configuration", argv: ["kubectl", "patch", "configmap", "cilium-config", "--namespace", namespace, "--type", "merge", "--patch", JSON.stringify({ data: { mtu: OMNI_POD_MTU } })], destructive: false },
      ...(agents.length > 0 ? agents : ["cilium"]).map((name) => ({
        kind: "command" as const,
        description: `restart daemonset ${name} so the agents read it`,
        argv: ["kubectl", "rollout", "restart", `daemonset.apps/${name}`, "--namespace", namespace],
        destructive: false,
      })),
      {
        kind: "manual",
        description: `restart the other workloads too (a pod's MTU is fixed when it starts), and keep MTU=${OMNI_POD_MTU} in the Helm values (\`--set MTU=${OMNI_POD_MTU}\` on every cilium install and upgrade), or the next upgrade reverts it`,
        destructive: false,
      },
    ],
  };
}

export default defineCheck({
  meta: {
    id: "kube/cilium-mtu",
    title: "Cilium MTU on an Omni cluster",
    severity: "error",
    sources: ["kube", "omni"],
    symptoms: ["kubectl exec hangs", "port-forward hangs", "cilium status context deadline exceeded", "mtu 1280"],
    fixable: ["command", "manual"],
  },
  facts: { ciliumConfig, daemonSets, nodes, context: optional(context), omni: optional(clusterMachineStatuses) },
  run({ ciliumConfig, daemonSets, nodes, context, omni }) {
    if (!ciliumConfig) return [skip("Cilium is not installed (no cilium-config ConfigMap)")];
    const { managed, why } = omniManaged(nodes, omni, context);
    if (managed === false) return [pass(`not an Omni cluster (${why}): Cilium's own MTU choice is fine`)];
    if (managed === undefined) return [skip(`cannot tell whether Omni manages this cluster (${why})`)];
    const namespace = ciliumConfig.metadata.namespace ?? "kube-system";
    const mtu = ciliumConfig.data.mtu;
    if (mtu === OMNI_POD_MTU) return [pass(`Cilium's MTU is ${OMNI_POD_MTU} (${why})`)];
    const detected = !mtu || mtu === "0";
    return [
      {
        subject: `configmap ${namespace}/cilium-config`,
        ...(detected ? {} : { severity: "warning" as const }),
        message: detected
          ? "leaves the MTU to detection, which on Omni nodes ends up at the SideroLink link's 1280: pod traffic crawls and kubectl exec, port-forward and log streams hang, with no error anywhere"
          : `sets the MTU to ${mtu}; on Omni nodes it should be ${OMNI_POD_MTU} (1500 on the LAN less the 50 bytes of VXLAN)`,
        evidence: [`data.mtu=${mtu ?? "(not set)"}`, why],
        fix: mtuFix(namespace, daemonSets),
      },
    ];
  },
});
