import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { deployment } from "../../src/sources/kit/facts.ts";
import { parseImage, serviceImage, serviceSubject } from "../../src/sources/kit/compose.ts";

export default defineCheck({
  meta: {
    id: "kit/image-pinning",
    title: "Image not pinned to a version",
    severity: "warning",
    sources: ["files"],
    symptoms: ["invalid reference format"],
    fixable: ["manual"],
  },
  facts: { deployment },
  run({ deployment }) {
    const services = deployment.projects.flatMap((p) => p.services).filter((s) => serviceImage(s) !== undefined);
    if (services.length === 0) return [skip("no compose service names an image")];
    const findings: Finding[] = [];
    for (const service of services) {
      const image = serviceImage(service)!;
      const written = parseImage(image.raw);
      const resolved = parseImage(image.value);
      if (resolved.digest) continue;
      const problem = written.tag?.includes("$")
        ? `the tag is ${written.tag}: the version depends on an env file, and tools such as Renovate cannot see it to propose updates`
        : resolved.tag === undefined
          ? "no tag means latest: the version changes whenever the image is pulled again"
          : resolved.tag === "latest" || resolved.tag === "stable"
            ? `${resolved.tag} changes whenever the image is pulled again`
            : undefined;
      if (!problem) continue;
      findings.push({
        subject: serviceSubject(service),
        message: `${image.raw}: ${problem}`,
        location: image.location,
        fix: { summary: "Pin a version tag or a digest", steps: [{ kind: "manual", description: `write the version in ${service.file.path} (e.g. ${resolved.name}:vX.Y.Z, or ${resolved.name}:${resolved.tag ?? "latest"}@sha256:<digest> from docker buildx imagetools inspect)`, destructive: false }] },
      });
    }
    return findings.length > 0 ? findings : [pass(`${services.length} image(s) are pinned to a version or digest`)];
  },
});
