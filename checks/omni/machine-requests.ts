import { defineCheck, pass, type Finding } from "../../src/engine/check.ts";
import { machineRequests, type ClusterMachineRequestStatus } from "../../src/sources/omni/facts.ts";
import { CLUSTER_LABEL } from "../../src/sources/omni/omnictl.ts";
import { MACHINE_SET_LABEL } from "../../src/sources/omni/resources.ts";
import type { Fix, FixStep } from "../../src/model/result.ts";

export interface ProviderErrorExplained {
  /** What went wrong, in our words. */
  cause: string;
  fix: Fix;
}

const manual = (description: string): FixStep => ({ kind: "manual", description, destructive: false });
const RESTART_PROVIDER = manual("restart the infrastructure provider (e.g. `docker compose restart` in its folder) so it retries with a fresh session");

/**
 * The Proxmox provider's failure texts (reference/proxmox.md §3.8) mapped to their cause and fix.
 * Shared with omni/cluster-health, which names them as the reason a cluster does not scale.
 */
const PROVIDER_ERRORS: Array<{ match: RegExp; explain: (m: RegExpExecArray) => ProviderErrorExplained }> = [
  {
    match: /not authorized to access endpoint/,
    explain: () => ({
      cause: "Proxmox refused the provider's credentials (it reports every 401 and 403 this way): a wrong or deleted API token, a missing permission, or a password session that expired after two hours",
      fix: {
        summary: "Give the provider working Proxmox credentials",
        steps: [
          manual("in the provider's config.yaml use an API token (tokenID and tokenSecret) rather than username/password: password sessions expire after two hours and the provider never logs in again"),
          manual("check what the token may do: `pveum user token permissions <user@realm> <token>` (omni-doctor's proxmox/privileges lists what is missing)"),
          RESTART_PROVIDER,
        ],
      },
    }),
  },
  {
    // The selector is Go-quoted (%q): inner quotes come escaped.
    match: /no matches for the condition "((?:[^"\\]|\\.)*)"/,
    explain: (m) => ({
      cause: `the machine class's storage selector \`${m[1]!.replace(/\\(.)/g, "$1")}\` matches no storage on the Proxmox node the provider picked, so it cannot create the disk`,
      fix: {
        summary: "Point the storage selector at a storage every node has",
        steps: [
          manual("list the storages of each node: `pvesh get /nodes/<node>/storage` (omni-doctor's machine-class/storage-match evaluates the selector per node)"),
          manual('set `storage_selector` in the machine class to a storage that exists on every node, e.g. `name == "local-lvm"`, then `omnictl apply -f <machine class file>`'),
        ],
      },
    }),
  },
  {
    match: /Syntax error: mismatched input '<EOF>'/,
    explain: () => ({
      cause: "the machine class has an empty storage selector; the provider requires one",
      fix: { summary: "Give the machine class a storage selector", steps: [manual('add `storage_selector: name == "<storage>"` to the providerdata, then `omnictl apply -f <machine class file>`')] },
    }),
  },
  {
    match: /cannot unmarshal array into Go value of type proxmox\.Node/,
    explain: () => ({
      cause: "the provider's saved state for this request has no Proxmox node name (seen after Omni's state was reset), so it asks `/nodes//status` and gets a list back",
      fix: {
        summary: "Let Omni create a fresh machine request",
        steps: [manual("scale the machine set down by one and back up (edit the template, `omnictl cluster template sync -f <template>` twice) so the broken request is replaced"), RESTART_PROVIDER],
      },
    }),
  },
  {
    match: /failed to get storage: unable to find the item you are looking for/,
    explain: () => ({
      cause: "no enabled storage with ISO content exists on the chosen node, so the provider cannot upload the Talos ISO",
      fix: { summary: "Allow ISO images on a storage of every node", steps: [manual("enable the `ISO image` content on a storage of each node, e.g. `pvesm set local --content iso,vztmpl,backup`")] },
    }),
  },
  {
    match: /400 Parameter verification failed\.?\s*-?\s*(.*)/,
    explain: (m) => ({
      cause: `Proxmox rejected a VM setting from the machine class${m[1] ? ` (${m[1].trim()})` : ""}: typically \`machine_type: i440fx\` (Proxmox wants \`pc\` or \`q35\`) or a missing \`sockets\` (sent as 0)`,
      fix: { summary: "Fix the machine class's providerdata", steps: [manual("in the machine class use `machine_type: q35` (or leave it out) and set `sockets: 1`, then `omnictl apply -f <machine class file>`")] },
    }),
  },
  {
    match: /failed to get node "([^"]+)"/,
    explain: (m) => ({
      cause: `Proxmox node ${m[1]} could not be asked while the provider chose where to place the VM (offline or unreachable); placement fails while any node is down`,
      fix: { summary: `Bring ${m[1]} back, or pin the VMs to a healthy node`, steps: [manual(`start ${m[1]} or remove it from the Proxmox cluster; or set \`node: <healthy node>\` in the machine class`)] },
    }),
  },
  {
    match: /specified node "([^"]+)" (not found in cluster|is not online)/,
    explain: (m) => ({
      cause: `the machine class pins node ${m[1]}, which ${m[2] === "is not online" ? "is offline" : "does not exist in the Proxmox cluster"}`,
      fix: { summary: "Pin the machine class to a node that is online", steps: [manual("set `node:` in the machine class's providerdata to an online node (or remove it), then `omnictl apply -f <machine class file>`")] },
    }),
  },
  {
    match: /static hostname is already set in v1alpha1 config/,
    explain: () => ({
      cause: "a hostname config patch written by an old provider build conflicts with Talos ≥ 1.12's hostname document (see omni/hostname-patches)",
      fix: { summary: "Upgrade the provider", steps: [manual("run a provider build from February 2026 or later; it sets the hostname through cloud-init instead of a config patch")] },
    }),
  },
  {
    match: /Configuration file '([^']+)' does not exist/,
    explain: (m) => ({
      cause: `the VM is already gone from Proxmox (${m[1]})`,
      fix: { summary: "Reconcile Omni with Proxmox", steps: [manual("if the machine is being removed this is harmless; otherwise see omni/state-drift for the machine whose VM was deleted")] },
    }),
  },
  {
    // A failed Proxmox task: the provider returns the task's status word, not its exit status.
    match: /(?:^|:\s*|")stopped"?\s*$/,
    explain: () => ({
      cause: "a Proxmox task (creating or starting the VM) failed; the provider only reports the task's status `stopped`, the reason is in the task's exit status",
      fix: { summary: "Read the failed task's exit status", steps: [manual("list failed tasks on the nodes: `pvesh get /nodes/<node>/tasks --errors 1 --limit 5` (omni-doctor's proxmox/failed-tasks shows them), fix what they say, then restart the provider")] },
    }),
  },
];

