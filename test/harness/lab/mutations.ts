/**
 * What changing things does to a lab, so `fix` can be applied against the fakes and verified:
 * `omnictl delete <type> <id>` removes the resource (read-only types refuse, as Omni does), a
 * Proxmox PUT of a VM config updates it. Each returns the answer the real system gives.
 */
import type { ExecAnswer, HttpAnswer } from "../../../src/sources/transport.ts";
import type { Lab } from "./model.ts";

/** Types users may not change through the resource API (reference/omni.md §6). */
const READ_ONLY = new Set(["machines.omni.sidero.dev", "clustermachinestatuses.omni.sidero.dev", "machinestatuses.omni.sidero.dev"]);

/** The CLI names users type for the types the fixes delete. */
const DELETE_ALIASES: Record<string, string> = {
  clustermachine: "ClusterMachines.omni.sidero.dev",
  clustermachines: "ClusterMachines.omni.sidero.dev",
  machine: "Machines.omni.sidero.dev",
  machines: "Machines.omni.sidero.dev",
  configpatch: "ConfigPatches.omni.sidero.dev",
  configpatches: "ConfigPatches.omni.sidero.dev",
};

export function omnictlMutation(lab: Lab, argv: readonly string[]): { answer: ExecAnswer; lab: Lab } | undefined {
  if (!lab.omni) return undefined;
  const failure = Object.entries(lab.omni.commandFailures ?? {}).find(([prefix]) => argv.join(" ").startsWith(prefix))?.[1];
  if (failure) return { lab, answer: { exitCode: failure.exitCode, stdout: failure.stdout ?? "", stderr: failure.stderr } };
  if (argv[0] === "cluster" && argv[1] === "template" && argv[2] === "sync") {
    return { lab, answer: { exitCode: 0, stdout: `* syncing ${argv[argv.indexOf("-f") + 1] ?? "template"}\n`, stderr: "" } };
  }
  if (argv[0] !== "delete") return undefined;
  const type = DELETE_ALIASES[argv[1]?.toLowerCase() ?? ""] ?? argv[1] ?? "";
  const ids = argv.slice(2).filter((a) => !a.startsWith("-"));
  if (READ_ONLY.has(type.toLowerCase())) {
    return { lab, answer: { exitCode: 1, stdout: "", stderr: `Error: rpc error: code = PermissionDenied desc = only read access is permitted for resources of type ${type.toLowerCase()}\n` } };
  }
  // Deleting a ClusterMachine tears down its status too.
  const gone = (resourceType: string, id: string) =>
    ids.includes(id) && (resourceType.toLowerCase() === type.toLowerCase() || (type === "ClusterMachines.omni.sidero.dev" && resourceType === "ClusterMachineStatuses.omni.sidero.dev"));
  const next: Lab = { ...lab, omni: { ...lab.omni, resources: lab.omni.resources.filter((r) => !gone(r.type, r.id)) } };
  return { lab: next, answer: { exitCode: 0, stdout: "", stderr: ids.map((id) => `destroyed ${type} ${id}\n`).join("") } };
}

export function pveMutation(lab: Lab, method: string, path: string, body: string): { answer: HttpAnswer; lab: Lab } | undefined {
  if (!lab.pve || method === "GET") return undefined;
  const params = Object.fromEntries(new URLSearchParams(body));
  const config = /^\/nodes\/([^/]+)\/qemu\/(\d+)\/config$/.exec(path);
  if (method === "PUT" && config) {
    const vms = lab.pve.vms.map((vm) => (vm.node === config[1] && vm.vmid === Number(config[2]) ? { ...vm, config: { ...vm.config, ...params } } : vm));
    return { lab: { ...lab, pve: { ...lab.pve, vms } }, answer: { status: 200, statusText: "OK", contentType: "application/json;charset=UTF-8", body: '{"data":null}' } };
  }
  if (method === "POST" && /^\/nodes\/[^/]+\/qemu\/\d+\/status\/(reboot|start|stop)$/.test(path)) {
    const upid = `UPID:${path.split("/")[2]}:0000ABCD:00012345:6734F00D:qmreboot:${path.split("/")[4]}:omni@pve!doctor:`;
    return { lab, answer: { status: 200, statusText: "OK", contentType: "application/json;charset=UTF-8", body: JSON.stringify({ data: upid }) } };
  }
  return undefined;
}
