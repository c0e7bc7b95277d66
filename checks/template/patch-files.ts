import { posix } from "node:path";
import { isScalar, type Node } from "yaml";
import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import type { FixStep, Location, Severity } from "../../src/model/result.ts";
import type { ClusterTemplate, FileRef, NodePath, PatchFile, TemplatePatch } from "../../src/sources/kit/cluster-templates.ts";
import { omniPatchError, omniRefusalsOf } from "../../src/sources/kit/config-patch.ts";
import { patchPathsFollowTemplate } from "../../src/sources/kit/omni-releases.ts";
import { clusterTemplates, talosSchemas } from "../../src/sources/kit/template-facts.ts";
import { removeKeys, replaceScalar, type EditableTree } from "../../src/sources/kit/yaml-edit.ts";
import { editStep, type TextEdit } from "../../src/sources/kit/text-edit.ts";
import { nodeAt } from "../../src/sources/kit/yaml-file.ts";
import { goQuote, plainErrors } from "../../src/util/go-errors.ts";

interface BadRef {
  patch: TemplatePatch;
  severity: Severity;
  problem: string;
  /** What Omni says about it (omnictl's `failed to access` text). */
  omni?: string;
  /** A corrected path, when the file was found elsewhere in the kit. */
  corrected?: string;
}

const escapes = (rel: string) => rel === ".." || rel.startsWith("../") || rel.startsWith("/");

function commonDir(a: string, b: string): string {
  const left = posix.normalize(a).split("/");
  const right = posix.normalize(b).split("/");
  let i = 0;
  while (i < left.length && i < right.length && left[i] === right[i]) i++;
  return left.slice(0, i).join("/") || ".";
}

/** How the release reads a `file:` reference, and what goes wrong. */
function judgeRef(patch: TemplatePatch, ref: FileRef, followTemplate: boolean, templateDir: string): BadRef | undefined {
  const quoted = goQuote(ref.ref);
  if (followTemplate) {
    if (escapes(ref.rootRelative)) {
      return {
        patch,
        severity: "error",
        problem: `${ref.ref} is outside the template's folder, where omnictl may read (add --allowed-dir to widen it)`,
        omni: `failed to access ${quoted}: openat ${ref.rootRelative}: path escapes from parent`,
      };
    }
    if (ref.fromTemplate.state === "directory") return { patch, severity: "error", problem: `${ref.ref} is a folder`, omni: `failed to access ${quoted}: read ${ref.rootRelative}: is a directory` };
    if (ref.fromTemplate.state === "file") return undefined;
    const omni = `failed to access ${quoted}: openat ${ref.rootRelative}: no such file or directory`;
    if (ref.fromKitRoot.state === "file" && ref.fromKitRoot.path !== ref.fromTemplate.path) {
      return {
        patch,
        severity: "error",
        problem: `${ref.fromTemplate.path} does not exist (Omni 1.8 and later read patch files relative to the template's folder), but ${ref.fromKitRoot.path} does: the path was written for running omnictl from the kit root`,
        omni,
        corrected: posix.relative(templateDir, ref.fromKitRoot.path),
      };
    }
    return { patch, severity: "warning", problem: `${ref.fromTemplate.path} is not in the kit: generated, git-ignored or secret files must exist when omnictl runs`, omni };
  }
  const found = [ref.fromTemplate, ref.fromKitRoot].find((r) => r.state !== "missing");
  if (!found) return { patch, severity: "warning", problem: `${ref.ref} is in neither the template's folder nor the kit root`, omni: `failed to access ${quoted}: open ${ref.ref}: no such file or directory` };
  if (found.state === "directory") return { patch, severity: "error", problem: `${ref.ref} is a folder`, omni: `failed to access ${quoted}: read ${ref.ref}: is a directory` };
  return undefined;
}

function refFinding(template: ClusterTemplate, bad: BadRef[]): Finding {
  const severity: Severity = bad.some((b) => b.severity === "error") ? "error" : "warning";
  const corrected = bad.filter((b) => b.corrected !== undefined);
  const steps: FixStep[] = [];
  if (corrected.length > 0) {
    const edits: TextEdit[] = corrected.flatMap((b) => {
      const node = nodeAt(b.patch.entry, ["file"]);
      return isScalar(node) ? [replaceScalar(b.patch.owner.tree, node as Node, b.corrected!)] : [];
    });
    // The folder omnictl must be allowed to read: the nearest one holding the template and every file.
    const root = corrected.map((b) => posix.join(template.dir, b.corrected!)).reduce((dir, file) => commonDir(dir, posix.dirname(file)), template.dir);
    const allowed = posix.relative(template.dir, root) || ".";
    const repoint = editStep(template.file, `point ${corrected.length} file: reference(s) at the files from the template's folder (${corrected.map((b) => b.corrected).join(", ")})`, edits);
    if (repoint) steps.push(repoint);
    steps.push({
      kind: "command",
      description: "sync, letting omnictl read the files outside the template's folder",
      argv: ["omnictl", "cluster", "template", "sync", "-f", template.file.path, "--allowed-dir", allowed],
      destructive: false,
    });
  }
  for (const b of bad.filter((b) => b.corrected === undefined)) {
    steps.push({ kind: "manual", description: `${b.patch.file!.ref}: ${b.severity === "error" ? "move the file into the template's folder (or pass --allowed-dir)" : "create it (or drop the patch) before running omnictl"}`, destructive: false });
  }
  return {
    severity,
    subject: template.file.path,
    message: bad.length === 1 ? `patch file ${bad[0]!.problem}` : `${bad.length} patch references cannot be read as written: ${[...new Set(bad.map((b) => b.patch.file!.ref))].join(", ")}`,
    location: bad[0]!.patch.file!.location,
    evidence: bad.flatMap((b) => [`${at(b.patch.file!.location)}${b.problem}`, ...(b.omni ? [b.omni] : [])]),
    fix: { summary: corrected.length > 0 ? "Point the patch paths at the template's folder" : "Make the patch files readable where Omni looks", steps },
  };
}