export function explainProviderError(error: string): ProviderErrorExplained {
  for (const { match, explain } of PROVIDER_ERRORS) {
    const m = match.exec(error.trim());
    if (m) return explain(m);
  }
  return { cause: "the infrastructure provider reported an error", fix: { summary: "Read the provider's log", steps: [manual("read the provider's log (e.g. `docker compose logs` in its folder) around the time of the error"), RESTART_PROVIDER] } };
}

export function describeRequest(request: ClusterMachineRequestStatus): string {
  const set = request.metadata.labels[MACHINE_SET_LABEL];
  const cluster = request.metadata.labels[CLUSTER_LABEL];
  return `machine request ${request.metadata.id}${set ? ` (machine set ${set}${cluster ? `, cluster ${cluster}` : ""})` : ""}`;
}

/** Requests whose provider reported an error: failed, or still provisioning while failing. */
export function failingRequests(requests: readonly ClusterMachineRequestStatus[]): ClusterMachineRequestStatus[] {
  return requests.filter((r) => r.spec.stage === "FAILED" || Boolean(r.spec.error));
}

export default defineCheck({
  meta: {
    id: "omni/machine-requests",
    title: "The infrastructure provider fails to create machines",
    severity: "error",
    sources: ["omni"],
    symptoms: [
      "not authorized to access endpoint",
      'failed to pick the disk: no matches for the condition "<selector>"',
      "no matches for the condition",
      "ERROR: <input>:1:0: Syntax error: mismatched input '<EOF>'",
      "json: cannot unmarshal array into Go value of type proxmox.Node",
      "failed to get storage: unable to find the item you are looking for",
      "bad request: 400 Parameter verification failed.",
      'failed to get node "<node>", unexpected end of JSON input',
      'specified node "<node>" not found in cluster',
      'specified node "<node>" is not online',
      "Provision Failed: <error>",
      "machine provision failed",
    ],
    fixable: ["manual"],
  },
  facts: { requests: machineRequests },
  run({ requests }) {
    const findings: Finding[] = failingRequests(requests).map((request) => {
      const { cause, fix } = explainProviderError(request.spec.error ?? request.spec.status ?? "");
      return {
        subject: describeRequest(request),
        message: `${request.spec.stage === "FAILED" ? "failed" : `is ${request.spec.stage.toLowerCase()} but failing`}: ${cause}`,
        evidence: [`error: ${request.spec.error}`, ...(request.spec.status ? [`status: ${request.spec.status}`] : []), ...(request.spec.providerid ? [`provider: ${request.spec.providerid}`] : [])],
        fix,
      };
    });
    return findings.length > 0 ? findings : [pass(`${requests.length} machine request(s), none failing`)];
  },
});
