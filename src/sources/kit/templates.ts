/**
 * Omni cluster templates in the kit: multi-document YAML files whose documents are selected by
 * `kind` (Cluster, ControlPlane, Workers, Machine). Also the wording Omni itself uses for load
 * errors, per release, so evidence reads like `omnictl cluster template validate`.
 */
import type { Document } from "yaml";
import { docValue, isRecord, locationAt, type YamlFile } from "./yaml-file.ts";
import type { Kit, KitYamlFile } from "./kit.ts";
import { filesOfKind } from "./kit.ts";
import semver from "semver";

export interface TemplateDoc {
  file: KitYamlFile;
  doc: Document.Parsed;
  /** 0-based position of the document in its file. */
  index: number;
  kind: string | undefined;
  value: Record<string, unknown> | undefined;
}

export function templateFiles(kit: Kit): KitYamlFile[] {
  return filesOfKind(kit, "template");
}

export function templateDocs(file: KitYamlFile): TemplateDoc[] {
  return file.docs.map((doc, index) => {
    const value = docValue(doc);
    const record = isRecord(value) ? value : undefined;
    return { file, doc, index, kind: typeof record?.kind === "string" ? record.kind : undefined, value: record };
  });
}

/**
 * Where Omni says a document starts (`error decoding document at line L:C`): the `---` marker,
 * or the first token of an implicit first document.
 */
export function omniDocumentStart(file: YamlFile, doc: Document.Parsed): { line: number; column: number } {
  // yaml's document range starts at the `---` marker when there is one, else at the first token.
  const { line, column } = locationAt(file, doc.range[0]);
  return { line, column };
}

/**
 * The line Omni reports for a node inside a document: Omni re-serialises each document before
 * strict decoding, so lines count from 1 at the document's first line with blank lines dropped.
 */
export function omniLineInDocument(file: YamlFile, doc: Document.Parsed, offset: number): number {
  const docStart = doc.contents?.range?.[0] ?? doc.range[0];
  const startLine = file.lineCounter.linePos(docStart).line;
  const targetLine = file.lineCounter.linePos(offset).line;
  const lines = file.text.split("\n").slice(startLine - 1, targetLine - 1);
  return lines.filter((l) => l.trim() !== "").length + 1;
}

/** Keys people nest inside the Cluster document, and the document kind each belongs in. */
export const NESTED_SECTION_KINDS: Record<string, "ControlPlane" | "Workers"> = {
  controlPlane: "ControlPlane",
  controlplane: "ControlPlane",
  workers: "Workers",
  worker: "Workers",
};

/** The Go type Omni names for a document kind in decode errors. */
export const OMNI_MODEL_TYPES: Record<string, string> = {
  Cluster: "models.Cluster",
  ControlPlane: "models.ControlPlane",
  Workers: "models.Workers",
  Machine: "models.Machine",
};

/**
 * Omni's strict-decoding error for a document, worded as the given Omni release words it
 * (the YAML library changed between releases; reference/omni.md §2.1).
 */
export function omniDecodeError(omniVersion: string, start: { line: number; column: number }, fieldErrors: Array<{ line: number; text: string }>): string {
  return `error decoding document at line ${start.line}:${start.column}: ${goYamlConstructErrors(omniVersion, fieldErrors)}`;
}

/** The YAML library's list of decoding errors (`yaml: construct errors: line 7: ...`) as the release's library prints it. */
export function goYamlConstructErrors(omniVersion: string, errors: Array<{ line: number; text: string }>): string {
  const items = errors.map((e) => `line ${e.line}: ${e.text}`);
  const version = semver.coerce(omniVersion)?.version ?? "1.10.0";
  if (semver.lt(version, "1.6.0")) return `yaml: unmarshal errors:\n  ${items.join("\n  ")}`;
  if (semver.lt(version, "1.10.0")) return `yaml: construct errors:\n  ${items.join("\n  ")}`;
  return `yaml: construct errors: ${items.join("; ")}`;
}
