import { isMap, isScalar, type Node } from "yaml";
import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { machineClasses } from "../../src/sources/kit/facts.ts";
import { applyClass, classSubject, type MachineClassDoc } from "../../src/sources/kit/machine-classes.ts";
import { nearestName } from "../../src/sources/kit/providerdata.ts";
import { editStep, insertFirstKey } from "../../src/sources/kit/text-edit.ts";
import { replacePlainScalar } from "../../src/sources/kit/yaml-edit.ts";
import { isRecord, locationOf, nodeAt } from "../../src/sources/kit/yaml-file.ts";

const TYPE = "MachineClasses.omni.sidero.dev";
const NAMESPACE = "default";
const SPEC_KEYS = ["matchlabels", "autoprovision"];
const AUTOPROVISION_KEYS = ["providerid", "kernelargs", "metavalues", "grpctunnel", "providerdata"];

const COSI_SKELETON = `metadata: {namespace: default, type: ${TYPE}, id: <name>}, spec: {autoprovision: {providerid: proxmox, providerdata: "cores: 2\\nsockets: 1\\nmemory: 4096\\ndisk_size: 40\\nstorage_selector: name == \\"local-lvm\\""}}`;

/** Set `metadata.<key>`: replace its value, or add it as metadata's first entry. */
function setMetadata(mc: MachineClassDoc, key: string, value: string): string | undefined {
  const metadata = nodeAt(mc.doc.contents, ["metadata"]);
  const current = nodeAt(mc.doc.contents, ["metadata", key]);
  if (current) return replacePlainScalar(mc.file, current, value);
  if (!isMap(metadata) || metadata.items.length === 0 || metadata.flow) return undefined;
  return insertFirstKey(mc.file.text, locationOf(mc.file, metadata.items[0]!.key as Node), `${key}: ${value}`);
}

function misspelt(mc: MachineClassDoc, parent: string[], known: string[]): Finding[] {
  const map = nodeAt(mc.doc.contents, parent);
  if (!isMap(map)) return [];
  return map.items.flatMap((pair): Finding[] => {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined || known.includes(key)) return [];
    const meant = nearestName(key, known);
    const edit = meant ? editStep(mc.file, `rename ${key} to ${meant}`, replacePlainScalar(mc.file, pair.key as Node, meant)) : undefined;
    return [
      {
        subject: `${classSubject(mc)}: ${[...parent, key].join(".")}`,
        message: `${[...parent, key].join(".")} is not a field of a MachineClass${meant ? ` (did you mean ${meant}?)` : ""}; Omni ignores it silently, so it has no effect`,
        location: locationOf(mc.file, pair.key as Node),
        fix: { summary: meant ? `Rename it to ${meant}` : `Remove it; the fields of ${parent.join(".")} are ${known.join(", ")}`, steps: [edit ?? { kind: "manual", description: `correct ${key} in ${mc.file.path}`, destructive: false }, applyClass(mc)] },
      },
    ];
  });
}

