import { defineCheck, skip, pass, type Finding } from "../../src/engine/check.ts";
import { nodeResolvers } from "../../src/sources/proxmox/facts.ts";
import { omniEndpoints, siderolinkAnswers, siderolinkHost } from "../../src/sources/net/facts.ts";
import { optional } from "../../src/engine/fact.ts";
import { inCidr, isPrivateIPv4 } from "../../src/util/ip.ts";
import type { Fix } from "../../src/model/result.ts";

/** Resolvers that can only know the public view of a name. */
const PUBLIC_RESOLVERS = new Set(["1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4", "9.9.9.9", "149.112.112.112", "208.67.222.222", "208.67.220.220", "94.140.14.14", "76.76.2.0"]);
const TAILSCALE_CGNAT = "100.64.0.0/10";

export default defineCheck({
  meta: {
    id: "network/split-horizon-dns",
    title: "New VMs resolve Omni to an address they cannot reach",
    severity: "error",
    sources: ["pve", "dns", "files", "omni"],
    symptoms: [
      "Omni shows Registering but never progresses",
      "SideroLink shows a red X",
      "VM logs show connection timeouts to omni",
      "machines never register",
      "dial tcp 100.",
      "lookup omni",
    ],
    fixable: ["manual"],
  },
  facts: { host: siderolinkHost, resolvers: nodeResolvers, answers: siderolinkAnswers, endpoints: optional(omniEndpoints) },
  run({ host, resolvers, answers, endpoints }) {
    if (!host) return [skip("no SideroLink host known (no Omni compose file in the kit, and Omni could not tell)")];
    const findings: Finding[] = [];
    // Omni's LAN address: from the kit, else what a LAN resolver of some node answers. It shows the split-horizon record exists.
    const kitLan = endpoints.ok && endpoints.value?.lanAddress && isPrivateIPv4(endpoints.value.lanAddress.ip) ? endpoints.value.lanAddress : undefined;
    const answeredLan = [...answers.values.values()].flat().flatMap((a) => a.answer.addresses).find(isPrivateIPv4);
    const lan = kitLan ?? (answeredLan ? { ip: answeredLan, from: "another node's resolver" } : undefined);
    for (const [node, error] of resolvers.errors) {
      findings.push({ status: error.status, subject: `Proxmox node ${node}`, message: `its resolvers could not be read: ${error.describe()}` });
    }
    for (const [node, servers] of answers.values) {
      if (servers.length === 0) {
        findings.push({ severity: "warning", subject: `Proxmox node ${node}`, message: "has no DNS resolver configured; new VMs will not resolve Omni", fix: fixFor(node, host.host) });
        continue;
      }
      for (const { server, answer } of servers) {
        const evidence = [`${server} → ${host.host}: ${answer.rcode}${answer.addresses.length ? ` ${answer.addresses.join(", ")}` : ""}`, `SideroLink URL ${host.url} (from ${host.from})`];
        const subject = `Proxmox node ${node}, resolver ${server}`;
        const tailscale = answer.addresses.filter((a) => inCidr(a, TAILSCALE_CGNAT));
        if (tailscale.length > 0) {
          findings.push({ subject, evidence, message: `answers ${host.host} with the Tailscale address ${tailscale.join(", ")}; fresh VMs are not on the tailnet and cannot register with Omni`, fix: fixFor(node, host.host) });
        } else if (answer.rcode === "TIMEOUT") {
          findings.push({ subject, evidence, message: `timed out: no answer for ${host.host} within the DNS timeout; VMs using it cannot find Omni`, fix: fixFor(node, host.host) });
        } else if (answer.rcode === "NXDOMAIN" || (answer.rcode === "NOERROR" && answer.addresses.length === 0)) {
          const why = PUBLIC_RESOLVERS.has(server) ? "is a public resolver and has no record for the LAN name" : "has no record for it";
          findings.push({ subject, evidence, message: `${why} (${answer.rcode === "NXDOMAIN" ? "NXDOMAIN" : "empty answer"} for ${host.host}); VMs using it cannot find Omni`, fix: fixFor(node, host.host) });
        } else if (answer.rcode !== "NOERROR") {
          findings.push({ subject, evidence, message: `answered ${answer.rcode} for ${host.host}`, fix: fixFor(node, host.host) });
        } else if (PUBLIC_RESOLVERS.has(server) && !answer.addresses.some(isPrivateIPv4)) {
          if (lan) {
            findings.push({ subject, evidence: [...evidence, `Omni's LAN address ${lan.ip} (from ${lan.from})`], message: `is a public resolver: it answers ${answer.addresses.join(", ")} and lacks the LAN record (${lan.ip}), so VMs using it try to reach Omni the public way`, fix: fixFor(node, host.host) });
          } else {
            findings.push({ severity: "warning", subject, evidence, message: `is a public resolver: it answers ${answer.addresses.join(", ")} and bypasses any split-horizon LAN record`, fix: fixFor(node, host.host) });
          }
        } else if (kitLan && answer.addresses.some(isPrivateIPv4) && !answer.addresses.includes(kitLan.ip)) {
          findings.push({ severity: "warning", subject, evidence: [...evidence, `Omni's LAN address ${kitLan.ip} (from ${kitLan.from})`], message: `answers ${answer.addresses.join(", ")} for ${host.host}, but the kit publishes Omni on ${kitLan.ip}`, fix: fixFor(node, host.host) });
        }
      }
    }
    for (const [node, error] of answers.errors) {
      if (!resolvers.errors.has(node)) findings.push({ status: error.status, subject: `Proxmox node ${node}`, message: error.describe() });
    }
    const asked = [...answers.values.values()].reduce((n, s) => n + s.length, 0);
    return findings.length > 0 ? findings : [pass(`${asked} resolver(s) on ${answers.values.size} node(s) answer ${host.host} with a reachable address`)];
  },
});

function fixFor(node: string, host: string): Fix {
  return {
    summary: `Make ${host} resolve to Omni's LAN address for the VMs`,
    steps: [
      { kind: "manual", description: `in the LAN DNS (router, Pi-hole, Unifi...), add a record ${host} → Omni's LAN IP; keep the public record for remote admin access`, destructive: false },
      {
        kind: "manual",
        description: `point ${node} at the LAN DNS so the VMs it creates inherit it: on ${node} run \`pvesh set /nodes/${node}/dns --search <your-domain> --dns1 <LAN DNS IP>\``,
        destructive: false,
      },
    ],
  };
}
