import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { certificates, challenges } from "../../src/sources/kube/facts.ts";
import type { KubeCertificate, KubeChallenge } from "../../src/sources/kube/objects.ts";
import type { Fix } from "../../src/model/result.ts";
import { conditionOf, minutesSince, STUCK_AFTER_MINUTES } from "../../src/rules/kube-objects.ts";

/** Why a challenge fails, from cert-manager's reason text, and what to do about it. */
function challengeCause(challenge: KubeChallenge): { cause: string; fix: Fix } {
  const { name, namespace = "default" } = challenge.metadata;
  const reason = challenge.status.reason ?? "";
  const retry: Fix["steps"][number] = { kind: "command", description: "delete the challenge; cert-manager makes a new one", argv: ["kubectl", "delete", "challenge.acme.cert-manager.io", name, "--namespace", namespace], destructive: true };
  if (/propagation check failed|not yet propagated|no such host/i.test(reason)) {
    return {
      cause: "cert-manager cannot see the TXT record through its resolvers (often name servers that changed and are still cached)",
      fix: {
        summary: "Make the DNS-01 record visible, then retry",
        steps: [{ kind: "manual", description: `check the zone's NS records and their TTL (\`dig ${challenge.spec.dnsName ?? "<domain>"} NS\`); wait for stale records to expire`, destructive: false }, retry],
      },
    };
  }
  if (/webhook/i.test(reason)) {
    return {
      cause: "the DNS-01 webhook solver failed (its pod, or the DNS provider's API behind it)",
      fix: {
        summary: "Repair the webhook solver, then retry",
        steps: [{ kind: "manual", description: "check that the webhook solver's pod in the cert-manager namespace runs and can reach the DNS provider's API with its key", destructive: false }, retry],
      },
    };
  }
  return { cause: reason || "no reason given", fix: { summary: "Retry the challenge", steps: [retry] } };
}

function judgeChallenge(challenge: KubeChallenge, now: Date): Finding | undefined {
  const state = challenge.status.state ?? "";
  if (state === "valid" || state === "ready") return undefined;
  const failed = state === "invalid" || state === "errored";
  const minutes = minutesSince(challenge.metadata.creationTimestamp, now) ?? 0;
  // A pending challenge is normal while DNS propagates; it is a problem once it stays pending.
  if (!failed && minutes < STUCK_AFTER_MINUTES) return undefined;
  const { cause, fix } = challengeCause(challenge);
  return {
    subject: `challenge ${challenge.metadata.namespace}/${challenge.metadata.name}`,
    message: `${challenge.spec.type ?? "ACME"} challenge for ${challenge.spec.dnsName ?? "?"} ${failed ? `failed (${state})` : `has been ${state || "pending"} for ${minutes} minutes`}: ${cause}`,
    evidence: [`state=${state} reason=${challenge.status.reason ?? ""}`],
    fix,
  };
}

function judgeCertificate(certificate: KubeCertificate, now: Date): Finding | undefined {
  const { name, namespace = "default" } = certificate.metadata;
  const expiredFor = minutesSince(certificate.status.notAfter, now);
  const ready = conditionOf(certificate.status.conditions, "Ready");
  const subject = `certificate ${namespace}/${name}`;
  const inspect: Fix = {
    summary: "See where issuance stops (request, order, challenge)",
    steps: [{ kind: "command", description: "read the certificate's status and events", argv: ["kubectl", "describe", "certificate.cert-manager.io", name, "--namespace", namespace], destructive: false }],
  };
  if (expiredFor !== undefined && expiredFor > 0) {
    return { subject, message: `expired ${certificate.status.notAfter} and was not renewed${ready?.message ? `: ${ready.message}` : ""}`, evidence: [`notAfter=${certificate.status.notAfter}`], fix: inspect };
  }
  if (!ready || ready.status === "True") return undefined;
  const minutes = minutesSince(ready.lastTransitionTime, now);
  // Issuance takes minutes; only a certificate that stays unready is a problem.
  if (minutes !== undefined && minutes < STUCK_AFTER_MINUTES) return undefined;
  return {
    subject,
    message: `is not Ready${minutes !== undefined ? ` for ${minutes} minutes` : ""}: ${ready.message ?? ready.reason ?? "no reason given"}`,
    evidence: [`Ready=${ready.status} reason=${ready.reason ?? ""}`, ...(certificate.spec.dnsNames.length > 0 ? [`dnsNames=${certificate.spec.dnsNames.join(",")}`] : [])],
    fix: inspect,
  };
}

export default defineCheck({
  meta: {
    id: "kube/cert-manager",
    title: "cert-manager certificates not issued",
    severity: "error",
    sources: ["kube"],
    symptoms: ["propagation check failed", "Waiting for DNS-01 challenge propagation", "webhook call failed", "Issuing certificate as Secret does not exist"],
    fixable: ["command", "manual"],
  },
  facts: { certificates, challenges },
  run({ certificates, challenges }, { now }) {
    if (!certificates.installed && !challenges.installed) return [skip("cert-manager is not installed (no Certificate or Challenge kind)")];
    const findings = [...challenges.items.map((c) => judgeChallenge(c, now)), ...certificates.items.map((c) => judgeCertificate(c, now))].filter((f): f is Finding => f !== undefined);
    return findings.length > 0 ? findings : [pass(`${certificates.items.length} certificate(s) Ready, no challenge failing`)];
  },
});