function checkClass(mc: MachineClassDoc): Finding[] {
  const subject = classSubject(mc);
  const keys = Object.keys(mc.value);
  const wrongShape = keys.length !== 2 || !keys.includes("metadata") || !keys.includes("spec");
  if (wrongShape || !isRecord(mc.value.metadata) || !isRecord(mc.value.spec)) {
    const evidence = keys.length !== 2 ? `expected 4 elements node, got ${keys.length * 2}` : wrongShape ? `unexpected key ${keys.find((k) => k !== "metadata" && k !== "spec")}` : "metadata or spec node is missing";
    return [
      {
        subject,
        message: `not an Omni resource document: omnictl wants exactly metadata and spec${mc.form === "kubectl" ? " (this is the kubectl-style apiVersion/kind form, which omnictl cannot read)" : ""}`,
        location: mc.locateKey([keys[0] ?? "metadata"]),
        evidence: [evidence],
        fix: {
          summary: "Rewrite it as an Omni MachineClass resource",
          steps: [{ kind: "manual", description: `rewrite ${mc.file.path} in the Omni form, e.g. ${COSI_SKELETON}`, destructive: false }, applyClass(mc)],
        },
      },
    ];
  }
  const findings: Finding[] = [];
  const metadata = mc.value.metadata;
  const spec = mc.value.spec;
  if (metadata.type !== TYPE) {
    findings.push({
      subject: `${subject}: metadata.type`,
      message: metadata.type === undefined ? `metadata.type is missing; omnictl needs ${TYPE} to know what to create` : `metadata.type is ${JSON.stringify(metadata.type)}, not ${TYPE}`,
      location: mc.locateKey(["metadata", "type"]),
      fix: { summary: `Set metadata.type to ${TYPE}`, steps: [editStep(mc.file, `set metadata.type: ${TYPE}`, setMetadata(mc, "type", TYPE)) ?? { kind: "manual", description: `set metadata.type: ${TYPE}`, destructive: false }, applyClass(mc)] },
    });
  }
  if (metadata.namespace !== NAMESPACE) {
    findings.push({
      subject: `${subject}: metadata.namespace`,
      // A missing namespace may be defaulted by omnictl; a different one puts the class where Omni does not look.
      ...(metadata.namespace === undefined ? { severity: "warning" as const } : {}),
      message: metadata.namespace === undefined ? "metadata.namespace is missing; machine classes live in the default namespace, say so" : `metadata.namespace is ${JSON.stringify(metadata.namespace)}; machine classes live in the default namespace`,
      location: mc.locateKey(["metadata", "namespace"]),
      fix: { summary: "Set metadata.namespace to default", steps: [editStep(mc.file, "set metadata.namespace: default", setMetadata(mc, "namespace", NAMESPACE)) ?? { kind: "manual", description: "set metadata.namespace: default", destructive: false }, applyClass(mc)] },
    });
  }
  if (typeof metadata.id !== "string" || metadata.id === "") {
    findings.push({
      subject: `${subject}: metadata.id`,
      message: "metadata.id is missing: it is the class's name, which templates refer to",
      location: mc.locateKey(["metadata", "id"]),
      fix: { summary: "Name the class", steps: [{ kind: "manual", description: "add metadata.id: <name>", destructive: false }] },
    });
  }
  const labels = Array.isArray(spec.matchlabels) && spec.matchlabels.length > 0;
  const auto = isRecord(spec.autoprovision);
  if (labels && auto) {
    findings.push({
      subject: `${subject}: spec`,
      message: "spec has both matchlabels and autoprovision; a class either selects existing machines or provisions new ones",
      location: mc.locateKey(["spec", "matchlabels"]),
      evidence: ["can't set both auto provision and match labels at the same time"],
      fix: { summary: "Keep one of them", steps: [{ kind: "manual", description: "remove matchlabels (auto-provisioned class) or autoprovision (label-selected class)", destructive: false }, applyClass(mc)] },
    });
  } else if (!labels && !auto) {
    findings.push({
      subject: `${subject}: spec`,
      message: "spec has neither matchlabels nor autoprovision, so the class selects nothing",
      location: mc.locateKey(["spec"]),
      evidence: ["machine class should either have auto provision or match labels set"],
      fix: { summary: "Add autoprovision (or matchlabels)", steps: [{ kind: "manual", description: "add spec.autoprovision with providerid and providerdata", destructive: false }, applyClass(mc)] },
    });
  }
  findings.push(...misspelt(mc, ["spec"], SPEC_KEYS), ...misspelt(mc, ["spec", "autoprovision"], AUTOPROVISION_KEYS));
  return findings;
}

export default defineCheck({
  meta: {
    id: "machine-class/format",
    title: "Machine class is not in Omni's resource format",
    severity: "error",
    sources: ["files"],
    symptoms: [
      "expected 4 elements node, got <n>",
      "unexpected key <key>",
      "metadata or spec node is missing",
      "can't set both auto provision and match labels at the same time",
      "machine class should either have auto provision or match labels set",
    ],
    fixable: ["edit", "manual", "command"],
  },
  facts: { machineClasses },
  run({ machineClasses }) {
    if (machineClasses.length === 0) return [skip("no machine classes in the kit")];
    const findings = machineClasses.flatMap(checkClass);
    // The same id in two documents: applying the second overwrites the first.
    const seen = new Map<string, MachineClassDoc>();
    for (const mc of machineClasses) {
      if (!mc.id || mc.form !== "cosi") continue;
      const first = seen.get(mc.id);
      if (!first) {
        seen.set(mc.id, mc);
        continue;
      }
      findings.push({
        subject: `${mc.file.path}: ${mc.id}`,
        severity: "warning",
        message: `machine class ${mc.id} is also defined in ${first.file.path}; whichever is applied last replaces the other`,
        location: mc.locate(["metadata", "id"]),
        fix: { summary: "Give one of them another id", steps: [{ kind: "manual", description: `rename metadata.id in ${mc.file.path} (and the templates that use it)`, destructive: false }] },
      });
    }
    return findings.length > 0 ? findings : [pass(`${machineClasses.length} machine class(es) are Omni resources`)];
  },
});
