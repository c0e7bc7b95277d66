import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { etcdMembers, services, targets } from "../../src/sources/talos/facts.ts";

export default defineCheck({
  meta: {
    id: "talos/etcd",
    title: "etcd runs on every control plane",
    severity: "error",
    sources: ["talos"],
    symptoms: ["etcd not healthy", "etcd not running", 'service "etcd" not in expected state "Running"', "etcd member ips", "are not subset of control plane node ips", "etcdserver: no leader", "lost quorum"],
    fixable: ["command", "manual"],
  },
  facts: { members: etcdMembers, services, targets },
  run({ members, services: all, targets: asked }) {
    const controlPlanes = asked.flatMap((t) => (t.controlPlanes ?? []).map((node) => ({ node, cluster: t.cluster })));
    if (controlPlanes.length === 0) return [skip("which nodes are control planes is unknown (Omni or Kubernetes tell it; a talosconfig alone does not)")];
    const findings: Finding[] = [];
    const broken: string[] = [];
    for (const { node, cluster } of controlPlanes) {
      const error = members.nodeErrors[node] ?? all.nodeErrors[node];
      if (error) {
        findings.push({ status: "error", subject: `control plane ${node}`, message: `talosctl could not ask it about etcd: ${error}` });
        broken.push(node);
        continue;
      }
      const etcd = all.rows.find((r) => r.node === node && r.service === "etcd");
      const member = members.resources.find((r) => r.node === node)?.spec.memberID;
      const problems: string[] = [];
      if (!etcd) problems.push("has no etcd service");
      else if (etcd.state !== "Running") problems.push(`runs no etcd: the service is ${etcd.state} (${etcd.lastEvent})`);
      else if (etcd.health === "Fail") problems.push(`runs an unhealthy etcd (${etcd.lastEvent})`);
      if (!member) problems.push(etcd?.state === "Running" ? "is not an etcd member yet" : "is not an etcd member");
      if (problems.length === 0) continue;
      broken.push(node);
      const talosctl = ["talosctl", ...(cluster ? ["--cluster", cluster] : []), "-n", node];
      findings.push({
        subject: `control plane ${node}`,
        message: problems.join(" and "),
        evidence: [...(etcd ? [`etcd service: ${etcd.state}, health ${etcd.health}, last event: ${etcd.lastEvent}`] : ["etcd service: not listed"]), `etcd member: ${member ?? "none"}`],
        fix: {
          summary: `Find out why etcd on ${node} does not run or join`,
          steps: [
            { kind: "command", description: "read etcd's log on the node", argv: [...talosctl, "logs", "etcd"], destructive: false },
            { kind: "manual", description: `if another control plane still lists a stale member for ${node} (\`talosctl -n <healthy control plane> etcd members\`), remove it with \`talosctl -n <healthy control plane> etcd remove-member <id>\` and let ${node} join again`, destructive: true },
          ],
        },
      });
    }
    const quorum = Math.floor(controlPlanes.length / 2) + 1;
    const healthy = controlPlanes.length - broken.length;
    if (healthy < quorum) {
      for (const finding of findings.filter((f) => !f.status)) finding.message += `; etcd has lost quorum (${healthy} of ${controlPlanes.length} members healthy, ${quorum} needed)`;
    }
    return findings.length > 0 ? findings : [pass(`${controlPlanes.length} control plane(s), each running a healthy etcd member`)];
  },
});
