/**
 * An OIDC client secret made by an External Secrets `Password` generator, judged the same way for
 * a live ExternalSecret (kube/) and a manifest in the kit (manifest/). The generator invents a new
 * random value; the identity provider (configured by Terraform from its own store) holds another,
 * so the application's logins fail with "invalid client credentials".
 */
import { isMap, isScalar, isSeq, type Document } from "yaml";
import type { Fix, FixStep } from "../model/result.ts";
import type { KubeExternalSecret, KubePushSecret } from "../sources/kube/objects.ts";
import { editManifest, type ManifestDoc } from "../sources/kit/manifests.ts";

/** Names that say the secret is an OAuth/OIDC client credential, shared with an identity provider. */
const CLIENT_CREDENTIAL = /oidc|oauth|sso|client[-_.]?secret/i;

export interface GeneratedClientSecret {
  /** The Secret the ExternalSecret writes. */
  target: string;
  /** The Password generators it reads from. */
  generators: string[];
}

export interface SecretStoreRef {
  name: string;
  kind: string;
}

/** The Password generators behind an ExternalSecret that holds a client credential, if any. */
export function generatedClientSecret(es: KubeExternalSecret): GeneratedClientSecret | undefined {
  const generators = [...es.spec.dataFrom, ...es.spec.data].map((d) => d.sourceRef?.generatorRef).filter((ref) => ref?.kind === "Password");
  if (generators.length === 0) return undefined;
  const target = es.spec.target?.name ?? es.metadata.name;
  const names = [es.metadata.name, target, ...generators.map((g) => g!.name), ...es.spec.data.map((d) => d.secretKey)];
  if (!names.some((n) => CLIENT_CREDENTIAL.test(n))) return undefined;
  return { target, generators: generators.map((g) => g!.name) };
}

/** A PushSecret copies the generated Secret into a store: then the identity provider can read the same value. */
export function pushedToStore(namespace: string | undefined, target: string, pushSecrets: readonly KubePushSecret[]): boolean {
  return pushSecrets.some((p) => p.spec.selector?.secret?.name === target && (p.metadata.namespace === undefined || namespace === undefined || p.metadata.namespace === namespace));
}

/** The store the other ExternalSecrets read from (the most used one), where Terraform-written credentials live. */
export function usualStore(externalSecrets: readonly KubeExternalSecret[]): SecretStoreRef | undefined {
  const counts = new Map<string, { ref: SecretStoreRef; count: number }>();
  for (const es of externalSecrets) {
    const ref = es.spec.secretStoreRef;
    if (!ref || generatedClientSecret(es)) continue;
    const store = { name: ref.name, kind: ref.kind ?? "SecretStore" };
    const key = `${store.kind}/${store.name}`;
    counts.set(key, { ref: store, count: (counts.get(key)?.count ?? 0) + 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count)[0]?.ref;
}

export function generatedClientSecretMessage(found: GeneratedClientSecret): string {
  return `fills client secret "${found.target}" from Password generator ${found.generators.map((g) => `"${g}"`).join(", ")}: it invents its own value, so the identity provider (which Terraform configures from its store) holds a different one`;
}

const generatorKind = (item: unknown) => (isMap(item) ? item.getIn(["sourceRef", "generatorRef", "kind"]) : undefined);

/** Drop the Password-generated entries and read the whole client credential from the store instead. */
function readFromStore(doc: Document, target: string, store: SecretStoreRef | undefined): void {
  for (const field of ["data", "dataFrom"]) {
    const list = doc.getIn(["spec", field]);
    if (!isSeq(list)) continue;
    list.items = list.items.filter((item) => generatorKind(item) !== "Password");
    if (list.items.length === 0) doc.deleteIn(["spec", field]);
  }
  if (store && !doc.hasIn(["spec", "secretStoreRef"])) doc.setIn(["spec", "secretStoreRef"], doc.createNode({ name: store.name, kind: store.kind }));
  const entry = doc.createNode({ extract: { key: target } });
  const key = entry.getIn(["extract", "key"], true);
  if (isScalar(key)) key.comment = " the path where Terraform stores this client's credentials";
  const dataFrom = doc.getIn(["spec", "dataFrom"]);
  if (isSeq(dataFrom)) dataFrom.items.push(entry);
  else doc.setIn(["spec", "dataFrom"], doc.createNode([entry]));
}

/**
 * Read the client credential from the store Terraform writes to. The kit's manifest is edited when
 * the ExternalSecret comes from it and a store is known; the store path is the one thing to confirm.
 */
export function readFromStoreFix(es: KubeExternalSecret, found: GeneratedClientSecret, store: SecretStoreRef | undefined, manifest: ManifestDoc | undefined): Fix {
  const where = es.spec.secretStoreRef ? { name: es.spec.secretStoreRef.name, kind: es.spec.secretStoreRef.kind ?? "SecretStore" } : store;
  const rewrite = manifest && where && editManifest(manifest, `read "${found.target}" from ${where.kind} "${where.name}" instead of the Password generator (check the store path)`, (doc) => readFromStore(doc, found.target, store));
  const steps: FixStep[] = rewrite ? [rewrite] : [];
  steps.push({
    kind: "manual",
    description: `${steps.length > 0 ? "" : `in the manifest of ExternalSecret "${es.metadata.name}", replace the Password generator with \`dataFrom: [{extract: {key: <path>}}]\` reading ${where ? `${where.kind} "${where.name}"` : "the store Terraform writes to"}; `}delete Password generator ${found.generators.map((g) => `"${g}"`).join(", ")} once nothing references it, then restart the application so it reads the new secret`,
    destructive: false,
  });
  return { summary: "Read the client secret from the store the identity provider's Terraform writes to", steps };
}
