import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { pods, terraforms } from "../../src/sources/kube/facts.ts";
import type { KubePod } from "../../src/sources/kube/objects.ts";
import type { FixStep } from "../../src/model/result.ts";
import { containerTroubles, findDeployment, isCrashLooping, runsImage, type DeploymentPods } from "../../src/rules/kube-objects.ts";

/** Label tofu-controller (and tf-controller before it) puts on runner pods, naming the TLS secret they were started with. */
const TLS_SECRET_LABEL = "tf.weave.works/tls-secret-name";
const CONTROLLER_IMAGE = /\/(tofu|tf)-controller(:|@|$)/;
const SECRET_NOT_FOUND = /secrets? "?terraform-runner\.tls-[^"\s]*"? not found/i;

const isRunner = (pod: KubePod) => pod.metadata.labels["app.kubernetes.io/name"] === "tf-runner";

function tlsSecretOf(runner: KubePod): string | undefined {
  const labelled = runner.metadata.labels[TLS_SECRET_LABEL];
  if (labelled) return labelled;
  const args = runner.spec.containers.flatMap((c) => c.args);
  const at = args.indexOf("--tls-secret-name");
  return at >= 0 ? args[at + 1] : undefined;
}

/** When the controller last (re)started: its startup clean-up deletes the TLS secrets that existed before. */
function lastStart(controller: DeploymentPods): { pod: KubePod; started: number } | undefined {
  return controller.pods
    .map((pod) => ({ pod, started: Date.parse(pod.status.startTime ?? pod.metadata.creationTimestamp ?? "") }))
    .filter((c) => !Number.isNaN(c.started))
    .sort((a, b) => b.started - a.started)[0];
}

function restartStep(controller: DeploymentPods | undefined): FixStep {
  const description = "restart the controller so it forgets the TLS secrets it believes exist";
  return controller
    ? { kind: "command", description, argv: ["kubectl", "rollout", "restart", `deployment.apps/${controller.name}`, "--namespace", controller.namespace], destructive: false }
    : { kind: "manual", description: `${description} (kubectl rollout restart of the tofu-controller Deployment)`, destructive: false };
}

function runnerFinding(runner: KubePod, controller: DeploymentPods | undefined, now: Date): Finding {
  const namespace = runner.metadata.namespace ?? "flux-system";
  const terraform = runner.metadata.ownerReferences.find((r) => r.kind === "Terraform")?.name ?? runner.metadata.name.replace(/-tf-runner$/, "");
  const secret = tlsSecretOf(runner);
  const trouble = containerTroubles(runner).find((t) => t.reason === "CrashLoopBackOff")!;
  const logSaysMissing = SECRET_NOT_FOUND.test(`${trouble.message} ${trouble.lastMessage ?? ""}`);
  const started = controller ? lastStart(controller) : undefined;
  const startedBeforeController = started !== undefined && Date.parse(runner.metadata.creationTimestamp ?? "") < started.started;
  const certain = logSaysMissing || startedBeforeController;
  const secretText = secret ? `TLS secret "${secret}"` : "its TLS secret";
  return {
    subject: `terraform ${namespace}/${terraform}`,
    ...(certain ? {} : { severity: "warning" as const }),
    message: certain
      ? `runner pod ${runner.metadata.name} crash-loops because ${secretText} is gone: ${logSaysMissing ? "its log says so" : "the controller restarted after the runner was created, and its startup clean-up deletes existing runner secrets"}, while the controller still believes it exists`
      : `runner pod ${runner.metadata.name} crash-loops (${trouble.restarts} restarts); if its log says secrets "${secret ?? "terraform-runner.tls-..."}" not found, the controller lost track of ${secretText}`,
    evidence: [
      `pod ${namespace}/${runner.metadata.name}: CrashLoopBackOff, ${trouble.restarts} restarts${trouble.lastExit ? `, last ${trouble.lastExit}` : ""}`,
      ...(secret ? [`${TLS_SECRET_LABEL}=${secret}`] : []),
      ...(trouble.lastMessage ? [trouble.lastMessage] : []),
      ...(started ? [`controller pod ${started.pod.metadata.namespace}/${started.pod.metadata.name} started ${new Date(started.started).toISOString()}; runner created ${runner.metadata.creationTimestamp ?? "?"}`] : []),
    ],
    fix: {
      summary: "Restart tofu-controller and let it issue new runner secrets",
      steps: [
        restartStep(controller),
        { kind: "command", description: "delete the stuck runner; the controller starts a new one with a fresh secret", argv: ["kubectl", "delete", "pod", runner.metadata.name, "--namespace", namespace], destructive: true },
        {
          kind: "command",
          description: `ask for a reconciliation of terraform ${namespace}/${terraform} now`,
          argv: ["kubectl", "annotate", "terraform.infra.contrib.fluxcd.io", terraform, "--namespace", namespace, `reconcile.fluxcd.io/requestedAt=${now.toISOString()}`, "--overwrite"],
          destructive: false,
        },
      ],
    },
  };
}

export default defineCheck({
  meta: {
    id: "kube/tf-runner-tls",
    title: "tofu-controller runners crash on a missing TLS secret",
    severity: "error",
    sources: ["kube"],
    symptoms: ['secrets "terraform-runner.tls-<id>" not found', "TLS already generated for"],
    fixable: ["command", "manual"],
  },
  facts: { terraforms, pods },
  run({ terraforms, pods }, { now }) {
    if (!terraforms.installed) return [skip("tofu-controller is not installed (no Terraform kind)")];
    const controller = findDeployment(pods, runsImage(CONTROLLER_IMAGE));
    const findings = pods.filter((p) => isRunner(p) && isCrashLooping(p)).map((runner) => runnerFinding(runner, controller, now));
    return findings.length > 0 ? findings : [pass(`${terraforms.items.length} Terraform object(s): no runner crash-looping`)];
  },
});
