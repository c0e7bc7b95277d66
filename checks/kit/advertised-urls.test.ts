import check from "./advertised-urls.ts";
import { kitFrom, TEST_NOW, testCheck } from "../../test/harness/check-tester.ts";
import { deployment } from "../../src/sources/kit/deployment.ts";
import type { MountedFileReport } from "../../src/sources/kit/mounted-files.ts";

const compose = (api: string, machine: string, k8s: string) =>
  `services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    volumes:\n      - /etc/letsencrypt/live/omni/fullchain.pem:/tls.crt:ro\n    command:\n      - --cert=/tls.crt\n      - --advertised-api-url=${api}\n      - --machine-api-advertised-url=${machine}\n      - --advertised-kubernetes-proxy-url=${k8s}\n`;
const SAME = compose("https://omni.lab.example", "https://omni.lab.example:8090/", "https://omni.lab.example:8100/");
const CERT = "/etc/letsencrypt/live/omni/fullchain.pem";
const days = (n: number) => new Date(TEST_NOW.getTime() + n * 86_400_000).toISOString();
const cert = (dnsNames: string[], validTo = days(60)): Record<string, MountedFileReport> => ({ [CERT]: { state: "certificate", path: CERT, subject: "CN=omni", dnsNames, ipAddresses: [], validFrom: days(-30), validTo } });
const facts = (text: string, reports: Record<string, MountedFileReport>) => ({ deployment: deployment(kitFrom({ "omni/compose.yml": text })), mountedFileReports: reports });

testCheck(check, {
  valid: [
    { name: "one host, covered by a wildcard certificate valid for 60 days", facts: facts(SAME, cert(["*.lab.example", "lab.example"])) },
    { name: "no certificate in the kit (Omni behind a proxy)", facts: facts(SAME.replace("      - --cert=/tls.crt\n", ""), {}) },
  ],
  invalid: [
    {
      name: "a certificate made before DNS was settled (Omni-Scale's SAN mismatch)",
      facts: facts(SAME, cert(["omni-internal.lab.example"])),
      results: [{ status: "fail", subject: `omni/compose.yml: omni: ${CERT}: names`, message: /does not cover omni.lab.example \(API and UI, SideroLink machine API, Kubernetes proxy\)/, location: { line: 5, column: 9 }, evidence: ["x509: certificate is valid for omni-internal.lab.example, not omni.lab.example"] }],
    },
    { name: "expires in 10 days", facts: facts(SAME, cert(["omni.lab.example"], days(10))), results: [{ status: "warn", subject: `omni/compose.yml: omni: ${CERT}: expiry`, message: /expires in 9 day\(s\)|expires in 10 day\(s\)/ }] },
    { name: "expired", facts: facts(SAME, cert(["omni.lab.example"], days(-1))), results: [{ status: "fail", message: /expired on/ }] },
    {
      name: "different hosts for the API and SideroLink",
      facts: facts(compose("https://omni.lab.example", "https://omni-lan.lab.example:8090/", "https://omni.lab.example:8100/"), cert(["*.lab.example"])),
      results: [{ status: "warn", subject: "omni/compose.yml: omni: hosts", message: /SideroLink machine API: omni-lan.lab.example/ }],
    },
    { name: "the certificate is not on this machine: said, not failed", facts: facts(SAME, { [CERT]: { state: "absent", path: CERT } }), results: [{ status: "skip", message: /not on this machine/ }] },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});