const at = (location: Location) => `${location.file}:${location.line}:${location.column}: `;

/** Omni's verdict on a patch file itself; a fix removes refused fields when that is all there is. */
function contentFinding(patchFile: PatchFile, omniVersion: string, schemas: Parameters<typeof omniPatchError>[2]): Finding | undefined {
  const error = omniPatchError(patchFile.content, omniVersion, schemas);
  if (!error) return undefined;
  const problems = plainErrors(error);
  const referenced = patchFile.references.length > 0;
  const refusals = omniRefusalsOf(patchFile.content, omniVersion);
  const fields = refusals.filter((r) => r.kind === "field");
  const steps: FixStep[] = [];
  if (fields.length === problems.length) {
    const byTree = new Map<EditableTree, NodePath[]>();
    for (const f of fields) if (f.doc.tree) byTree.set(f.doc.tree, [...(byTree.get(f.doc.tree) ?? []), f.path]);
    const edits: TextEdit[] = [];
    let editable = byTree.size > 0;
    for (const [tree, paths] of byTree) {
      const removal = removeKeys(tree, paths);
      if ("needsReprint" in removal || removal.emptiedRoot) editable = false;
      else edits.push(...removal.edits);
    }
    const removal = editable ? editStep(patchFile.yaml, `remove ${fields.map((f) => f.path.join(".")).join(", ")}: Omni sets ${fields.length > 1 ? "them" : "it"} itself`, edits) : undefined;
    if (removal) steps.push(removal);
  }
  if (steps.length === 0) steps.push({ kind: "manual", description: `correct ${patchFile.path} at the lines named in the evidence (Omni manages the cluster's identity, secrets and endpoint itself)`, destructive: false });
  return {
    severity: referenced ? "error" : "warning",
    subject: patchFile.path,
    message: `${referenced ? "Omni rejects this config patch" : "No template uses this config patch, but Omni would reject it"}: ${problems[0]!.text.split("\n")[0]}`,
    ...(problems[0]!.at ? { location: problems[0]!.at } : {}),
    evidence: problems.map((p) => p.text.trimEnd()),
    fix: { summary: "Keep only what a config patch may set", steps },
  };
}

export default defineCheck({
  meta: {
    id: "template/patch-files",
    title: "Template patch file is missing, out of reach or refused",
    severity: "error",
    sources: ["files"],
    symptoms: [
      "failed to access %q: openat <path>: no such file or directory",
      "failed to access %q: openat <path>: path escapes from parent",
      "failed to access %q: open <path>: no such file or directory",
      "failed to validate patch %q: <error>",
      "overriding %q is not allowed in the config patch",
      "the %q document is not allowed in the config patch",
      "element %q is not allowed in field %q",
      "error decoding document /v1alpha1/ (line <n>): missing kind",
    ],
    fixable: ["edit", "command", "manual"],
  },
  facts: { clusterTemplates, talosSchemas },
  run({ clusterTemplates, talosSchemas }, { omniVersion }) {
    const { templates, patchFiles } = clusterTemplates;
    const fileRefs = templates.reduce((n, t) => n + t.patches.filter((p) => p.file).length, 0);
    if (fileRefs === 0 && patchFiles.length === 0) return [skip("no patch files in the kit and no template names one")];
    const follow = patchPathsFollowTemplate(omniVersion);
    const findings: Finding[] = [];
    for (const template of templates) {
      const bad = template.patches.flatMap((patch) => {
        const judged = patch.file ? judgeRef(patch, patch.file, follow, template.dir) : undefined;
        return judged ? [judged] : [];
      });
      if (bad.length > 0) findings.push(refFinding(template, bad));
    }
    for (const patchFile of patchFiles) {
      const finding = contentFinding(patchFile, omniVersion, talosSchemas);
      if (finding) findings.push(finding);
    }
    return findings.length > 0 ? findings : [pass(`${fileRefs} patch file reference(s) resolve and ${patchFiles.length} patch file(s) pass Omni's checks`)];
  },
});
