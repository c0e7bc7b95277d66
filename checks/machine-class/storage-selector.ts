import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { compileSelector } from "../../src/cel/storage-selector.ts";
import { machineClasses } from "../../src/sources/kit/facts.ts";
import { applyClass, classSubject, pathText, storageSelectors, type MachineClassDoc } from "../../src/sources/kit/machine-classes.ts";
import { locationAt } from "../../src/sources/kit/yaml-file.ts";
import { editStep, splice, verbatimAt } from "../../src/sources/kit/text-edit.ts";
import type { FixStep } from "../../src/model/result.ts";
import { isScalar } from "yaml";

const DETERMINISTIC = new Set(["undeclared", "overload", "legacy"]);

/** Where the selector is written as a plain one-line scalar in the file, so it can be replaced in place. */
function plainSelectorOffset(mc: MachineClassDoc, path: Array<string | number>, expression: string): number | undefined {
  const node = mc.providerData!.node(path);
  if (!isScalar(node) || node.type !== "PLAIN" || expression.includes("\n")) return undefined;
  return verbatimAt(mc.file.text, mc.providerData!.locate(path), expression);
}

/** The file with the selector replaced by its fix. */
function selectorEdit(mc: MachineClassDoc, path: Array<string | number>, expression: string, fixed: string): FixStep | undefined {
  const offset = plainSelectorOffset(mc, path, expression);
  return editStep(mc.file, `set ${pathText(path)} to ${fixed}`, offset === undefined ? undefined : splice(mc.file.text, offset, expression.length, fixed));
}

export default defineCheck({
  meta: {
    id: "machine-class/storage-selector",
    title: "Storage selector does not compile in the provider",
    severity: "error",
    sources: ["files"],
    symptoms: [
      "undeclared reference to '<name>'",
      "found no matching overload for '<op>' applied to '(uint, int)'",
      "ERROR: <input>:1:0: Syntax error: mismatched input '<EOF>'",
      "expected type 'bool' but found '<type>'",
      "type mismatch",
    ],
    fixable: ["edit", "manual", "command"],
  },
  facts: { machineClasses },
  run({ machineClasses }) {
    const selectors = machineClasses.flatMap((mc) => storageSelectors(mc.providerData?.value).map((ref) => ({ mc, ...ref })));
    if (selectors.length === 0) return [skip("no storage selectors in the kit's machine classes")];
    const findings: Finding[] = [];
    for (const { mc, path, value } of selectors) {
      // A selector that is not a string is a schema problem (machine-class/providerdata).
      if (typeof value !== "string") continue;
      const compiled = compileSelector(value);
      if (compiled.ok) continue;
      const { problem } = compiled;
      const at = mc.providerData!.locate(path);
      const start = plainSelectorOffset(mc, path, value);
      const location = start !== undefined && problem.offset !== undefined ? locationAt(mc.file, start + problem.offset) : at;
      // Only fixes that change nothing but the mistake become edits; a guessed pool name stays advice.
      const edit = problem.fixed !== undefined && DETERMINISTIC.has(problem.kind) ? selectorEdit(mc, path, value, problem.fixed) : undefined;
      findings.push({
        subject: `${classSubject(mc)}: ${pathText(path)}`,
        message: `${pathText(path)} ${JSON.stringify(value)}: ${problem.message}`,
        location,
        evidence: [problem.celError],
        fix: {
          summary: problem.fixed ? `Use ${problem.fixed}` : 'Write a boolean expression over name, node, storageType and availableSpace, e.g. name == "local-lvm"',
          steps: [
            edit ?? {
              kind: "manual",
              description: problem.fixed
                ? `change ${pathText(path)} in ${mc.file.path} to: ${problem.fixed}`
                : `rewrite ${pathText(path)} in ${mc.file.path}; list the storage names with: pvesh get /storage`,
              destructive: false,
            },
            applyClass(mc),
          ],
        },
      });
    }
    return findings.length > 0 ? findings : [pass(`${selectors.length} storage selector(s) compile in the provider's CEL environment`)];
  },
});
