import { expect } from "vitest";
import check from "./tf-runner-tls.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { conditioned as conditionedSchema, pod as podSchema } from "../../src/sources/kube/objects.ts";
import { kube } from "../../test/harness/lab/kube.ts";

const pod = (...args: Parameters<typeof kube.pod>) => podSchema.parse(kube.pod(...args));
const terraform = conditionedSchema.parse(kube.conditioned("infra.contrib.fluxcd.io/v1alpha2", "Terraform", "flux-system", "authentik", [kube.condition("Ready", "Unknown", "Progressing", "Reconciliation in progress")]));
const terraforms = { installed: true, items: [terraform] };
const SECRET = "terraform-runner.tls-1763540000";
const runner = (o: { created: string; message?: string }) =>
  pod("flux-system", "authentik-tf-runner", {
    created: o.created,
    owner: { kind: "Terraform", name: "authentik" },
    labels: { "app.kubernetes.io/name": "tf-runner", "app.kubernetes.io/created-by": "tofu-controller", "tf.weave.works/tls-secret-name": SECRET },
    containers: [{ name: "tf-runner", image: "ghcr.io/flux-iac/tf-runner:v0.16.0-rc.5", args: ["--grpc-port", "30000", "--tls-secret-name", SECRET], state: "waiting:CrashLoopBackOff", restarts: 9, lastExit: { exitCode: 1, ...(o.message ? { message: o.message } : {}) } }],
  });
const controller = pod("flux-system", "tofu-controller-tf-controller-6b7f9c8d5-q2w3e", {
  owner: { kind: "ReplicaSet", name: "tofu-controller-tf-controller-6b7f9c8d5" },
  startTime: "2026-11-20T09:00:00Z",
  containers: [{ name: "manager", image: "ghcr.io/flux-iac/tofu-controller:v0.16.0-rc.5" }],
});

testCheck(check, {
  valid: [
    {
      name: "runner running",
      facts: { terraforms, pods: [controller, pod("flux-system", "authentik-tf-runner", { labels: { "app.kubernetes.io/name": "tf-runner" } })] },
      message: "1 Terraform object(s): no runner crash-looping",
    },
  ],
  invalid: [
    {
      name: "runner created before the controller restarted (003)",
      facts: { terraforms, pods: [controller, runner({ created: "2026-11-19T18:00:00Z" })] },
      results: [
        {
          status: "fail",
          subject: "terraform flux-system/authentik",
          message: /crash-loops because TLS secret "terraform-runner.tls-1763540000" is gone: the controller restarted after the runner was created/,
          evidence: [/CrashLoopBackOff, 9 restarts/, `tf.weave.works/tls-secret-name=${SECRET}`, /controller pod .* started 2026-11-20T09:00:00.000Z; runner created 2026-11-19T18:00:00Z/],
          fix: ["command", "command", "command"],
          satisfies: (r) => {
            const argv = r.fix!.steps.map((s) => (s.kind === "command" ? s.argv.join(" ") : ""));
            expect(argv).toEqual([
              "kubectl rollout restart deployment.apps/tofu-controller-tf-controller --namespace flux-system",
              "kubectl delete pod authentik-tf-runner --namespace flux-system",
              "kubectl annotate terraform.infra.contrib.fluxcd.io authentik --namespace flux-system reconcile.fluxcd.io/requestedAt=2026-11-20T10:00:00.000Z --overwrite",
            ]);
            expect(r.fix!.steps[1]!.destructive).toBe(true);
          },
        },
      ],
    },
    {
      name: "the termination message names the missing secret",
      facts: { terraforms, pods: [runner({ created: "2026-11-20T09:30:00Z", message: `secrets "${SECRET}" not found` })] },
      results: [{ status: "fail", message: /its log says so/, fix: ["manual", "command", "command"] }],
    },
    {
      name: "a crash loop without the signature is a warning saying what to look for",
      facts: { terraforms, pods: [controller, runner({ created: "2026-11-20T09:30:00Z" })] },
      results: [{ status: "warn", severity: "warning", message: /crash-loops \(9 restarts\); if its log says secrets "terraform-runner.tls-1763540000" not found/ }],
    },
    {
      name: "tofu-controller not installed: skipped, saying so",
      facts: { terraforms: { installed: false, items: [] }, pods: [] },
      results: [{ status: "skip", message: "tofu-controller is not installed (no Terraform kind)" }],
    },
  ],
  unavailable: [
    { name: "kubectl not installed", source: "kube", kind: "not-installed", status: "skip" },
    { name: "API server unreachable", source: "kube", kind: "unreachable", status: "error" },
  ],
});
