import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import type { FixStep, Location, Severity } from "../../src/model/result.ts";
import { kit } from "../../src/sources/kit/facts.ts";
import { machineClassDocs } from "../../src/sources/kit/machine-classes.ts";
import { clusterTemplates } from "../../src/sources/kit/template-facts.ts";
import { machineClasses } from "../../src/sources/omni/facts.ts";
import { goQuote } from "../../src/util/go-errors.ts";

interface Unresolved {
  name: string;
  location: Location;
  severity: Severity;
  problem: string;
  /** The kit file that defines it, when only Omni lacks it. */
  definedIn?: string;
}

export default defineCheck({
  meta: {
    id: "template/machine-class-ref",
    title: "Template uses a machine class that does not exist",
    severity: "error",
    sources: ["files", "omni"],
    symptoms: ["machine class with name %q doesn't exist", "failed to validate: machine class with name %q doesn't exist"],
    fixable: ["command", "manual"],
  },
  facts: { clusterTemplates, kit, omniClasses: optional(machineClasses) },
  run({ clusterTemplates, kit, omniClasses }) {
    const sets = clusterTemplates.templates.flatMap((template) => template.machineSets.filter((s) => s.machineClass?.name).map((set) => ({ template, set })));
    if (sets.length === 0) return [skip("no template uses a machine class")];
    const inKit = new Map<string, string>();
    for (const doc of machineClassDocs(kit)) if (doc.id && !inKit.has(doc.id)) inKit.set(doc.id, doc.file.path);
    const inOmni = omniClasses.ok ? new Set(omniClasses.value.map((c) => c.metadata.id)) : undefined;
    const findings: Finding[] = [];
    for (const template of clusterTemplates.templates) {
      const unresolved: Unresolved[] = [];
      for (const { set } of sets.filter((s) => s.template === template)) {
        const { name, location } = set.machineClass!;
        const definedIn = inKit.get(name);
        if (inOmni?.has(name) || unresolved.some((u) => u.name === name)) continue;
        if (inOmni) {
          unresolved.push(
            definedIn
              ? { name, location, severity: "error", problem: `${name} is defined in ${definedIn} but not applied to Omni`, definedIn }
              : { name, location, severity: "error", problem: `${name} exists neither in Omni nor in the kit` },
          );
        } else if (!definedIn) {
          // Offline, Omni may still have it (classes made in the UI): a risk, not a certainty.
          unresolved.push({ name, location, severity: "warning", problem: `no MachineClass in the kit defines ${name} (Omni was not asked)` });
        }
      }
      if (unresolved.length === 0) continue;
      const steps: FixStep[] = unresolved.map((u) =>
        u.definedIn
          ? { kind: "command" as const, description: `create ${u.name} in Omni`, argv: ["omnictl", "apply", "-f", u.definedIn], destructive: false }
          : { kind: "manual" as const, description: `create the MachineClass ${u.name} (a MachineClasses.omni.sidero.dev document, applied with omnictl apply -f) or correct the name at ${u.location.file}:${u.location.line}`, destructive: false },
      );
      findings.push({
        severity: unresolved.some((u) => u.severity === "error") ? "error" : "warning",
        subject: template.file.path,
        message: unresolved.length === 1 ? unresolved[0]!.problem : `${unresolved.length} machine classes the template uses are missing: ${unresolved.map((u) => u.problem).join("; ")}`,
        location: unresolved[0]!.location,
        evidence: unresolved.map((u) => (u.severity === "error" ? `machine class with name ${goQuote(u.name)} doesn't exist` : `${u.location.file}:${u.location.line}:${u.location.column}: machineClass.name: ${u.name}`)),
        fix: { summary: "Create the machine classes before syncing the template", steps },
      });
    }
    const where = inOmni ? "in Omni" : "in the kit";
    return findings.length > 0 ? findings : [pass(`${sets.length} machine set(s) use machine classes that exist ${where}`)];
  },
});
