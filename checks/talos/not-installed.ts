import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { unreadNodes } from "../../src/sources/talos/node-errors.ts";
import { machineStatuses, targets, volumeStatuses } from "../../src/sources/talos/facts.ts";

/** Talos < 1.8 has no VolumeStatuses: such a node cannot be judged by its volumes. */
const NO_VOLUME_STATUS = /is not registered/;

export default defineCheck({
  meta: {
    id: "talos/not-installed",
    title: "Talos is installed on the node's disk",
    severity: "error",
    sources: ["talos"],
    symptoms: [
      "META and STATE volumes are missing",
      "phase: missing",
      "stage: maintenance",
      "VM stuck in a reboot loop",
      "unexpected EOF",
      "Wrong EFI loader signature",
      "Talos is already installed to disk but booted from another media and talos.halt_if_installed kernel parameter is set",
    ],
    fixable: ["command", "manual"],
  },
  facts: { volumes: volumeStatuses, statuses: machineStatuses, targets },
  run({ volumes, statuses, targets: asked }) {
    const findings: Finding[] = [];
    const nodes = [...new Set([...volumes.resources.map((r) => r.node), ...statuses.resources.map((r) => r.node)])];
    for (const node of nodes) {
      const phase = (id: string) => volumes.resources.find((r) => r.node === node && r.metadata.id === id)?.spec.phase;
      const stage = statuses.resources.find((r) => r.node === node)?.spec.stage;
      const missing = phase("META") === "missing" && phase("STATE") === "missing";
      if (!missing && stage !== "maintenance") continue;
      const cluster = asked.find((t) => t.nodes.includes(node))?.cluster;
      findings.push({
        subject: `node ${node}`,
        message: missing
          ? "has no META and no STATE partition: it runs from the ISO and Talos was never installed to its disk (each reboot starts over)"
          : "is in maintenance mode: it booted without a machine configuration and is not installed",
        evidence: [`META: ${phase("META") ?? "unknown"}`, `STATE: ${phase("STATE") ?? "unknown"}`, ...(stage ? [`machine stage: ${stage}`] : [])],
        fix: {
          summary: "Make the VM able to install Talos, then install it cleanly",
          steps: [
            { kind: "manual", description: "check the VM's disk and firmware: an attached disk on virtio-scsi-single, UEFI (OVMF) with an EFI disk, a CPU of at least x86-64-v2 (see proxmox/vm-boot-settings and proxmox/vm-cpu)", destructive: false },
            { kind: "command", description: "wipe what a failed install left behind and reboot into a clean install", argv: ["talosctl", ...(cluster ? ["--cluster", cluster] : []), "-n", node, "reset", "--graceful=false", "--reboot"], destructive: true },
          ],
        },
      });
    }
    const errors = { ...statuses.nodeErrors, ...Object.fromEntries(Object.entries(volumes.nodeErrors).filter(([, e]) => !NO_VOLUME_STATUS.test(e))) };
    findings.push(...unreadNodes(errors, "volumes or machine status"));
    if (findings.length === 0 && nodes.length === 0) return [skip("talosctl returned no nodes")];
    return findings.length > 0 ? findings : [pass(`${nodes.length} node(s) installed (META and STATE present, not in maintenance)`)];
  },
});
