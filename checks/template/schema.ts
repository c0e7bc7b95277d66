import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { appliedPatches, talosMinorOf, type ClusterTemplate } from "../../src/sources/kit/cluster-templates.ts";
import { talosMinorProblems } from "../../src/sources/kit/config-patch.ts";
import { omniValidateTemplate } from "../../src/sources/kit/omni-template.ts";
import { omniTalosMachineryMinor } from "../../src/sources/kit/omni-releases.ts";
import { clusterTemplates, NO_TEMPLATES, talosSchemas } from "../../src/sources/kit/template-facts.ts";
import type { TalosSchemas } from "../../src/schema/talos-schemas.ts";
import { compareMinor, isEnvPlaceholder } from "../../src/schema/talos-schemas.ts";
import { errorText, goQuote, plainErrors, type GoError } from "../../src/util/go-errors.ts";
import { NESTED_SECTION_KINDS } from "../../src/sources/kit/templates.ts";
import type { Location } from "../../src/model/result.ts";

/** A `failed to access` error for a file found neither next to the template nor from the kit root. */
function isAbsentFile(template: ClusterTemplate, text: string): boolean {
  const quoted = /^failed to access (".*"): \S+ .*: no such file or directory$/.exec(text)?.[1];
  const ref = [...template.fileRefs.values()].find((r) => goQuote(r.ref) === quoted);
  return ref !== undefined && ref.fromTemplate.state === "missing" && ref.fromKitRoot.state === "missing";
}

/** A load error made only of `controlPlane`/`workers` keys inside the Cluster document: template/nested-sections explains it and splits the file. */
function onlyNestedSections(error: GoError): boolean {
  const items = [...errorText(error).matchAll(/line \d+: ([^;\n]+)/g)].map((m) => m[1]!);
  return items.length > 0 && items.every((item) => Object.keys(NESTED_SECTION_KINDS).some((key) => item === `field ${key} not found in type models.Cluster`));
}

/** Whether the value a problem points at holds a `${VAR}` placeholder (the rest of that line, in the file). */
function placeholderAt(texts: ReadonlyMap<string, string>, at: Location): boolean {
  const line = texts.get(at.file)?.split("\n")[at.line - 1] ?? "";
  return isEnvPlaceholder(line.slice(at.column - 1));
}

const at = (location: Location | undefined) => (location ? `${location.file}:${location.line}:${location.column}: ` : "");

/** What the template's Talos minor refuses in patches Omni accepts (it decodes with newer Talos machinery). */
function talosVersionFinding(template: ClusterTemplate, schemas: TalosSchemas, omniVersion: string): Finding | undefined {
  const minor = talosMinorOf(template);
  if (!minor || compareMinor(minor, omniTalosMachineryMinor(omniVersion)) > 0) return undefined;
  const schema = schemas.forMinor(minor);
  const problems = appliedPatches(template).flatMap(({ content }) => talosMinorProblems(content, schema));
  if (problems.length === 0) return undefined;
  return {
    severity: "warning",
    subject: template.file.path,
    message: `Omni accepts the template, but Talos ${schema.minor} nodes would refuse ${problems.length} value(s) in its config patches when the config is applied`,
    location: problems[0]!.location,
    evidence: problems.map((p) => `${at(p.location)}${p.message}`),
    fix: {
      summary: `Use only what Talos ${schema.minor} knows, or raise talos.version`,
      steps: [{ kind: "manual", description: `change each value listed in the evidence (the Talos ${schema.minor} machine-config reference names the allowed keys and values)`, destructive: false }],
    },
  };
}

