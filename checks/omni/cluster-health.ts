import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { optional, type Availability } from "../../src/engine/fact.ts";
import {
  clusterMachineStatuses,
  clusterStatuses,
  infraProviders,
  isBeingDestroyed,
  machineRequests,
  machineSetStatuses,
  machines as machinesFact,
  type ClusterMachineRequestStatus,
  type ClusterMachineStatus,
  type ClusterStatus,
  type InfraProviderStatus,
  type MachineSetStatus,
  type OmniMachine,
} from "../../src/sources/omni/facts.ts";
import { CLUSTER_LABEL } from "../../src/sources/omni/omnictl.ts";
import { NODE_NAME_LABEL } from "../../src/sources/omni/resources.ts";
import { siderolinkAnswers, siderolinkHost, type ResolverAnswer, type SiderolinkHost } from "../../src/sources/net/facts.ts";
import type { PerSubject } from "../../src/sources/proxmox/facts.ts";
import { inCidr } from "../../src/util/ip.ts";
import type { Fix, FixStep } from "../../src/model/result.ts";
import { describeRequest, explainProviderError, failingRequests } from "./machine-requests.ts";

/** Why a cluster is not healthy, in one sentence, with what shows it and what fixes it. */
export interface RootCause {
  cause: string;
  evidence: string[];
  steps: FixStep[];
}

const TAILSCALE_CGNAT = "100.64.0.0/10";

/**
 * Resolvers that give new VMs an address of Omni they cannot use: a tailnet address (fresh VMs
 * are not on the tailnet), no address, or no answer in time. Shared with omni/machines-disconnected.
 */
export function dnsRootCause(host: Availability<SiderolinkHost | undefined>, answers: Availability<PerSubject<ResolverAnswer[]>>): RootCause | undefined {
  if (!host.ok || !host.value || !answers.ok) return undefined;
  const bad = [...answers.value.values].flatMap(([node, servers]) =>
    servers
      .filter(({ answer }) => answer.rcode !== "NOERROR" || answer.addresses.length === 0 || answer.addresses.some((a) => inCidr(a, TAILSCALE_CGNAT)))
      .map(({ server, answer }) => `${node}: ${server} → ${host.value!.host}: ${answer.rcode}${answer.addresses.length ? ` ${answer.addresses.join(", ")}` : ""}`),
  );
  if (bad.length === 0) return undefined;
  return {
    cause: `new VMs cannot find Omni: the Proxmox nodes' resolvers answer ${host.value.host} with an address the VMs cannot reach (split-horizon DNS, see network/split-horizon-dns)`,
    evidence: bad,
    steps: [{ kind: "manual", description: `make ${host.value.host} resolve to Omni's LAN address from the VMs' resolvers (a LAN DNS record, and \`pvesh set /nodes/<node>/dns --dns1 <LAN DNS>\`)`, destructive: false }],
  };
}

const nodeOf = (cms: ClusterMachineStatus | undefined, id: string) => `${id}${cms?.metadata.labels[NODE_NAME_LABEL] ? ` (${cms.metadata.labels[NODE_NAME_LABEL]})` : ""}`;

/** What the causes are looked for in; the optional facts that were unavailable are empty. */
interface Evidence {
  statuses: ClusterMachineStatus[];
  machines: OmniMachine[];
  providers: InfraProviderStatus[];
  requests: ClusterMachineRequestStatus[];
  sets: MachineSetStatus[];
  dns: RootCause | undefined;
}

const valueOr = <T>(a: Availability<T>, fallback: T): T => (a.ok ? a.value : fallback);

