import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { deployment } from "../../src/sources/kit/facts.ts";
import { hasCapability, hasDevice, serviceSubject, serviceVolumes } from "../../src/sources/kit/compose.ts";
import { grantDevice } from "../../src/sources/kit/compose-edit.ts";
import { editStep } from "../../src/sources/kit/text-edit.ts";

const TUN = "/dev/net/tun";

export default defineCheck({
  meta: {
    id: "kit/omni-tun",
    title: "Omni container cannot create its WireGuard tunnel",
    severity: "error",
    sources: ["files"],
    symptoms: ["/dev/net/tun does not exist", 'error creating tun device: CreateTUN("siderolink") failed', "operation not permitted"],
    fixable: ["edit"],
  },
  facts: { deployment },
  run({ deployment }) {
    if (deployment.omni.length === 0) return [skip("no Omni service in the kit's compose files")];
    const findings: Finding[] = [];
    for (const { service } of deployment.omni) {
      const device = hasDevice(service, TUN);
      const caps = hasCapability(service, "NET_ADMIN") ? [] : ["NET_ADMIN"];
      if (device && caps.length === 0) continue;
      const volumeIndex = serviceVolumes(service).findIndex((v) => v.target === TUN);
      const problems = [
        !device && volumeIndex >= 0 ? `${TUN} is mounted under volumes, which gives the file but not the right to use the device: it belongs under devices` : "",
        !device && volumeIndex < 0 ? `no ${TUN} under devices` : "",
        caps.length > 0 ? "no NET_ADMIN under cap_add" : "",
      ].filter(Boolean);
      const edit = editStep(
        service.file,
        `give ${service.name} ${[device ? "" : `the ${TUN} device`, ...caps].filter(Boolean).join(" and ")}`,
        grantDevice(service, { ...(device ? {} : { device: TUN }), caps, ...(volumeIndex >= 0 && !device ? { volumeIndex } : {}) }),
      );
      findings.push({
        subject: serviceSubject(service),
        message: `Omni creates the SideroLink WireGuard interface inside its container and needs the ${TUN} device and the NET_ADMIN capability: ${problems.join("; ")}`,
        location: volumeIndex >= 0 && !device ? serviceVolumes(service)[volumeIndex]!.location : service.locateKey(device ? ["cap_add"] : ["devices"]),
        fix: { summary: `Add ${TUN} under devices and NET_ADMIN under cap_add`, steps: [edit ?? { kind: "manual", description: `in ${service.file.path}, service ${service.name}: devices: [${TUN}] and cap_add: [NET_ADMIN]`, destructive: false }] },
      });
    }
    return findings.length > 0 ? findings : [pass(`${deployment.omni.length} Omni service(s) have ${TUN} and NET_ADMIN`)];
  },
});
