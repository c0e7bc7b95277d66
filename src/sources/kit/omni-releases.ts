/**
 * What changed between Omni releases in how templates and config patches are read
 * (reference/omni.md §1, §2, §7; corpus-notes §1). `--omni-version` picks the release; a version
 * newer than the newest known one stands for Omni's main branch.
 */
import semver from "semver";
import { NEWEST_KNOWN_OMNI } from "../../version.ts";

function normalized(omniVersion: string): string {
  return semver.coerce(omniVersion)?.version ?? NEWEST_KNOWN_OMNI;
}

const atLeast = new Map<string, boolean>();

/** The release is at least `version` (`1.8.0`). Asked for every document of every template, so remembered. */
export function omniAtLeast(omniVersion: string, version: string): boolean {
  const key = `${omniVersion} ${version}`;
  let answer = atLeast.get(key);
  if (answer === undefined) {
    answer = semver.gte(normalized(omniVersion), version);
    atLeast.set(key, answer);
  }
  return answer;
}

/** Omni's unreleased main branch: anything after the newest release we know. */
export function isOmniMain(omniVersion: string): boolean {
  return semver.gt(normalized(omniVersion), NEWEST_KNOWN_OMNI);
}

/**
 * Patch `file:` paths resolve against the template's folder and reads are confined to
 * `--allowed-dir` (default: that folder) with Go's os.Root since v1.8; before, they were opened
 * relative to the directory omnictl ran in.
 */
export function patchPathsFollowTemplate(omniVersion: string): boolean {
  return omniAtLeast(omniVersion, "1.8.0");
}

/** The Talos machinery minor the release's config-patch validation is built with (its go.mod). */
export function omniTalosMachineryMinor(omniVersion: string): string {
  if (omniAtLeast(omniVersion, "1.9.0")) return "1.14";
  if (omniAtLeast(omniVersion, "1.5.0")) return "1.13";
  if (omniAtLeast(omniVersion, "1.3.0")) return "1.12";
  if (omniAtLeast(omniVersion, "1.1.0")) return "1.11";
  if (omniAtLeast(omniVersion, "0.48.0")) return "1.10";
  return "1.9";
}

/** Talos versions older than this are deprecated: new clusters cannot use them (constants.MinTalosVersion). */
export function omniMinTalosVersion(omniVersion: string): string {
  if (omniAtLeast(omniVersion, "1.8.0")) return "1.9.0";
  if (omniAtLeast(omniVersion, "1.6.0")) return "1.8.0";
  if (omniAtLeast(omniVersion, "1.5.0")) return "1.7.0";
  return "1.6.0";
}

/** The newest Talos minor the release supports (constants.LatestSupportedTalosVersion, v1.9+), or undefined when it sets none. */
export function omniLatestTalosMinor(omniVersion: string): string | undefined {
  return omniAtLeast(omniVersion, "1.9.0") ? "1.13" : undefined;
}

/** v1alpha1 fields a config patch may not set (`overriding %q is not allowed in the config patch`), in Omni's order. */
export function forbiddenPatchFields(omniVersion: string): string[] {
  const v110 = omniAtLeast(omniVersion, "1.10.0");
  const main = isOmniMain(omniVersion);
  return [
    "cluster.clusterName",
    "cluster.id",
    "cluster.controlPlane.endpoint",
    "cluster.token",
    "cluster.secret",
    "cluster.aescbcEncryptionSecret",
    "cluster.secretboxEncryptionSecret",
    ...(v110 ? ["cluster.ca"] : []),
    "cluster.acceptedCAs",
    ...(v110 ? ["cluster.serviceAccount"] : []),
    "machine.token",
    "machine.ca",
    "machine.type",
    ...(main ? ["machine.install.disk"] : []),
    "machine.install.extensions",
    "machine.acceptedCAs",
  ];
}

/** Since v1.10 Omni checks every document of a patch and refuses some whole documents; before, only the first document. */
export function checksEveryPatchDocument(omniVersion: string): boolean {
  return omniAtLeast(omniVersion, "1.10.0");
}

/** Multi-document kinds a patch may not carry (v1.10+): `the %q document is not allowed in the config patch`. */
export const FORBIDDEN_PATCH_DOCUMENTS = new Set([
  "UnattendedInstallConfig",
  "DiscoveryIdentityConfig",
  "KubeClusterConfig",
  "KubeEtcdEncryptionConfig",
  "KubeAPIServerCAConfig",
  "KubeAggregatorCAConfig",
]);

/** Fields refused inside some multi-document kinds (v1.10+). */
export const FORBIDDEN_DOCUMENT_FIELDS: Record<string, string[]> = { KubeServiceAccountConfig: ["issuer.privateKey"] };

/** List elements refused in a field: `element %q is not allowed in field %q`. Legacy document, then multi-document kinds (v1.10+). */
export const FORBIDDEN_ELEMENTS: Record<string, Record<string, string[]>> = {
  v1alpha1: { "machine.features.kubernetesTalosAPIAccess.allowedRoles": ["os:admin"] },
  KubeTalosAPIAccessConfig: { allowedRoles: ["os:admin"] },
};
