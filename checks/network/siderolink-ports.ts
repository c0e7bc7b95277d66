import { defineCheck, pass, type Finding } from "../../src/engine/check.ts";
import { siderolinkPorts, type PortProbe } from "../../src/sources/net/facts.ts";

/** Why each port matters to whom. */
function consequence(probe: PortProbe): string {
  if (probe.port === 8090 || probe.what.startsWith("SideroLink")) return "new VMs cannot register with Omni";
  if (probe.what.startsWith("Kubernetes")) return "kubectl through Omni does not work from the LAN";
  return "the Omni UI and omnictl do not work from the LAN";
}

export default defineCheck({
  meta: {
    id: "network/siderolink-ports",
    title: "Omni's ports are not reachable on its LAN address",
    severity: "error",
    sources: ["net", "files", "dns", "pve", "omni"],
    symptoms: ["ERR_CONNECTION_REFUSED", "dial tcp <ip>:8090: connect: connection refused", "dial tcp <ip>:8090: i/o timeout", "SideroLink shows a red X"],
    fixable: ["manual"],
  },
  facts: { ports: siderolinkPorts },
  run({ ports }) {
    const { ip, from } = ports.address;
    const findings: Finding[] = [];
    for (const probe of ports.tcp) {
      if (probe.answer.connected) continue;
      const subject = `Omni ${ip}:${probe.port} (${probe.what})`;
      const evidence = [`tcp ${ip}:${probe.port}: ${probe.answer.error ?? "not connected"}`, `address from ${from}, port from ${probe.from}`];
      if (probe.answer.error === "ECONNREFUSED") {
        findings.push({
          subject,
          message: `refuses connections: nothing listens on ${ip}:${probe.port}, so ${consequence(probe)}`,
          evidence,
          fix: {
            summary: `Publish port ${probe.port} on ${ip}`,
            steps: [
              { kind: "manual", description: `publish "${ip}:${probe.port}:${probe.port}" in the ports of the container whose network Omni uses (the Tailscale sidecar when Omni runs with network_mode: service:<sidecar>), then \`docker compose up -d\``, destructive: false },
            ],
          },
        });
      } else {
        findings.push({
          severity: "warning",
          subject,
          message: `did not answer from here (${probe.answer.error ?? "no connection"}): a firewall drops it, or this machine is not on Omni's LAN; if it is, ${consequence(probe)}`,
          evidence,
          fix: { summary: `Open port ${probe.port} on ${ip} to the LAN`, steps: [{ kind: "manual", description: `allow TCP ${probe.port} to ${ip} from the Proxmox VMs' network in the host's and the router's firewall`, destructive: false }] },
        });
      }
    }
    const wireguard = ports.wireguard;
    if (wireguard && !wireguard.published) {
      findings.push({
        severity: "warning",
        subject: `Omni ${ip}:${wireguard.port}/udp (SideroLink WireGuard)`,
        message: `is not published in ${wireguard.from}: VMs can reach the machine API but not the WireGuard tunnel, so they never become connected (UDP cannot be probed from here, this comes from the compose file)`,
        evidence: [`no "${wireguard.port}/udp" in the ports of ${wireguard.from}`],
        fix: { summary: `Publish ${wireguard.port}/udp on ${ip}`, steps: [{ kind: "manual", description: `add "${ip}:${wireguard.port}:${wireguard.port}/udp" to the ports of the container whose network Omni uses`, destructive: false }] },
      });
    }
    if (findings.length > 0) return findings;
    const udp = wireguard ? `; UDP ${wireguard.port} is published in ${wireguard.from} (UDP cannot be probed)` : "";
    return [pass(`Omni at ${ip} accepts connections on ${ports.tcp.map((p) => p.port).join(", ")} from here${udp}`)];
  },
});
