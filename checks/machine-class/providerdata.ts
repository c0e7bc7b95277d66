import { isScalar } from "yaml";
import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { machineClasses } from "../../src/sources/kit/facts.ts";
import { applyClass, classSubject, pathText, type MachineClassDoc } from "../../src/sources/kit/machine-classes.ts";
import { PROVIDER_SCHEMA_VERSION, validateProviderData, type ProviderDataIssue } from "../../src/sources/kit/providerdata.ts";
import { editStep, splice, verbatimAt } from "../../src/sources/kit/text-edit.ts";
import { isRecord } from "../../src/sources/kit/yaml-file.ts";
import type { FixStep } from "../../src/model/result.ts";

/** Rename a misspelt key in place (`storageSelector` → `storage_selector`), when it is written plainly. */
function renameKey(mc: MachineClassDoc, issue: ProviderDataIssue): FixStep | undefined {
  const key = issue.path[issue.path.length - 1];
  const data = mc.providerData!;
  const parent = data.node(issue.path.slice(0, -1));
  const pair = parent && "items" in parent ? (parent.items as Array<{ key: unknown }>).find((p) => isScalar(p.key) && p.key.value === key) : undefined;
  if (!issue.meant || typeof key !== "string" || !pair || !isScalar(pair.key) || pair.key.type !== "PLAIN") return undefined;
  const offset = verbatimAt(mc.file.text, data.locateKey(issue.path), key);
  return editStep(mc.file, `rename ${pathText(issue.path)} to ${issue.meant}`, offset === undefined ? undefined : splice(mc.file.text, offset, key.length, issue.meant));
}

function finding(mc: MachineClassDoc, issue: ProviderDataIssue): Finding {
  const edit = renameKey(mc, issue);
  const where = issue.path.length > 0 ? pathText(issue.path) : "providerdata";
  return {
    subject: `${classSubject(mc)}: ${where}`,
    severity: issue.severity,
    message: issue.message,
    location: issue.path.length > 0 ? mc.providerData!.locateKey(issue.path) : mc.locateKey(["spec", "autoprovision", "providerdata"]),
    evidence: [`schema: ${PROVIDER_SCHEMA_VERSION}`],
    fix: {
      summary: edit ? `Rename it to ${issue.meant}` : `Correct ${where} in ${mc.file.path}`,
      steps: [edit ?? { kind: "manual", description: `${issue.advice ?? `correct ${where}`} (machine class ${classSubject(mc)} in ${mc.file.path})`, destructive: false }, applyClass(mc)],
    },
  };
}

export default defineCheck({
  meta: {
    id: "machine-class/providerdata",
    title: "Machine class providerdata does not match the provider's schema",
    severity: "error",
    sources: ["files"],
    symptoms: [
      "bad request: 400 Parameter verification failed.",
      "value does not match the regex pattern",
      "value must have a minimum value of 1",
      "missing properties: <names>",
    ],
    fixable: ["edit", "manual", "command"],
  },
  facts: { machineClasses },
  run({ machineClasses }) {
    const provisioned = machineClasses.filter((mc) => mc.form === "cosi" && isRecord(mc.value.spec) && "autoprovision" in mc.value.spec);
    if (provisioned.length === 0) return [skip("no auto-provisioned machine classes in the kit")];
    const findings: Finding[] = [];
    for (const mc of provisioned) {
      const data = mc.providerData;
      if (!data) {
        findings.push({
          subject: `${classSubject(mc)}: providerdata`,
          message: "spec.autoprovision has no providerdata string, so the provider gets none of the required settings (cores, memory, disk_size, storage_selector)",
          location: mc.locateKey(["spec", "autoprovision"]),
          fix: { summary: "Add providerdata", steps: [{ kind: "manual", description: "add a providerdata: | block with cores, memory, disk_size and storage_selector", destructive: false }, applyClass(mc)] },
        });
        continue;
      }
      if (data.syntaxError) {
        findings.push({
          subject: `${classSubject(mc)}: providerdata`,
          message: `providerdata is not valid YAML: ${data.syntaxError.message}`,
          location: data.syntaxError.location,
          fix: { summary: "Correct the YAML inside providerdata", steps: [{ kind: "manual", description: `fix the YAML at ${data.syntaxError.location.line}:${data.syntaxError.location.column}`, destructive: false }, applyClass(mc)] },
        });
        continue;
      }
      findings.push(...validateProviderData(data.value).map((issue) => finding(mc, issue)));
    }
    return findings.length > 0 ? findings : [pass(`${provisioned.length} machine class(es) match the provider's schema`)];
  },
});
