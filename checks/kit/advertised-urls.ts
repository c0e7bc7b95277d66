import { isIP } from "node:net";
import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { deployment, mountedFileReports } from "../../src/sources/kit/facts.ts";
import { serviceSubject } from "../../src/sources/kit/compose.ts";
import { encrypted, fromExample, mountedFiles, type OmniService, type Setting } from "../../src/sources/kit/deployment.ts";

const EXPIRY_WARNING_DAYS = 21;
const DAY_MS = 86_400_000;

const URL_FLAGS = [
  ["advertised-api-url", "API and UI"],
  ["machine-api-advertised-url", "SideroLink machine API"],
  ["advertised-kubernetes-proxy-url", "Kubernetes proxy"],
] as const;

function hostOf(value: string): string | undefined {
  if (/[$<>]|ENC\[/.test(value)) return undefined;
  try {
    return new URL(value).hostname.replace(/^\[|\]$/g, "").toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

/** A certificate name covers a host exactly, or as a wildcard for one label (`*.lab.example`). */
function covers(names: string[], host: string): boolean {
  return names.some((name) => {
    const n = name.toLowerCase();
    if (!n.startsWith("*.")) return n === host;
    const suffix = n.slice(1);
    const label = host.slice(0, host.length - suffix.length);
    return host.endsWith(suffix) && label !== "" && !label.includes(".");
  });
}

function advertised(omni: OmniService): Array<{ flag: string; what: string; setting: Setting; host: string }> {
  return URL_FLAGS.flatMap(([flag, what]) => {
    const setting = omni.get(flag);
    const host = setting && !encrypted(omni, setting) ? hostOf(setting.value) : undefined;
    return setting && host ? [{ flag, what, setting, host }] : [];
  });
}

export default defineCheck({
  meta: {
    id: "kit/advertised-urls",
    title: "Advertised URLs and Omni's certificate do not match",
    severity: "error",
    sources: ["files"],
    symptoms: ["x509: certificate is valid for <names>, not <host>", "x509: certificate has expired or is not yet valid"],
    fixable: ["manual"],
  },
  facts: { deployment, mountedFileReports },
  run({ deployment, mountedFileReports }, { now }) {
    if (deployment.omni.length === 0) return [skip("no Omni service in the kit's compose files")];
    const findings: Finding[] = [];
    for (const omni of deployment.omni) {
      const subject = serviceSubject(omni.service);
      const urls = advertised(omni);
      const hosts = [...new Set(urls.map((u) => u.host))];
      if (hosts.length > 1) {
        findings.push({
          subject: `${subject}: hosts`,
          severity: "warning",
          message: `the advertised URLs use different hosts (${urls.map((u) => `${u.what}: ${u.host}`).join(", ")}): every one must resolve to Omni from where it is used and be covered by Omni's certificate; machines that reach one name and not another register but never connect`,
          location: urls[0]!.setting.location,
          evidence: urls.map((u) => `${u.setting.written}=${u.setting.value}`),
          fix: { summary: "Advertise one host name for the API, SideroLink and the Kubernetes proxy", steps: [{ kind: "manual", description: "use the same host in --advertised-api-url, --machine-api-advertised-url and --advertised-kubernetes-proxy-url, with split-horizon DNS if LAN and tailnet need different answers", destructive: false }] },
        });
      }
      const certs = mountedFiles(deployment).filter((m) => m.service === omni && m.purpose === "tls-cert" && m.hostPath);
      for (const path of new Set(certs.map((c) => c.hostPath!))) {
        const cert = certs.find((c) => c.hostPath === path)!;
        const report = mountedFileReports[path];
        const certSubject = `${subject}: ${path}`;
        if (!report || cert.fromExample) continue;
        if (report.state === "absent") {
          findings.push({ status: "skip", subject: certSubject, message: `the certificate ${path} is not on this machine, so it was not inspected (run omni-doctor where the stack runs to check it)` });
          continue;
        }
        if (report.state !== "certificate") {
          findings.push({ subject: certSubject, message: `cannot use ${path} as Omni's certificate: ${"reason" in report ? report.reason : report.state}`, location: cert.location, fix: { summary: "Mount a PEM certificate", steps: [{ kind: "manual", description: `point the volume for ${cert.containerPath} at the certificate chain (fullchain.pem)`, destructive: false }] } });
          continue;
        }
        const names = [...report.dnsNames, ...report.ipAddresses];
        // Placeholder URLs from examples say nothing about the real names.
        const uncovered = urls.filter((u) => !fromExample(omni, u.setting) && !covers(names, u.host) && !(isIP(u.host) && report.ipAddresses.includes(u.host)));
        if (uncovered.length > 0) {
          findings.push({
            subject: `${certSubject}: names`,
            message: `the certificate does not cover ${[...new Set(uncovered.map((u) => u.host))].join(", ")} (${uncovered.map((u) => u.what).join(", ")}): machines and clients refuse the TLS connection`,
            location: cert.location,
            evidence: uncovered.map((u) => `x509: certificate is valid for ${names.join(", ")}, not ${u.host}`),
            fix: { summary: "Issue a certificate for the advertised names", steps: [{ kind: "manual", description: `get a certificate whose names include ${hosts.join(", ")} (e.g. certbot with a DNS challenge) and mount it at ${cert.containerPath}`, destructive: false }] },
          });
        }
        const left = (Date.parse(report.validTo) - now.getTime()) / DAY_MS;
        if (left < EXPIRY_WARNING_DAYS) {
          findings.push({
            subject: `${certSubject}: expiry`,
            ...(left > 0 ? { severity: "warning" as const } : {}),
            message: left > 0 ? `the certificate expires in ${Math.floor(left)} day(s) (${report.validTo}); renewal should have happened by now` : `the certificate expired on ${report.validTo}`,
            location: cert.location,
            evidence: [`notAfter ${report.validTo}`],
            fix: { summary: "Renew the certificate and restart Omni", steps: [{ kind: "manual", description: "renew it (certbot renew), then docker compose restart omni so Omni reads the new file", destructive: false }] },
          });
        }
      }
    }
    return findings.length > 0 ? findings : [pass("the advertised URLs share one host and Omni's certificate covers them")];
  },
});
