import { isScalar, type Node } from "yaml";
import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { machineCount } from "../../src/sources/kit/cluster-templates.ts";
import { clusterTemplates } from "../../src/sources/kit/template-facts.ts";
import { replaceScalar } from "../../src/sources/kit/yaml-edit.ts";
import { editStep } from "../../src/sources/kit/text-edit.ts";
import { nodeAt } from "../../src/sources/kit/yaml-file.ts";

export default defineCheck({
  meta: {
    id: "template/control-plane-size",
    title: "Even number of control planes",
    severity: "warning",
    sources: ["files"],
    symptoms: ["etcd cluster is unavailable or misconfigured", "etcdserver: request timed out"],
    fixable: ["edit", "manual"],
  },
  facts: { clusterTemplates },
  run({ clusterTemplates }) {
    const controlPlanes = clusterTemplates.templates.flatMap((template) => template.machineSets.filter((s) => s.role === "controlplane").map((set) => ({ template, set })));
    if (controlPlanes.length === 0) return [skip("no ControlPlane document in the kit's templates")];
    const findings: Finding[] = [];
    for (const { template, set } of controlPlanes) {
      const count = machineCount(set);
      if (count === "unlimited" || count % 2 === 1) continue;
      const sizeNode = nodeAt(set.doc.doc.contents, ["machineClass", "size"]);
      const location = set.machineClass ? set.machineClass.size.location : set.doc.locate(["machines"]);
      const tolerated = Math.floor((count - 1) / 2);
      findings.push({
        subject: template.file.path,
        message:
          count === 0
            ? "the ControlPlane gets no machines: the cluster has no etcd and cannot start"
            : `${count} control planes: etcd needs ${count / 2 + 1} of them for quorum, so it survives ${tolerated} failure(s), no more than ${count - 1} would`,
        location,
        evidence: [`${location.file}:${location.line}:${location.column}: ${set.machineClass ? `size: ${set.machineClass.size.text}` : `${count} machines listed`}`],
        fix: {
          summary: `Run an odd number of control planes (${count + 1})`,
          steps: [
            (set.machineClass && isScalar(sizeNode) ? editStep(template.file, `set the ControlPlane size to ${count + 1}`, [replaceScalar(set.doc.tree, sizeNode as Node, String(count + 1))]) : undefined) ?? {
              kind: "manual",
              description: `list ${count + 1} machines (or ${count - 1}) under the ControlPlane's machines`,
              destructive: false,
            },
          ],
        },
      });
    }
    return findings.length > 0 ? findings : [pass(`${controlPlanes.length} control plane set(s) of odd size`)];
  },
});
