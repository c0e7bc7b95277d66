import semver from "semver";
import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { deployment } from "../../src/sources/kit/facts.ts";
import { serviceSubject, serviceVolumes } from "../../src/sources/kit/compose.ts";
import { fromExample, type OmniService } from "../../src/sources/kit/deployment.ts";
import { addCommandArgument } from "../../src/sources/kit/compose-edit.ts";
import { editStep } from "../../src/sources/kit/text-edit.ts";

/** Omni 1.4 made the SQLite secondary storage mandatory. */
const SQLITE_REQUIRED_SINCE = "1.4.0";

/** The volume whose mount point holds a path inside the container, if any. */
function persistentVolumeFor(service: OmniService, path: string) {
  return serviceVolumes(service.service).find((v) => v.source !== undefined && (path === v.target || path.startsWith(`${v.target.replace(/\/+$/, "")}/`)));
}

export default defineCheck({
  meta: {
    id: "kit/omni-sqlite-path",
    title: "Omni has no persistent SQLite storage path",
    severity: "error",
    sources: ["files"],
    symptoms: [
      "missing required config value: Params.Storage.SQLite.Path, can be specified using --sqlite-storage-path flag",
      'config value ".storage.sqlite.path" or flag "--sqlite-storage-path": is required but was not set',
    ],
    fixable: ["edit", "manual"],
  },
  facts: { deployment },
  run({ deployment }, { omniVersion }) {
    if (deployment.omni.length === 0) return [skip("no Omni service in the kit's compose files")];
    const findings: Finding[] = [];
    for (const omni of deployment.omni) {
      const { service } = omni;
      const version = omni.version ?? semver.coerce(omniVersion)?.version ?? omniVersion;
      const versionNote = omni.version ? `the image is Omni ${omni.version}` : `the image tag is not a version, so Omni ${version} (--omni-version) is assumed`;
      const setting = omni.get("sqlite-storage-path");
      if (!setting || setting.value === "") {
        if (semver.lt(version, SQLITE_REQUIRED_SINCE)) continue;
        const volume = serviceVolumes(service).find((v) => v.target === "/_out/etcd" || v.target === "/_out");
        const suggestion = volume ? `${volume.target.replace(/\/+$/, "")}/omni.db` : undefined;
        const edit = suggestion ? editStep(service.file, `add --sqlite-storage-path=${suggestion} to the command of ${service.name}`, addCommandArgument(service, `--sqlite-storage-path=${suggestion}`)) : undefined;
        findings.push({
          subject: serviceSubject(service),
          message: `Omni ${SQLITE_REQUIRED_SINCE} and later refuse to start without --sqlite-storage-path (${versionNote})`,
          location: setting?.location ?? service.locateKey(["command"]),
          fix: {
            summary: `Add --sqlite-storage-path=${suggestion ?? "<a path inside a mounted volume>"}`,
            steps: [edit ?? { kind: "manual", description: `add --sqlite-storage-path=<a file under a mounted volume> to the command of ${service.name} in ${service.file.path}`, destructive: false }],
          },
        });
        continue;
      }
      const path = setting.value;
      if (!path.startsWith("/") || path.includes("$")) continue;
      if (persistentVolumeFor(omni, path)) continue;
      findings.push({
        subject: serviceSubject(service),
        ...(fromExample(omni, setting) ? { severity: "warning" as const } : {}),
        message: `the SQLite database ${path} is not inside any volume, so it lives in the container and is lost whenever the container is recreated`,
        location: setting.location,
        evidence: [`volumes: ${serviceVolumes(service).map((v) => v.target).join(", ") || "none"}`],
        fix: { summary: "Put the database inside a mounted volume", steps: [{ kind: "manual", description: `set --sqlite-storage-path to a path under one of the volumes (e.g. /_out/etcd/omni.db when ${"${ETCD_VOLUME_PATH}"} is mounted at /_out/etcd)`, destructive: false }] },
      });
    }
    return findings.length > 0 ? findings : [pass(`${deployment.omni.length} Omni service(s) keep SQLite in a volume (or predate ${SQLITE_REQUIRED_SINCE})`)];
  },
});
