import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { pods, sealedSecrets } from "../../src/sources/kube/facts.ts";
import { manifests } from "../../src/sources/kit/facts.ts";
import { findManifest, manifestLocation } from "../../src/sources/kit/manifests.ts";
import type { KubeConditioned } from "../../src/sources/kube/objects.ts";
import type { Fix } from "../../src/model/result.ts";
import { conditionOf, findDeployment, runsImage } from "../../src/rules/kube-objects.ts";

const CONTROLLER_IMAGE = /sealed-secrets-controller|\/sealed-secrets(:|@|$)/;

/** kubeseal's --controller-namespace/--controller-name: the controller's Deployment (Helm names its Service alike), else kubeseal's defaults. */
const DEFAULT_CONTROLLER = { namespace: "kube-system", name: "sealed-secrets-controller" };

function fixFor(ss: KubeConditioned, message: string, controller: { namespace: string; name: string }): Fix {
  const { name, namespace = "default" } = ss.metadata;
  if (/no key could decrypt/i.test(message)) {
    return {
      summary: "Seal the secret again with this cluster's key",
      steps: [
        { kind: "command", description: "print the controller's current public certificate (save it as pub-cert.pem)", argv: ["kubeseal", "--controller-namespace", controller.namespace, "--controller-name", controller.name, "--fetch-cert"], destructive: false },
        {
          kind: "manual",
          description: `re-create Secret ${namespace}/${name} from its source values, seal it with \`kubeseal --cert pub-cert.pem --format yaml\` and commit the result; or restore the sealing key it was made with (a Secret labelled sealedsecrets.bitnami.com/sealed-secrets-key in ${controller.namespace}) from your backup`,
          destructive: false,
        },
      ],
    };
  }
  if (/already exists and is not managed by SealedSecret/i.test(message)) {
    return {
      summary: "Let the controller take over the existing Secret",
      steps: [{ kind: "command", description: `mark Secret ${namespace}/${name} as managed by its SealedSecret`, argv: ["kubectl", "annotate", "secret", name, "--namespace", namespace, "sealedsecrets.bitnami.com/managed=true", "--overwrite"], destructive: false }],
    };
  }
  return { summary: "Read the controller's reason", steps: [{ kind: "command", description: "see the SealedSecret's events", argv: ["kubectl", "describe", "sealedsecret.bitnami.com", name, "--namespace", namespace], destructive: false }] };
}

export default defineCheck({
  meta: {
    id: "kube/sealed-secrets",
    title: "SealedSecrets the controller cannot unseal",
    severity: "error",
    sources: ["kube", "files"],
    symptoms: ["no key could decrypt secret", "Failed to unseal: no key could decrypt secret (<keys>)", "ErrUnsealFailed", "Resource already exists and is not managed by SealedSecret"],
    fixable: ["command", "manual"],
  },
  facts: { sealedSecrets, pods: optional(pods), manifests: optional(manifests) },
  run({ sealedSecrets, pods, manifests }) {
    if (!sealedSecrets.installed) return [skip("Sealed Secrets is not installed (no SealedSecret kind)")];
    const controller = (pods.ok ? findDeployment(pods.value, runsImage(CONTROLLER_IMAGE)) : undefined) ?? DEFAULT_CONTROLLER;
    const findings: Finding[] = [];
    for (const ss of sealedSecrets.items) {
      const synced = conditionOf(ss.status.conditions, "Synced");
      if (synced?.status !== "False") continue;
      const message = synced.message ?? synced.reason ?? "";
      const manifest = manifests.ok ? findManifest(manifests.value, "SealedSecret", ss.metadata.name, ss.metadata.namespace) : undefined;
      findings.push({
        subject: `sealedsecret ${ss.metadata.namespace}/${ss.metadata.name}`,
        message: /no key could decrypt/i.test(message)
          ? "cannot be unsealed: it was sealed with a key this cluster's controller does not have (another cluster, a lost or replaced key), or for another name or namespace"
          : `is not unsealed: ${message}`,
        ...(manifest ? { location: manifestLocation(manifest, ["spec"]) } : {}),
        evidence: [`Synced=False${synced.reason ? ` reason=${synced.reason}` : ""} message=${message}`],
        fix: fixFor(ss, message, controller),
      });
    }
    return findings.length > 0 ? findings : [pass(`${sealedSecrets.items.length} SealedSecret(s) unsealed`)];
  },
});
