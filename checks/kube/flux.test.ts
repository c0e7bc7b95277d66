import { expect } from "vitest";
import check from "./flux.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { conditioned as conditionedSchema } from "../../src/sources/kube/objects.ts";
import { kube } from "../../test/harness/lab/kube.ts";

type Ready = Parameters<typeof kube.condition>;
const ks = (name: string, ...ready: Ready) =>
  conditionedSchema.parse(kube.conditioned("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "flux-system", name, [kube.condition(...ready)]));
const hr = (namespace: string, name: string, ...ready: Ready) => conditionedSchema.parse(kube.conditioned("helm.toolkit.fluxcd.io/v2", "HelmRelease", namespace, name, [kube.condition(...ready)]));
const list = <T>(...items: T[]) => ({ installed: true, items });
const none = { installed: false, items: [] };

testCheck(check, {
  valid: [
    {
      name: "Ready, suspended, or reconciling for a short while",
      facts: {
        kustomizations: list(
          ks("apps", "Ready", "True", "ReconciliationSucceeded", "Applied revision: main@sha1:0a1b2c"),
          conditionedSchema.parse(kube.conditioned("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "flux-system", "paused", [kube.condition("Ready", "False", "BuildFailed", "x")], { suspend: true })),
          ks("infra", "Ready", "Unknown", "Progressing", "Reconciliation in progress", "2026-11-20T09:58:00Z"),
        ),
        helmReleases: list(hr("monitoring", "grafana", "Ready", "True", "UpgradeSucceeded", "Helm upgrade succeeded")),
      },
      message: "3 Kustomization(s) and 1 HelmRelease(s) Ready or suspended",
    },
  ],
  invalid: [
    {
      name: "no matches for kind: restart kustomize-controller (003)",
      facts: {
        kustomizations: list(ks("apps", "Ready", "False", "ReconciliationFailed", 'ServiceMonitor/monitoring/app dry-run failed: no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1"')),
        helmReleases: none,
      },
      results: [
        {
          status: "fail",
          subject: "kustomization flux-system/apps",
          message: /does not know a kind whose CRD was installed after it started/,
          satisfies: (r) => {
            const argv = r.fix!.steps.map((s) => (s.kind === "command" ? s.argv.join(" ") : ""));
            expect(argv).toEqual([
              "kubectl rollout restart deployment.apps/kustomize-controller --namespace flux-system",
              "kubectl annotate kustomization.kustomize.toolkit.fluxcd.io apps --namespace flux-system reconcile.fluxcd.io/requestedAt=2026-11-20T10:00:00.000Z --overwrite",
            ]);
          },
        },
      ],
    },
    {
      name: "a HelmRelease out of retries gets a reset; its dependants are warnings; a long reconciliation too",
      facts: {
        kustomizations: list(ks("apps", "Ready", "False", "DependencyNotReady", "dependency 'flux-system/infra' is not ready"), ks("infra", "Ready", "Unknown", "Progressing", "Reconciliation in progress")),
        helmReleases: list(hr("storage", "longhorn", "Ready", "False", "InstallFailed", "Helm install failed for release storage/longhorn: install retries exhausted")),
      },
      results: [
        { status: "warn", subject: "kustomization flux-system/apps", message: "waits for a dependency: dependency 'flux-system/infra' is not ready" },
        { status: "warn", subject: "kustomization flux-system/infra", message: /has been reconciling for 120 minutes/ },
        {
          status: "fail",
          subject: "helmrelease storage/longhorn",
          message: /is not Ready: Helm install failed/,
          satisfies: (r) => {
            const step = r.fix!.steps[1]!;
            expect(step.kind === "command" && step.argv.slice(-3)).toEqual(["reconcile.fluxcd.io/requestedAt=2026-11-20T10:00:00.000Z", "reconcile.fluxcd.io/resetAt=2026-11-20T10:00:00.000Z", "--overwrite"]);
          },
        },
      ],
    },
    { name: "Flux not installed", facts: { kustomizations: none, helmReleases: none }, results: [{ status: "skip", message: "Flux is not installed (no Kustomization or HelmRelease kind)" }] },
  ],
  unavailable: [
    { name: "kubectl not installed", source: "kube", kind: "not-installed", status: "skip" },
    { name: "credentials refused", source: "kube", kind: "auth", status: "error" },
  ],
});
