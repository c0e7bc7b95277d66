import { expect } from "vitest";
import check from "./eso-password-generator.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { manifestDocs } from "../../src/sources/kit/manifests.ts";

const manifests = (files: Record<string, string>) => manifestDocs(kitFrom(files));

/** The broken pattern of seed 003: the client secret comes from a Password generator. */
const GENERATED = `apiVersion: generators.external-secrets.io/v1alpha1
kind: Password
metadata:
  name: wiki-oauth-client-secret-generator
spec:
  length: 32
---
# the wiki's SSO client secret
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: wiki-oauth-client-secret
  namespace: wiki
spec:
  refreshInterval: 1h
  dataFrom:
    - sourceRef:
        generatorRef:
          apiVersion: generators.external-secrets.io/v1alpha1
          kind: Password
          name: wiki-oauth-client-secret-generator
`;

/** The store every other ExternalSecret of the kit reads from. */
const FROM_STORE = `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: git-oidc
  namespace: git
spec:
  secretStoreRef:
    name: vault-backend
    kind: ClusterSecretStore
  data:
    - secretKey: client_secret
      remoteRef:
        key: sso/git
        property: client_secret
`;

const DB_PASSWORD = `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: db-password
  namespace: wiki
spec:
  dataFrom:
    - sourceRef:
        generatorRef: {kind: Password, name: db}
`;

testCheck(check, {
  valid: [
    { name: "reads from the store", facts: { manifests: manifests({ "apps/git.yaml": FROM_STORE }) }, message: /1 ExternalSecret manifest/ },
    { name: "a generated database password is not a shared client credential", facts: { manifests: manifests({ "apps/db.yaml": DB_PASSWORD }) } },
    {
      name: "a PushSecret copies the generated secret into the store",
      facts: {
        manifests: manifests({
          "apps/wiki.yaml": `${GENERATED}---\napiVersion: external-secrets.io/v1alpha1\nkind: PushSecret\nmetadata: {name: push, namespace: wiki}\nspec:\n  selector: {secret: {name: wiki-oauth-client-secret}}\n`,
        }),
      },
    },
  ],
  invalid: [
    {
      name: "a client secret from a Password generator; the edit reads it from the kit's store",
      facts: { manifests: manifests({ "apps/wiki.yaml": GENERATED, "apps/git.yaml": FROM_STORE }) },
      results: [
        {
          status: "fail",
          subject: "externalsecret wiki-oauth-client-secret in apps/wiki.yaml",
          message: /fills client secret "wiki-oauth-client-secret" from Password generator "wiki-oauth-client-secret-generator"/,
          location: { file: "apps/wiki.yaml", line: 14, column: 1 },
          evidence: ["generatorRef kind=Password name=wiki-oauth-client-secret-generator"],
          fix: ["edit", "manual"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "edit") throw new Error("no edit");
            expect(step.edit.after).toBe(
              GENERATED.replace(
                "  dataFrom:\n    - sourceRef:\n        generatorRef:\n          apiVersion: generators.external-secrets.io/v1alpha1\n          kind: Password\n          name: wiki-oauth-client-secret-generator\n",
                "  secretStoreRef:\n    name: vault-backend\n    kind: ClusterSecretStore\n  dataFrom:\n    - extract:\n        key: wiki-oauth-client-secret # the path where Terraform stores this client's credentials\n",
              ),
            );
          },
        },
      ],
    },
    {
      name: "no store known: no edit, the manual step says what to write",
      facts: { manifests: manifests({ "apps/wiki.yaml": GENERATED }) },
      results: [{ status: "fail", fix: ["manual"], satisfies: (r) => expect(r.fix!.steps[0]!.description).toMatch(/replace the Password generator with `dataFrom: \[\{extract: \{key: <path>\}\}\]`/) }],
    },
  ],
  unavailable: [{ name: "the kit cannot be read", source: "files", kind: "failed", status: "error" }],
});
