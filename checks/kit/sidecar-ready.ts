import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { deployment } from "../../src/sources/kit/facts.ts";
import { serviceSubject } from "../../src/sources/kit/compose.ts";
import { isRecord } from "../../src/sources/kit/yaml-file.ts";

/** The sidecar's healthcheck, unless it is absent or disabled. */
function healthcheck(value: Record<string, unknown>): unknown {
  const check = value.healthcheck;
  return isRecord(check) && check.disable !== true && !(Array.isArray(check.test) && check.test[0] === "NONE") ? check : undefined;
}

export default defineCheck({
  meta: {
    id: "kit/sidecar-ready",
    title: "Omni or the provider starts before its Tailscale sidecar is ready",
    severity: "warning",
    sources: ["files"],
    symptoms: ["lookup <host> on 127.0.0.11:53: no such host", "lookup <host> on 100.100.100.100:53: no such host", "net/http: TLS handshake timeout"],
    fixable: ["manual"],
  },
  facts: { deployment },
  run({ deployment }) {
    if (deployment.sidecars.length === 0) return [skip("no Omni or provider service shares the network of a Tailscale container")];
    const findings: Finding[] = [];
    for (const { user, sidecar } of deployment.sidecars) {
      const dependsOn = user.value.depends_on;
      const entry = isRecord(dependsOn) ? dependsOn[sidecar.name] : undefined;
      const condition = isRecord(entry) ? entry.condition : undefined;
      const hasCheck = healthcheck(sidecar.value) !== undefined;
      if (condition === "service_healthy" && hasCheck) continue;
      const problems = [
        condition === "service_healthy" ? "" : `${user.name} does not wait for ${sidecar.name} to be healthy (depends_on with condition: service_healthy)`,
        hasCheck ? "" : `${sidecar.name} has no healthcheck, so it never becomes healthy`,
      ].filter(Boolean);
      findings.push({
        subject: `${serviceSubject(user)} → ${sidecar.name}`,
        message: `${problems.join("; ")}: on a cold start ${user.name} runs before the tailnet and its DNS are up`,
        location: user.locateKey(["depends_on"]),
        fix: {
          summary: `Make ${user.name} wait for a healthy ${sidecar.name}`,
          steps: [
            {
              kind: "manual",
              description: `in ${user.file.path}: under ${user.name}, depends_on: {${sidecar.name}: {condition: service_healthy}}; under ${sidecar.name}, healthcheck: {test: ["CMD", "tailscale", "status"], interval: 10s, retries: 5}`,
              destructive: false,
            },
          ],
        },
      });
    }
    return findings.length > 0 ? findings : [pass(`${deployment.sidecars.length} service(s) wait for a healthy Tailscale sidecar`)];
  },
});
