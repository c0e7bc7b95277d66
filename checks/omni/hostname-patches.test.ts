import check from "./hostname-patches.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import type { ConfigPatch, OmniMachineStatus } from "../../src/sources/omni/facts.ts";

const ID = "0b6a4c1e-2222-4a1b-9c2d-3e4f5a6b7c02";
const PATCH = "000-hostname-%slab-workers-a1b2c3";
const meta = (type: string, id: string, labels: Record<string, string> = {}) => ({ namespace: "default", type, id, phase: "running", labels, annotations: {}, finalizers: [] });
const patch = (id: string, labels: Record<string, string> = {}): ConfigPatch => ({ metadata: meta("ConfigPatches.omni.sidero.dev", id, labels), spec: { data: "", compresseddata: "KLUv/QBY..." } });
const providerPatch = patch(PATCH, { "omni.sidero.dev/infra-provider-id": "proxmox", "omni.sidero.dev/machine-request": "lab-workers-a1b2c3", "omni.sidero.dev/machine": ID, "omni.sidero.dev/system-patch": "" });
const status = (talos: string): OmniMachineStatus => ({ metadata: meta("MachineStatuses.omni.sidero.dev", ID), spec: { talosversion: talos, role: "WORKER" } });

testCheck(check, {
  valid: [
    { name: "only the template's patches", facts: { patches: [patch("200-lab-patches/cni.yaml", { "omni.sidero.dev/cluster": "lab" })], machines: [] }, message: /1 config patch/ },
    { name: "no patches", facts: { patches: [] } },
  ],
  invalid: [
    {
      name: "on Talos 1.12: provisioning fails",
      facts: { patches: [providerPatch], machines: [status("v1.12.4")] },
      results: [
        {
          status: "fail",
          subject: `config patch ${PATCH}`,
          message: /Talos v1.12.4 machine, which conflicts with its HostnameConfig document/,
          evidence: [`machine: ${ID} (Talos v1.12.4)`, "omni.sidero.dev/infra-provider-id: proxmox", "omni.sidero.dev/machine-request: lab-workers-a1b2c3"],
          fix: ["manual", "command"],
          satisfies: (r) => {
            const step = r.fix!.steps[1]!;
            if (step.kind !== "command" || step.argv.join(" ") !== `omnictl delete configpatch ${PATCH}` || !step.destructive) throw new Error(JSON.stringify(step));
          },
        },
      ],
    },
    { name: "on Talos 1.11: a warning for the upgrade", facts: { patches: [providerPatch], machines: [status("v1.11.5")] }, results: [{ status: "warn", message: /harmless on Talos v1.11.5/ }] },
    { name: "version unknown", facts: { patches: [providerPatch] }, results: [{ status: "warn", message: /Talos 1.12 or later fail/ }] },
  ],
  unavailable: [
    { name: "omnictl not installed", source: "omni", kind: "not-installed", status: "skip" },
    { name: "Omni session expired", source: "omni", kind: "auth", status: "error" },
  ],
});
