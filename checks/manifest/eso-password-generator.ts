import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { manifests } from "../../src/sources/kit/facts.ts";
import { manifestLocation, manifestObjects } from "../../src/sources/kit/manifests.ts";
import { externalSecret, pushSecret } from "../../src/sources/kube/objects.ts";
import { generatedClientSecret, generatedClientSecretMessage, pushedToStore, readFromStoreFix, usualStore } from "../../src/rules/eso-password-generator.ts";

export default defineCheck({
  meta: {
    id: "manifest/eso-password-generator",
    title: "OIDC client secret manifest uses an External Secrets Password generator",
    severity: "error",
    sources: ["files"],
    symptoms: ["invalid client credentials", "invalid_client"],
    fixable: ["edit", "manual"],
  },
  facts: { manifests },
  run({ manifests }) {
    const secrets = manifestObjects(manifests, "ExternalSecret", externalSecret);
    if (secrets.length === 0) return [skip("no ExternalSecret manifests in the kit")];
    const pushed = manifestObjects(manifests, "PushSecret", pushSecret).map((p) => p.object);
    const store = usualStore(secrets.map((s) => s.object));
    const findings: Finding[] = [];
    for (const { manifest, object } of secrets) {
      const found = generatedClientSecret(object);
      if (!found || pushedToStore(object.metadata.namespace, found.target, pushed)) continue;
      findings.push({
        subject: `externalsecret ${manifest.name} in ${manifest.file.path}`,
        message: generatedClientSecretMessage(found),
        location: manifestLocation(manifest, ["spec"]),
        evidence: found.generators.map((g) => `generatorRef kind=Password name=${g}`),
        fix: readFromStoreFix(object, found, store, manifest),
      });
    }
    return findings.length > 0 ? findings : [pass(`${secrets.length} ExternalSecret manifest(s): no client secret comes from a Password generator`)];
  },
});
