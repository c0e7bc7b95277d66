import { isMap, isScalar, isSeq, type Node, type Pair } from "yaml";
import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import type { FixStep, Location } from "../../src/model/result.ts";
import type { NodePath, TemplateDocument } from "../../src/sources/kit/cluster-templates.ts";
import { clusterTemplates, NO_TEMPLATES } from "../../src/sources/kit/template-facts.ts";
import { replaceScalar } from "../../src/sources/kit/yaml-edit.ts";
import { editStep, type TextEdit } from "../../src/sources/kit/text-edit.ts";
import { locationOf, nodeAt, pairOf } from "../../src/sources/kit/yaml-file.ts";
import { goQuote } from "../../src/util/go-errors.ts";

const RESERVED = "omni.sidero.dev/";

/** The places a template document carries labels and annotations: itself, its patches, manifests and health checks. */
function descriptorOwners(document: TemplateDocument): NodePath[] {
  const owners: NodePath[] = [[]];
  for (const list of [["patches"], ["kubernetes", "manifests"], ["kubernetes", "healthchecks"]]) {
    const node = nodeAt(document.doc.contents, list);
    if (isSeq(node)) node.items.forEach((_, i) => owners.push([...list, i]));
  }
  return owners;
}

interface Reserved {
  what: "label" | "annotation";
  key: string;
  pair: Pair;
  /** The key without Omni's prefix, unless another key already has that name. */
  renamed?: string;
  location: Location;
}

export default defineCheck({
  meta: {
    id: "template/reserved-labels",
    title: "Template uses Omni's reserved label prefix",
    severity: "error",
    sources: ["files"],
    symptoms: ['label %q is invalid: prefix "omni.sidero.dev/" is reserved for internal use', 'annotation %q is invalid: prefix "omni.sidero.dev/" is reserved for internal use'],
    fixable: ["edit", "manual"],
  },
  facts: { clusterTemplates },
  run({ clusterTemplates }) {
    const { templates } = clusterTemplates;
    if (templates.length === 0) return [skip(NO_TEMPLATES)];
    const findings: Finding[] = [];
    for (const template of templates) {
      const found: Array<Reserved & { document: TemplateDocument }> = [];
      for (const document of template.documents) {
        for (const owner of descriptorOwners(document)) {
          for (const what of ["label", "annotation"] as const) {
            const map = nodeAt(document.doc.contents, [...owner, `${what}s`]);
            if (!isMap(map)) continue;
            for (const pair of map.items) {
              const key = isScalar(pair.key) ? String(pair.key.value) : "";
              if (!key.startsWith(RESERVED)) continue;
              const bare = key.slice(RESERVED.length);
              const taken = bare === "" || pairOf(map, bare) !== undefined;
              found.push({ document, what, key, pair, ...(taken ? {} : { renamed: bare }), location: locationOf(template.file, pair) });
            }
          }
        }
      }
      if (found.length === 0) continue;
      const renames: TextEdit[] | undefined = found.every((f) => f.renamed !== undefined) ? found.map((f) => replaceScalar(f.document.tree, f.pair.key as Node, f.renamed!)) : undefined;
      const steps: FixStep[] = [
        editStep(template.file, `rename ${found.map((f) => `${f.key} to ${f.renamed}`).join(", ")}`, renames) ?? {
          kind: "manual",
          description: `move ${found.map((f) => f.key).join(", ")} to a prefix of your own (example.com/...)`,
          destructive: false,
        },
      ];
      findings.push({
        subject: template.file.path,
        message: `${found.map((f) => f.key).join(", ")} ${found.length > 1 ? "use" : "uses"} the prefix omni.sidero.dev/, which Omni keeps for its own labels: it rejects the template`,
        location: found[0]!.location,
        evidence: found.map((f) => `${f.what} ${goQuote(f.key)} is invalid: prefix ${goQuote(RESERVED)} is reserved for internal use`),
        fix: { summary: "Use a prefix of your own for template labels and annotations", steps },
      });
    }
    return findings.length > 0 ? findings : [pass(`no template label or annotation uses ${RESERVED}`)];
  },
});
