import { defineCheck, pass, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { apiStatus, nodes } from "../../src/sources/proxmox/facts.ts";
import type { PveNode } from "../../src/sources/proxmox/responses.ts";
import { TLS_NOT_VERIFIED } from "../../src/sources/proxmox/settings.ts";
import type { SourceError } from "../../src/sources/source-error.ts";
import type { Fix } from "../../src/model/result.ts";

/** Proxmox VE releases before 8 are out of support, and the provider is only used with 8 and 9. */
const OLDEST_SUPPORTED_MAJOR = 8;

/** What a transport failure means for this API, from the error code the TLS or socket layer gave. */
const TRANSPORT_CAUSES: Array<[RegExp, string]> = [
  [/FINGERPRINT_MISMATCH/, "the certificate is not the one pinned with PROXMOX_FINGERPRINT: the node's certificate was renewed, or the URL reaches another server"],
  [/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/, "the certificate is self-signed (Proxmox's default) and not trusted here: pin it with PROXMOX_CA (the node's /etc/pve/pve-root-ca.pem) or PROXMOX_FINGERPRINT"],
  [/CERT_HAS_EXPIRED|CERT_NOT_YET_VALID/, "the certificate has expired or is not valid yet: renew it on the node (pvecm updatecerts) or check this machine's clock"],
  [/ALTNAME_INVALID/, "the certificate does not name the host in the URL: use the name or address it was issued for"],
  [/ECONNREFUSED/, "nothing listens on that port: Proxmox's API is on port 8006 (is pveproxy running?)"],
  [/ENOTFOUND|EAI_AGAIN/, "the host name does not resolve from this machine"],
  [/EHOSTUNREACH|ENETUNREACH/, "the host is not reachable from this machine (routing, VPN, firewall)"],
  [/ECONNRESET|socket hang up/, "the connection was cut: a proxy or firewall in between, or plain HTTP against an HTTPS port"],
];

function cause(failure: SourceError): string {
  if (failure.advice) return failure.advice;
  if (failure.kind === "timeout") return "the API did not answer within --timeout: the host drops packets, or pveproxy is overloaded";
  return TRANSPORT_CAUSES.find(([pattern]) => pattern.test(failure.message))?.[1] ?? "check the URL (https://<host>:8006/api2/json) and that the node is up";
}

/** The node whose certificate the API endpoint presents: the one named like the host, or the only one. */
function nodeServing(endpoint: string, list: readonly PveNode[]): PveNode | undefined {
  const host = new URL(endpoint).hostname;
  return list.find((n) => n.node === host || host.startsWith(`${n.node}.`)) ?? (list.length === 1 ? list[0] : undefined);
}

export default defineCheck({
  meta: {
    id: "proxmox/api",
    title: "Proxmox API is unreachable, refuses the credentials, or is not verified",
    severity: "error",
    sources: ["pve"],
    symptoms: [
      "not authorized to access endpoint",
      "401 No ticket",
      "401 Authentication failed!",
      "401 invalid token value!",
      "401 no such token",
      "401 permission denied - invalid PVE ticket",
      "401 authentication failure",
      "Permission check failed",
      "DEPTH_ZERO_SELF_SIGNED_CERT",
      "self-signed certificate",
      "connect ECONNREFUSED <host>:8006",
      "using insecure connection to Proxmox",
    ],
    fixable: ["manual"],
  },
  facts: { api: apiStatus, nodes: optional(nodes) },
  run({ api, nodes }) {
    const subject = `Proxmox API ${api.endpoint}`;
    if (api.failure) {
      const why = cause(api.failure);
      return [
        {
          subject,
          message: `cannot be used: ${why}`,
          evidence: [api.failure.message, `settings from ${api.from} (${api.auth === "token" ? "API token" : "password login"}, TLS ${api.tls})`],
          fix: { summary: "Make the Proxmox API reachable with valid credentials", steps: [{ kind: "manual", description: why, destructive: false }] },
        },
      ];
    }
    const findings: Finding[] = [];
    if (api.tls === TLS_NOT_VERIFIED) {
      const node = nodes.ok ? nodeServing(api.endpoint, nodes.value) : undefined;
      const pin = node?.ssl_fingerprint
        ? `set PROXMOX_FINGERPRINT=${node.ssl_fingerprint} (node ${node.node}'s certificate as the API reports it; compare it with Node → System → Certificates before trusting it)`
        : "set PROXMOX_FINGERPRINT to the node's certificate fingerprint (Node → System → Certificates), or PROXMOX_CA to /etc/pve/pve-root-ca.pem";
      const fix: Fix = { summary: "Pin the Proxmox certificate instead of not verifying it", steps: [{ kind: "manual", description: `${pin}, then drop PROXMOX_INSECURE / insecureSkipVerify`, destructive: false }] };
      findings.push({
        severity: "warning",
        subject,
        message: "TLS verification is off: anyone on the path can read the API token and answer in Proxmox's place",
        evidence: [`TLS ${api.tls}, settings from ${api.from}`],
        fix,
      });
    }
    const major = Number(api.version?.version.split(".")[0]);
    if (api.version && major < OLDEST_SUPPORTED_MAJOR) {
      findings.push({
        severity: "warning",
        subject,
        message: `runs Proxmox VE ${api.version.version}, which is out of support; the provider is used with 8 and 9`,
        evidence: [`version ${api.version.version}`],
        fix: { summary: "Upgrade Proxmox VE", steps: [{ kind: "manual", description: "upgrade the nodes to Proxmox VE 8 or 9 (pve7to8 / pve8to9 checklists)", destructive: false }] },
      });
    }
    return findings.length > 0 ? findings : [pass(`Proxmox VE ${api.version?.version ?? "?"} at ${api.endpoint} (${api.auth === "token" ? "API token" : "password login"}, TLS ${api.tls})`)];
  },
});
