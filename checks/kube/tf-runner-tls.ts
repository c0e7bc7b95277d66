import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { pods, terraforms } from "../../src/sources/kube/facts.ts";
import type { KubePod } from "../../src/sources/kube/objects.ts";
import type { FixStep } from "../../src/model/result.ts";
import { containerTroubles, isCrashLooping, podOwner } from "../../src/rules/kube-objects.ts";

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

/** When the controller (re)started: its startup clean-up deletes the TLS secrets that existed before. */
function controllerOf(pods: readonly KubePod[]): { pod: KubePod; started: number } | undefined {
  return pods
    .filter((p) => !isRunner(p) && p.spec.containers.some((c) => CONTROLLER_IMAGE.test(c.image ?? "")))
    .map((pod) => ({ pod, started: Date.parse(pod.status.startTime ?? pod.metadata.creationTimestamp ?? "") }))
    .filter((c) => !Number.isNaN(c.started))
    .sort((a, b) => b.started - a.started)[0];
}

export default defineCheck({
  meta: {
    id: "kube/tf-runner-tls",
    title: "tofu-controller runners crash on a missing TLS secret",
    severity: "error",
    sources: ["kube"],
    symptoms: ['secrets "terraform-runner.tls-<id>" not found', "TLS already generated for"],
    fixable: ["command"],
  },
  facts: { terraforms, pods },
  run({ terraforms, pods }, { now }) {
    if (!terraforms.installed) return [skip("tofu-controller is not installed (no Terraform kind)")];
    const controller = controllerOf(pods);
    const runners = pods.filter((p) => isRunner(p) && isCrashLooping(p));
    const findings: Finding[] = runners.map((runner) => {
      const namespace = runner.metadata.namespace ?? "flux-system";
      const owner = runner.metadata.ownerReferences.find((r) => r.kind === "Terraform")?.name ?? runner.metadata.name.replace(/-tf-runner$/, "");
      const secret = tlsSecretOf(runner);
      const trouble = containerTroubles(runner).find((t) => t.reason === "CrashLoopBackOff")!;
      const logSaysMissing = SECRET_NOT_FOUND.test(`${trouble.message} ${trouble.lastMessage ?? ""}`);
      const created = Date.parse(runner.metadata.creationTimestamp ?? "");
      const startedBeforeController = controller !== undefined && created < controller.started;
      const certain = logSaysMissing || startedBeforeController;
      const controllerDeployment = controller ? podOwner(controller.pod) : undefined;
      const steps: FixStep[] = [];
      if (controller && controllerDeployment?.kind === "Deployment") {
        steps.push({
          kind: "command",
          description: "restart the controller so it forgets the TLS secrets it believes exist",
          argv: ["kubectl", "rollout", "restart", `deployment.apps/${controllerDeployment.name}`, "--namespace", controller.pod.metadata.namespace ?? namespace],
          destructive: false,
        });
      } else {
        steps.push({ kind: "manual", description: "restart the tofu-controller deployment so it forgets the TLS secrets it believes exist", destructive: false });
      }
      steps.push(
        { kind: "command", description: "delete the stuck runner; the controller starts a new one with a fresh secret", argv: ["kubectl", "delete", "pod", runner.metadata.name, "--namespace", namespace], destructive: true },
        {
          kind: "command",
          description: `ask for a reconciliation of terraform ${namespace}/${owner} now`,
          argv: ["kubectl", "annotate", "terraform.infra.contrib.fluxcd.io", owner, "--namespace", namespace, `reconcile.fluxcd.io/requestedAt=${now.toISOString()}`, "--overwrite"],
          destructive: false,
        },
      );
      const secretText = secret ? `TLS secret "${secret}"` : "its TLS secret";
      return {
        subject: `terraform ${namespace}/${owner}`,
        ...(certain ? {} : { severity: "warning" as const }),
        message: certain
          ? `runner pod ${runner.metadata.name} crash-loops because ${secretText} is gone: ${logSaysMissing ? "its log says so" : "the controller restarted after the runner was created, and its startup clean-up deletes existing runner secrets"}, while the controller still believes it exists`
          : `runner pod ${runner.metadata.name} crash-loops (${trouble.restarts} restarts); if its log says secrets "${secret ?? "terraform-runner.tls-..."}" not found, the controller lost track of ${secretText}`,
        evidence: [
          `pod ${namespace}/${runner.metadata.name}: CrashLoopBackOff, ${trouble.restarts} restarts${trouble.lastExit ? `, last ${trouble.lastExit}` : ""}`,
          ...(secret ? [`${TLS_SECRET_LABEL}=${secret}`] : []),
          ...(trouble.lastMessage ? [trouble.lastMessage] : []),
          ...(controller ? [`controller pod ${controller.pod.metadata.namespace}/${controller.pod.metadata.name} started ${new Date(controller.started).toISOString()}; runner created ${runner.metadata.creationTimestamp ?? "?"}`] : []),
        ],
        fix: { summary: "Restart tofu-controller and let it issue new runner secrets", steps },
      };
    });
    return findings.length > 0 ? findings : [pass(`${terraforms.items.length} Terraform object(s): no runner crash-looping`)];
  },
});
