import { defineCheck, pass, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { configPatches, machineStatuses } from "../../src/sources/omni/facts.ts";
import { INFRA_PROVIDER_LABEL, MACHINE_LABEL, MACHINE_REQUEST_LABEL } from "../../src/sources/omni/resources.ts";
import semver from "semver";

/**
 * Proxmox provider builds from November 2025 to January 2026 wrote a config patch setting
 * `machine.network.hostname`, named `000-hostname-%s<request id>` (a literal `%s`; reference/proxmox.md §3.7).
 */
const PROVIDER_HOSTNAME_PATCH = /^000-hostname(-|$)/;
/** From this Talos release a v1alpha1 hostname conflicts with the HostnameConfig document. */
const BREAKS_FROM = "1.12.0";

export default defineCheck({
  meta: {
    id: "omni/hostname-patches",
    title: "Hostname config patches left by old provider builds",
    severity: "error",
    sources: ["omni"],
    symptoms: ["static hostname is already set in v1alpha1 config", "000-hostname-%s", "000-hostname-"],
    fixable: ["command", "manual"],
  },
  facts: { patches: configPatches, machines: optional(machineStatuses) },
  run({ patches, machines }) {
    const talosOf = new Map((machines.ok ? machines.value : []).map((m) => [m.metadata.id, semver.coerce(m.spec.talosversion ?? "")?.version]));
    const findings: Finding[] = [];
    for (const patch of patches.filter((p) => PROVIDER_HOSTNAME_PATCH.test(p.metadata.id))) {
      const machine = patch.metadata.labels[MACHINE_LABEL];
      const talos = machine ? talosOf.get(machine) : undefined;
      const breaks = talos !== undefined && semver.gte(talos, BREAKS_FROM);
      const message = breaks
        ? `sets the v1alpha1 hostname on a Talos v${talos} machine, which conflicts with its HostnameConfig document ("static hostname is already set in v1alpha1 config")`
        : talos
          ? `sets the v1alpha1 hostname; harmless on Talos v${talos}, but the machine will fail to configure once upgraded to Talos 1.12`
          : "sets the v1alpha1 hostname; machines on Talos 1.12 or later fail to configure with it";
      findings.push({
        ...(breaks ? {} : { severity: "warning" as const }),
        subject: `config patch ${patch.metadata.id}`,
        message,
        evidence: [
          ...(machine ? [`machine: ${machine}${talos ? ` (Talos v${talos})` : ""}`] : []),
          ...[INFRA_PROVIDER_LABEL, MACHINE_REQUEST_LABEL].filter((l) => patch.metadata.labels[l]).map((l) => `${l}: ${patch.metadata.labels[l]}`),
        ],
        fix: {
          summary: "Upgrade the provider, then remove the patch",
          steps: [
            { kind: "manual", description: "run a Proxmox provider build from February 2026 or later: it sets the hostname through cloud-init and writes no such patch", destructive: false },
            {
              kind: "command",
              description: `delete the patch (if Omni refuses because the provider's request still owns it, replace the machine${machine ? ` ${machine}` : ""} instead: a new machine gets no patch)`,
              argv: ["omnictl", "delete", "configpatch", patch.metadata.id],
              destructive: true,
            },
          ],
        },
      });
    }
    return findings.length > 0 ? findings : [pass(`${patches.length} config patch(es), none from the provider's old hostname step`)];
  },
});
