import { Document, isMap, isScalar, isSeq, YAMLMap, type Node, type Pair } from "yaml";
import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { templates } from "../../src/sources/kit/facts.ts";
import { NO_TEMPLATES } from "../../src/sources/kit/template-facts.ts";
import type { KitYamlFile } from "../../src/sources/kit/kit.ts";
import { NESTED_SECTION_KINDS, omniDecodeError, omniDocumentStart, omniLineInDocument, templateDocs } from "../../src/sources/kit/templates.ts";
import { locationOf } from "../../src/sources/kit/yaml-file.ts";
import { editStep } from "../../src/sources/kit/text-edit.ts";

const NESTED_KIND = NESTED_SECTION_KINDS;

const keyOf = (pair: Pair) => (isScalar(pair.key) ? String(pair.key.value) : "");

/** The file with the nested sections moved into their own documents; comments inside them travel along. */
export function splitNestedSections(file: KitYamlFile, doc: Document.Parsed, index: number): string {
  const cluster = doc.clone();
  const map = cluster.contents as YAMLMap;
  const nested = map.items.filter((pair) => keyOf(pair) in NESTED_KIND);
  map.items = map.items.filter((pair) => !(keyOf(pair) in NESTED_KIND));
  const parts = [cluster.toString()];
  for (const pair of nested) {
    const kind = NESTED_KIND[keyOf(pair)]!;
    const sections = isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const section of sections) {
      const body = new YAMLMap<unknown, unknown>();
      body.add(cluster.createPair("kind", kind));
      if (isMap(section)) body.items.push(...(section.items as Array<Pair<unknown, unknown>>));
      body.commentBefore = (pair.key as Node).commentBefore ?? null;
      const next = new Document();
      next.contents = body as unknown as Node;
      parts.push(`---\n${next.toString()}`);
    }
  }
  // The first document's leading comments belong to it (and are printed with it); later ones start at their `---`.
  const before = index === 0 ? "" : file.text.slice(0, doc.range[0]);
  return before + parts.join("") + file.text.slice(doc.range[2]);
}

export default defineCheck({
  meta: {
    id: "template/nested-sections",
    title: "Cluster template uses nested sections",
    severity: "error",
    sources: ["files"],
    symptoms: [
      "field controlPlane not found in type models.Cluster",
      "field workers not found in type models.Cluster",
      "field controlplane not found in type models.Cluster",
    ],
    fixable: ["edit", "command"],
  },
  facts: { templates },
  run({ templates }, { omniVersion }) {
    if (templates.length === 0) return [skip(NO_TEMPLATES)];
    const findings: Finding[] = [];
    for (const file of templates) {
      for (const td of templateDocs(file)) {
        if (td.kind !== "Cluster" || !isMap(td.doc.contents)) continue;
        const nested = td.doc.contents.items.filter((pair) => keyOf(pair) in NESTED_KIND);
        if (nested.length === 0) continue;
        const keys = nested.map(keyOf);
        const evidence = omniDecodeError(
          omniVersion,
          omniDocumentStart(file, td.doc),
          nested.map((pair) => ({
            line: omniLineInDocument(file, td.doc, (pair.key as Node).range![0]),
            text: `field ${keyOf(pair)} not found in type models.Cluster`,
          })),
        );
        findings.push({
          subject: file.path,
          message: `${keys.join(" and ")} ${keys.length > 1 ? "are" : "is"} nested inside the Cluster document; Omni wants separate ControlPlane and Workers documents`,
          location: locationOf(file, nested[0]),
          evidence: [evidence],
          fix: {
            summary: "Split the template into Cluster, ControlPlane and Workers documents",
            steps: [
              editStep(file, `move ${keys.join(", ")} into their own documents separated by ---`, splitNestedSections(file, td.doc, td.index)) ?? {
                kind: "manual",
                description: `move ${keys.join(", ")} out of the Cluster document into ControlPlane and Workers documents separated by ---`,
                destructive: false,
              },
              { kind: "command", description: "apply the corrected template", argv: ["omnictl", "cluster", "template", "sync", "-f", file.path], destructive: false },
            ],
          },
        });
      }
    }
    return findings.length > 0 ? findings : [pass(`${templates.length} template file(s) use separate documents`)];
  },
});
