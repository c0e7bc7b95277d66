import { expect } from "vitest";
import check from "./eso-password-generator.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { externalSecret as externalSecretSchema, pushSecret as pushSecretSchema } from "../../src/sources/kube/objects.ts";
import { manifestDocs } from "../../src/sources/kit/manifests.ts";
import { kube } from "../../test/harness/lab/kube.ts";

const es = (...args: Parameters<typeof kube.externalSecret>) => externalSecretSchema.parse(kube.externalSecret(...args));
const generated = es("wiki", "wiki-oidc", { dataFrom: [{ sourceRef: { generatorRef: { apiVersion: "generators.external-secrets.io/v1alpha1", kind: "Password", name: "wiki-oidc-generator" } } }] });
const fromStore = es("git", "git-oidc", { secretStoreRef: { name: "vault-backend", kind: "ClusterSecretStore" }, dataFrom: [{ extract: { key: "sso/git" } }] });
const installed = <T>(items: T[]) => ({ installed: true, items });

testCheck(check, {
  valid: [
    { name: "every client secret read from the store", facts: { externalSecrets: installed([fromStore]), pushSecrets: installed([]) }, message: /1 ExternalSecret\(s\)/ },
    {
      name: "a generated secret pushed to the store by a PushSecret",
      facts: { externalSecrets: installed([generated]), pushSecrets: installed([pushSecretSchema.parse(kube.pushSecret("wiki", "wiki-oidc-push", "wiki-oidc"))]) },
    },
  ],
  invalid: [
    {
      name: "a live OIDC client secret from a Password generator (003)",
      facts: { externalSecrets: installed([generated, fromStore]), pushSecrets: installed([]) },
      results: [{ status: "fail", subject: "externalsecret wiki/wiki-oidc", message: /from Password generator "wiki-oidc-generator"/, fix: ["manual"] }],
    },
    {
      name: "External Secrets not installed: skipped, saying so",
      facts: { externalSecrets: { installed: false, items: [] }, pushSecrets: { installed: false, items: [] } },
      results: [{ status: "skip", message: "External Secrets Operator is not installed (no ExternalSecret kind)" }],
    },
    {
      name: "traced to the kit's manifest: an edit to read it from the store",
      facts: {
        externalSecrets: installed([generated, fromStore]),
        pushSecrets: installed([]),
        manifests: manifestDocs(
          kitFrom({
            "apps/wiki/secret.yaml":
              "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: wiki-oidc\nspec:\n  dataFrom:\n    - sourceRef:\n        generatorRef: {kind: Password, name: wiki-oidc-generator}\n",
          }),
        ),
      },
      results: [
        {
          status: "fail",
          location: { file: "apps/wiki/secret.yaml", line: 5, column: 1 },
          fix: ["edit", "manual"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "edit") throw new Error("no edit");
            expect(step.edit.after).toContain("  secretStoreRef:\n    name: vault-backend\n    kind: ClusterSecretStore\n  dataFrom:\n    - extract:\n        key: wiki-oidc #");
            expect(step.edit.after).not.toContain("generatorRef");
          },
        },
      ],
    },
  ],
  unavailable: [
    { name: "kubectl not installed", source: "kube", kind: "not-installed", status: "skip" },
    { name: "credentials refused", source: "kube", kind: "auth", status: "error" },
  ],
});
