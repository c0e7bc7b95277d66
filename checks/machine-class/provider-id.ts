import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { deployment, machineClasses } from "../../src/sources/kit/facts.ts";
import { applyClass, classSubject } from "../../src/sources/kit/machine-classes.ts";
import { editStep } from "../../src/sources/kit/text-edit.ts";
import { replacePlainScalar } from "../../src/sources/kit/yaml-edit.ts";
import { isRecord, nodeAt } from "../../src/sources/kit/yaml-file.ts";

export default defineCheck({
  meta: {
    id: "machine-class/provider-id",
    title: "Machine class names a provider id no provider in the kit has",
    severity: "error",
    sources: ["files"],
    symptoms: ['resource ID must match the infra provider ID "<id>"', "providerID can not be empty", "failed to get provider"],
    fixable: ["edit", "manual", "command"],
  },
  facts: { machineClasses, deployment },
  run({ machineClasses, deployment }) {
    const provisioned = machineClasses.filter((mc) => mc.form === "cosi" && isRecord(mc.value.spec) && isRecord(mc.value.spec.autoprovision));
    if (provisioned.length === 0) return [skip("no auto-provisioned machine classes in the kit")];
    const known = deployment.providers.filter((p) => !p.id.value.includes("$"));
    const ids = [...new Set(known.map((p) => p.id.value))];
    const findings: Finding[] = [];
    for (const mc of provisioned) {
      const subject = classSubject(mc);
      const providerId = mc.providerId;
      if (!providerId) {
        findings.push({
          subject,
          message: "spec.autoprovision.providerid is empty: Omni does not know which provider should create the machines",
          location: mc.locateKey(["spec", "autoprovision", "providerid"]),
          evidence: ["providerID can not be empty"],
          fix: { summary: `Set providerid${ids.length === 1 ? ` to ${ids[0]}` : ""}`, steps: [{ kind: "manual", description: "set spec.autoprovision.providerid to the provider's --id (default proxmox)", destructive: false }, applyClass(mc)] },
        });
        continue;
      }
      if (ids.length === 0 || ids.includes(providerId)) continue;
      const sameButCase = ids.find((id) => id.toLowerCase() === providerId.toLowerCase());
      const target = sameButCase ?? (ids.length === 1 ? ids[0]! : undefined);
      const providers = known.map((p) => `${p.service.file.path}: ${p.id.explicit ? `--id ${p.id.value}` : "no --id, so proxmox"}`);
      const edit = target ? editStep(mc.file, `set providerid to ${target}`, replacePlainScalar(mc.file, nodeAt(mc.doc.contents, ["spec", "autoprovision", "providerid"]), target)) : undefined;
      findings.push({
        subject,
        message: sameButCase
          ? `providerid ${providerId} differs from the provider's id ${sameButCase} only in case; ids are case-sensitive, so Omni refuses the provider's resources`
          : `providerid ${providerId} is not the id of any provider in the kit (${ids.join(", ")}), so no provider creates these machines`,
        location: mc.locate(["spec", "autoprovision", "providerid"]),
        evidence: providers,
        fix: {
          summary: target ? `Use providerid ${target}, or start the provider with --id=${providerId}` : `Use one of the provider ids: ${ids.join(", ")}`,
          steps: [edit ?? { kind: "manual", description: `set providerid in ${mc.file.path} to the provider's --id (${ids.join(" or ")}), or give the provider --id=${providerId}`, destructive: false }, applyClass(mc)],
        },
      });
    }
    if (findings.length > 0) return findings;
    if (ids.length === 0) return [skip("the kit has no provider compose file to compare the classes' providerid with")];
    return [pass(`${provisioned.length} machine class(es) name a provider of the kit (${ids.join(", ")})`)];
  },
});