function rootCauses(cluster: ClusterStatus, facts: Evidence): RootCause[] {
  const id = cluster.metadata.id;
  const causes: RootCause[] = [];
  const { machines: counts } = cluster.spec;
  const inCluster = facts.statuses.filter((c) => c.metadata.labels[CLUSTER_LABEL] === id);
  const seen = new Set<string>();
  for (const request of failingRequests(facts.requests.filter((r) => r.metadata.labels[CLUSTER_LABEL] === id))) {
    const explained = explainProviderError(request.spec.error ?? "");
    if (seen.has(explained.cause)) continue;
    seen.add(explained.cause);
    causes.push({ cause: `the provider cannot create its machines: ${explained.cause}`, evidence: [`${describeRequest(request)}: ${request.spec.error}`], steps: explained.fix.steps });
  }
  for (const provider of facts.providers.filter((p) => !p.spec.health?.connected)) {
    causes.push({
      cause: `the infrastructure provider ${provider.metadata.id} is not connected to Omni, so no machine request is worked on (see omni/infra-provider)`,
      evidence: [`provider ${provider.metadata.id}: connected false${provider.spec.health?.error ? `, error ${provider.spec.health.error}` : ""}`],
      steps: [{ kind: "manual", description: `restart provider ${provider.metadata.id}; if its log says Unauthenticated, regenerate its key in Omni first`, destructive: false }],
    });
  }
  // Resolvers only matter when machines are missing or not connected.
  if (facts.dns && (counts.requested > counts.total || counts.connected < counts.total)) causes.push(facts.dns);
  const byId = new Map(facts.machines.map((m) => [m.metadata.id, m]));
  const disconnected = inCluster.filter((c) => byId.get(c.metadata.id)?.spec.connected === false && !isBeingDestroyed(c));
  if (disconnected.length > 0) {
    causes.push({
      cause: `${disconnected.length} of its machines are not connected to Omni (see omni/machines-disconnected)`,
      evidence: disconnected.map((c) => `machine ${nodeOf(c, c.metadata.id)}: not connected`),
      steps: [{ kind: "manual", description: "check that those VMs are running and can reach Omni's SideroLink endpoint", destructive: false }],
    });
  }
  for (const cms of inCluster.filter((c) => c.spec.lastconfigerror)) {
    causes.push({
      cause: `machine ${nodeOf(cms, cms.metadata.id)} cannot apply its configuration: ${cms.spec.lastconfigerror}`,
      evidence: [`lastconfigerror: ${cms.spec.lastconfigerror}`],
      steps: [{ kind: "manual", description: "fix the config patch the error names (`omnictl get configpatches -l omni.sidero.dev/cluster=<cluster>`), then sync the template", destructive: false }],
    });
  }
  for (const set of facts.sets.filter((s) => s.metadata.labels[CLUSTER_LABEL] === id && s.spec.error)) {
    causes.push({ cause: `machine set ${set.metadata.id} reports: ${set.spec.error}`, evidence: [`machine set ${set.metadata.id}: ${set.spec.phase}, error ${set.spec.error}`], steps: [] });
  }
  return causes;
}

export default defineCheck({
  meta: {
    id: "omni/cluster-health",
    title: "Omni clusters are running and ready",
    severity: "error",
    sources: ["omni", "dns", "pve", "files"],
    symptoms: ["cluster is not healthy", "cluster stuck in SCALING_UP", "SCALING_UP", 'Cluster "<name>" SCALING_UP Not Ready', "Not Ready"],
    fixable: ["manual"],
  },
  facts: {
    clusters: clusterStatuses,
    statuses: optional(clusterMachineStatuses),
    machines: optional(machinesFact),
    providers: optional(infraProviders),
    requests: optional(machineRequests),
    sets: optional(machineSetStatuses),
    host: optional(siderolinkHost),
    answers: optional(siderolinkAnswers),
  },
  run({ clusters, statuses, machines, providers, requests, sets, host, answers }) {
    if (clusters.length === 0) return [skip("no clusters in Omni")];
    const evidence: Evidence = {
      statuses: valueOr(statuses, []),
      machines: valueOr(machines, []),
      providers: valueOr(providers, []),
      requests: valueOr(requests, []),
      sets: valueOr(sets, []),
      dns: dnsRootCause(host, answers),
    };
    const findings: Finding[] = [];
    for (const cluster of clusters) {
      const { phase, ready, machines: counts } = cluster.spec;
      if (phase === "DESTROYING" || (ready && phase === "RUNNING")) continue;
      const causes = rootCauses(cluster, evidence);
      if (ready && causes.length === 0) continue;
      const state = `${phase}, ${ready ? "ready" : "not ready"}, ${counts.healthy}/${counts.total} machines healthy${counts.requested > counts.total ? `, ${counts.requested} requested` : ""}`;
      const fix: Fix = causes.length > 0
        ? { summary: "Remove the cause Omni's state points at", steps: causes.flatMap((c) => c.steps) }
        : { summary: "Look at the cluster's status tree", steps: [{ kind: "command", description: "show which machine set and machine hold the cluster back", argv: ["omnictl", "cluster", "status", cluster.metadata.id], destructive: false }] };
      findings.push({
        ...(ready ? { severity: "warning" as const } : {}),
        subject: `cluster ${cluster.metadata.id}`,
        message: causes.length > 0 ? `is ${state}: ${causes[0]!.cause}${causes.length > 1 ? ` (and ${causes.length - 1} more cause(s))` : ""}` : `is ${state}; Omni's state names no cause${cluster.spec.controlplaneready === false ? " (the control plane is not ready)" : ""}`,
        evidence: [
          `phase: ${phase}`,
          `machines: total ${counts.total}, healthy ${counts.healthy}, connected ${counts.connected}, requested ${counts.requested}`,
          `control plane ready: ${Boolean(cluster.spec.controlplaneready)}, Kubernetes API ready: ${Boolean(cluster.spec.kubernetesapiready)}`,
          ...causes.flatMap((c) => c.evidence),
        ],
        fix,
      });
    }
    return findings.length > 0 ? findings : [pass(`${clusters.length} cluster(s) running and ready`)];
  },
});
