import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { externalSecrets, pushSecrets } from "../../src/sources/kube/facts.ts";
import { manifests } from "../../src/sources/kit/facts.ts";
import { findManifest, manifestLocation } from "../../src/sources/kit/manifests.ts";
import { generatedClientSecret, generatedClientSecretMessage, pushedToStore, readFromStoreFix, usualStore } from "../../src/rules/eso-password-generator.ts";

export default defineCheck({
  meta: {
    id: "kube/eso-password-generator",
    title: "OIDC client secret made by an External Secrets Password generator",
    severity: "error",
    sources: ["kube", "files"],
    symptoms: ["invalid client credentials", "invalid_client"],
    fixable: ["edit", "manual"],
  },
  facts: { externalSecrets, pushSecrets: optional(pushSecrets), manifests: optional(manifests) },
  run({ externalSecrets, pushSecrets, manifests }) {
    if (!externalSecrets.installed) return [skip("External Secrets Operator is not installed (no ExternalSecret kind)")];
    const pushed = pushSecrets.ok ? pushSecrets.value.items : [];
    const store = usualStore(externalSecrets.items);
    const findings: Finding[] = [];
    for (const es of externalSecrets.items) {
      const found = generatedClientSecret(es);
      if (!found || pushedToStore(es.metadata.namespace, found.target, pushed)) continue;
      const manifest = manifests.ok ? findManifest(manifests.value, "ExternalSecret", es.metadata.name, es.metadata.namespace) : undefined;
      findings.push({
        subject: `externalsecret ${es.metadata.namespace}/${es.metadata.name}`,
        message: generatedClientSecretMessage(found),
        ...(manifest ? { location: manifestLocation(manifest, ["spec"]) } : {}),
        evidence: found.generators.map((g) => `generatorRef kind=Password name=${g}`),
        fix: readFromStoreFix(es, found, store, manifest),
      });
    }
    return findings.length > 0 ? findings : [pass(`${externalSecrets.items.length} ExternalSecret(s): no client secret comes from a Password generator`)];
  },
});
