import check from "./infra-provider.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import type { InfraProviderStatus, OmniMachineClass } from "../../src/sources/omni/facts.ts";
import { machineClassYaml } from "../../test/harness/kit-files.ts";

function provider(id: string, health: { connected: boolean; initialized: boolean; error?: string }): InfraProviderStatus {
  return {
    metadata: { namespace: "ephemeral", type: "InfraProviderCombinedStatuses.omni.sidero.dev", id, phase: "running", labels: {}, annotations: {}, finalizers: [] },
    spec: { name: "Proxmox", version: "v0.1.0", health: { error: "", ...health } },
  };
}

function machineClass(id: string, providerid: string): OmniMachineClass {
  return { metadata: { namespace: "default", type: "MachineClasses.omni.sidero.dev", id, phase: "running", labels: {}, annotations: {}, finalizers: [] }, spec: { matchlabels: [], autoprovision: { providerid } } };
}

const healthy = provider("proxmox", { connected: true, initialized: true });
const kitClass = (providerid: string) =>
  kitFrom({ "machine-classes/workers.yaml": machineClassYaml("workers", { providerid, providerdata: "cores: 2" }) });

testCheck(check, {
  valid: [
    { name: "connected, used by a class", facts: { providers: [healthy], classes: [machineClass("workers", "proxmox")], kit: kitClass("proxmox") }, message: /1 provider\(s\) connected and healthy, every machine class's provider registered/ },
    { name: "no kit at hand", facts: { providers: [healthy], classes: [] } },
  ],
  invalid: [
    {
      name: "key expired mid-provisioning (004): heartbeats stopped",
      facts: { providers: [provider("proxmox", { connected: false, initialized: true })], classes: [] },
      results: [{ status: "fail", subject: "infrastructure provider proxmox", message: /stopped sending heartbeats/, evidence: ["connected: false", "initialized: true"], fix: ["manual", "manual", "manual"] }],
    },
    {
      name: "registered, never started",
      facts: { providers: [provider("proxmox", { connected: false, initialized: false })], classes: [] },
      results: [{ status: "fail", message: /never connected/ }],
    },
    {
      name: "connected with an error",
      facts: { providers: [provider("proxmox", { connected: true, initialized: true, error: "failed to list nodes" })], classes: [] },
      results: [{ status: "fail", message: /reports an error: failed to list nodes/ }],
    },
    {
      name: "the kit's class asks for Proxmox, the provider is proxmox (000)",
      facts: { providers: [healthy], classes: [], kit: kitClass("Proxmox") },
      results: [{ status: "fail", subject: "machine class workers in machine-classes/workers.yaml", message: /IDs are case-sensitive/, location: { file: "machine-classes/workers.yaml", line: 7 } }],
    },
    {
      name: "a live class asks for a provider nobody registered",
      facts: { providers: [], classes: [machineClass("gpu", "proxmox-gpu")] },
      results: [{ status: "fail", subject: "machine class gpu in Omni", message: /"proxmox-gpu", which is not registered/, fix: ["manual", "manual"] }],
    },
  ],
  unavailable: [
    { name: "omnictl not installed", source: "omni", kind: "not-installed", status: "skip" },
    { name: "Omni session expired", source: "omni", kind: "auth", status: "error" },
  ],
});