export default defineCheck({
  meta: {
    id: "template/schema",
    title: "Cluster template is rejected by Omni's template validation",
    severity: "error",
    sources: ["files"],
    symptoms: [
      "field <field> not found in type models.<Type>",
      "error in document at line <n>: unknown model kind %q",
      "error in document at line <n>: kind field not found",
      "template should contain 1 controlplane, got <n>",
      "template should contain 1 cluster, got <n>",
      "duplicate workers with name %q",
      "machine %q is used in multiple workers: <sets>",
      "machines <ids> are used in both controlplane and workers",
      "machine %q is not used in controlplane or workers",
      "machine %q is locked and used in controlplane",
      "custom name is not allowed in the controlplane",
      "updateStrategy is not allowed in the controlplane",
      "deleteStrategy is not allowed in the controlplane",
      "machine set can not have both machines and machine class defined",
      "name should only contain letters, digits, dashes and underscores",
      "version should be in semver format: <error>",
      "version should start with 'v'",
      "either name or idOverride is required for inline patches",
      "path or inline is required",
      "path and inline are mutually exclusive",
      "invalid machine ID %q: <error>",
      "invalid machine count <size>: <error>",
      "error decoding document /v1alpha1/ (line <n>): missing kind",
      "unknown keys found during decoding:",
      "disk encryption is supported only for Talos version >= 1.5.0",
    ],
    fixable: ["manual", "command"],
  },
  facts: { clusterTemplates, talosSchemas },
  run({ clusterTemplates, talosSchemas }, { omniVersion }) {
    const { templates } = clusterTemplates;
    if (templates.length === 0) return [skip(NO_TEMPLATES)];
    const findings: Finding[] = [];
    const texts = new Map([...templates.map((t) => [t.file.path, t.file.text] as const), ...clusterTemplates.patchFiles.map((p) => [p.path, p.yaml.text] as const)]);
    for (const template of templates) {
      const verdict = omniValidateTemplate(template, omniVersion, talosSchemas);
      if (!verdict) {
        const warning = talosVersionFinding(template, talosSchemas, omniVersion);
        if (warning) findings.push(warning);
        continue;
      }
      if (verdict.stage === "load" && onlyNestedSections(verdict.error)) {
        findings.push({ status: "skip", subject: template.file.path, message: "template/nested-sections reports this template: Omni stops at its nested sections" });
        continue;
      }
      const problems = plainErrors(verdict.error);
      const first = problems.find((p) => p.at) ?? problems[0]!;
      // Files absent from the kit may be generated, git-ignored or secret, and ${VAR} placeholders are filled in before sync: Omni fails only if they are still so when it runs.
      const onlyAbsentFiles = problems.every((p) => isAbsentFile(template, p.text));
      const onlyPlaceholders = problems.every((p) => p.at !== undefined && placeholderAt(texts, p.at));
      findings.push({
        ...(onlyAbsentFiles || onlyPlaceholders ? { severity: "warning" as const } : {}),
        subject: template.file.path,
        message: onlyAbsentFiles
          ? `Omni would reject the template unless ${problems.length} file(s) it names, which are not in the kit, exist when omnictl runs (template/patch-files has the details)`
          : onlyPlaceholders
            ? `Omni would reject the template as written: ${problems.length} problem(s) sit on \${...} placeholders, which must be filled in (envsubst, CI) before sync`
            : verdict.stage === "load"
            ? `Omni cannot load the template: ${first.text}`
            : `Omni rejects the template with ${problems.length} problem(s), first: ${first.context}${first.text}`,
        ...(first.at ? { location: first.at } : {}),
        // Omni's own text first (what `omnictl cluster template validate` prints after "Error: "), then each problem where it is.
        evidence: [errorText(verdict.error).trim(), ...problems.map((p) => `${at(p.at)}${p.context}${p.text}`)],
        fix: {
          summary: "Correct each problem at its line, then validate again",
          steps: [
            ...problems.map((p) => ({ kind: "manual" as const, description: `${at(p.at)}${p.text}`, destructive: false })),
            { kind: "command", description: "check the template the way Omni does", argv: ["omnictl", "cluster", "template", "validate", "-f", template.file.path], destructive: false },
          ],
        },
      });
    }
    return findings.length > 0 ? findings : [pass(`${templates.length} template(s) pass Omni ${omniVersion}'s template validation`)];
  },
});
