import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { deployment } from "../../src/sources/kit/facts.ts";
import { parseImage, serviceImage, serviceSubject } from "../../src/sources/kit/compose.ts";

/**
 * Provider commits that create `000-hostname-%s<id>` config patches, which break provisioning on
 * Talos 1.12 and later (e7248ed added the step on 2025-11-17, f1daa55 renamed the patch; 559954c
 * removed it on 2026-02-02). Builds between them carry the bug; tagged releases came later.
 */
const HOSTNAME_BUG_COMMITS = ["e7248ed", "f1daa55"];

export default defineCheck({
  meta: {
    id: "kit/provider-image",
    title: "Proxmox provider image of unknown or broken build",
    severity: "warning",
    sources: ["files"],
    symptoms: ["static hostname is already set in v1alpha1 config"],
    fixable: ["manual"],
  },
  facts: { deployment },
  run({ deployment }) {
    const providers = deployment.providers.filter((p) => serviceImage(p.service) !== undefined);
    if (providers.length === 0) return [skip("no Proxmox provider service with an image in the kit")];
    const findings: Finding[] = [];
    for (const { service } of providers) {
      const image = serviceImage(service)!;
      const { tag, digest } = parseImage(image.value);
      const commit = tag && /^(sha-)?([0-9a-f]{7,40})$/.exec(tag)?.[2];
      const problem =
        commit && HOSTNAME_BUG_COMMITS.some((bad) => commit.startsWith(bad))
          ? { severity: "warning" as const, text: `${tag} is a build from November 2025 to January 2026 that adds a hostname config patch; on Talos 1.12 and later provisioning fails with "static hostname is already set in v1alpha1 config"` }
          : (tag === undefined || tag === "latest") && !digest
            ? { severity: "warning" as const, text: `${tag ?? "no tag"}: which provider build runs depends on when it was pulled; builds from November 2025 to January 2026 break provisioning on Talos 1.12 with a hostname patch` }
            : tag && /^local/.test(tag)
              ? { severity: "info" as const, text: `${tag} is a locally built image: nobody else can pull it, and whether it carries upstream fixes is not visible` }
              : undefined;
      if (!problem) continue;
      findings.push({
        subject: serviceSubject(service),
        severity: problem.severity,
        message: `provider image ${image.value}: ${problem.text}`,
        location: image.location,
        evidence: [`image: ${image.raw}`],
        fix: { summary: "Use a tagged provider release", steps: [{ kind: "manual", description: `set the image to a released version (ghcr.io/siderolabs/omni-infra-provider-proxmox:vX.Y.Z, optionally @sha256:...) in ${service.file.path}`, destructive: false }] },
      });
    }
    return findings.length > 0 ? findings : [pass(`${providers.length} provider image(s) are a tagged release or a pinned digest`)];
  },
});
