import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { helmReleases, kustomizations, pods } from "../../src/sources/kube/facts.ts";
import type { KubeConditioned, KubePod } from "../../src/sources/kube/objects.ts";
import type { FixStep } from "../../src/model/result.ts";
import { conditionOf, findDeployment, minutesSince, runsImage, STUCK_AFTER_MINUTES } from "../../src/rules/kube-objects.ts";

interface FluxKind {
  /** kubectl's full name, so it never picks another group's kind of the same name. */
  resource: string;
  label: string;
  controller: string;
}

const KUSTOMIZATION: FluxKind = { resource: "kustomization.kustomize.toolkit.fluxcd.io", label: "kustomization", controller: "kustomize-controller" };
const HELM_RELEASE: FluxKind = { resource: "helmrelease.helm.toolkit.fluxcd.io", label: "helmrelease", controller: "helm-controller" };

/** A Flux controller's Deployment, found by its image; Flux's own names in flux-system when its pods are not visible. */
function controllerOf(kind: FluxKind, pods: readonly KubePod[]): { namespace: string; name: string } {
  return findDeployment(pods, runsImage(new RegExp(`/fluxcd/${kind.controller}[:@]`))) ?? { namespace: "flux-system", name: kind.controller };
}

function judge(kind: FluxKind, object: KubeConditioned, controller: { namespace: string; name: string }, now: Date): Finding | undefined {
  if (object.spec.suspend) return undefined; // suspended on purpose
  const ready = conditionOf(object.status.conditions, "Ready");
  if (!ready || ready.status === "True") return undefined;
  const { name, namespace = "default" } = object.metadata;
  const minutes = minutesSince(ready.lastTransitionTime, now);
  const message = ready.message ?? "";
  const subject = `${kind.label} ${namespace}/${name}`;
  const evidence = [`Ready=${ready.status} reason=${ready.reason ?? ""} message=${message}`];
  const token = now.toISOString();
  const reconcileStep = (extraAnnotations: string[] = []): FixStep => ({
    kind: "command",
    description: `ask ${kind.controller} to reconcile ${subject} now`,
    argv: ["kubectl", "annotate", kind.resource, name, "--namespace", namespace, `reconcile.fluxcd.io/requestedAt=${token}`, ...extraAnnotations, "--overwrite"],
    destructive: false,
  });
  if (ready.status === "Unknown") {
    if (minutes === undefined || minutes < STUCK_AFTER_MINUTES) return undefined;
    return { subject, severity: "warning", message: `has been reconciling for ${minutes} minutes: ${message || ready.reason || "no progress reported"}`, evidence, fix: { summary: "Reconcile it again", steps: [reconcileStep()] } };
  }
  if (ready.reason === "DependencyNotReady") {
    // The dependency is reported on its own; this one only waits for it.
    return { subject, severity: "warning", message: `waits for a dependency: ${message}`, evidence };
  }
  if (/no matches for kind/i.test(message)) {
    return {
      subject,
      message: `cannot apply: ${kind.controller} does not know a kind whose CRD was installed after it started (${message})`,
      evidence,
      fix: {
        summary: `Restart ${kind.controller} so it sees the new CRDs`,
        steps: [{ kind: "command", description: `restart ${kind.controller}`, argv: ["kubectl", "rollout", "restart", `deployment.apps/${controller.name}`, "--namespace", controller.namespace], destructive: false }, reconcileStep()],
      },
    };
  }
  // A HelmRelease that used up its retries waits for a reset, not just a new request.
  const reset = /retries exhausted/i.test(message) ? [`reconcile.fluxcd.io/resetAt=${token}`] : [];
  return {
    subject,
    message: `is not Ready: ${message || ready.reason || "no reason given"}`,
    evidence,
    fix: {
      summary: "Fix the cause in its source, then reconcile it",
      steps: [
        { kind: "command", description: `read ${kind.controller}'s log`, argv: ["kubectl", "logs", `deployment/${controller.name}`, "--namespace", controller.namespace, "--tail", "50"], destructive: false },
        reconcileStep(reset),
      ],
    },
  };
}

export default defineCheck({
  meta: {
    id: "kube/flux",
    title: "Flux Kustomizations or HelmReleases not Ready",
    severity: "error",
    sources: ["kube"],
    symptoms: ["no matches for kind <kind> in version <version>", "dependency '<name>' is not ready", "install retries exhausted", "upgrade retries exhausted"],
    fixable: ["command"],
  },
  facts: { kustomizations, helmReleases, pods: optional(pods) },
  run({ kustomizations, helmReleases, pods }, { now }) {
    if (!kustomizations.installed && !helmReleases.installed) return [skip("Flux is not installed (no Kustomization or HelmRelease kind)")];
    const visible = pods.ok ? pods.value : [];
    const judgeAll = (kind: FluxKind, objects: KubeConditioned[]) => {
      const controller = controllerOf(kind, visible);
      return objects.map((object) => judge(kind, object, controller, now));
    };
    const findings = [...judgeAll(KUSTOMIZATION, kustomizations.items), ...judgeAll(HELM_RELEASE, helmReleases.items)].filter((f): f is Finding => f !== undefined);
    return findings.length > 0 ? findings : [pass(`${kustomizations.items.length} Kustomization(s) and ${helmReleases.items.length} HelmRelease(s) Ready or suspended`)];
  },
});
