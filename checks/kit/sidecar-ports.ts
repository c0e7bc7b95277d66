import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { deployment } from "../../src/sources/kit/facts.ts";
import { serviceList, servicePorts, serviceSubject, type PortMapping } from "../../src/sources/kit/compose.ts";
import { addListItems } from "../../src/sources/kit/compose-edit.ts";
import { editStep } from "../../src/sources/kit/text-edit.ts";
import type { OmniService } from "../../src/sources/kit/deployment.ts";

interface Needed {
  port: number;
  protocol: "tcp" | "udp";
  what: string;
}

const portOf = (addr: string | undefined) => (addr && /:(\d+)$/.test(addr) ? Number(/:(\d+)$/.exec(addr)![1]) : undefined);

function urlPort(url: string | undefined): number | undefined {
  if (!url || url.includes("$")) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.port ? Number(parsed.port) : parsed.protocol === "http:" ? 80 : 443;
  } catch {
    return undefined;
  }
}

/** Container ports Omni listens on (its bind flags, else the usual ones) and host ports it advertises. */
function needs(omni: OmniService): { listen: Needed[]; advertised: Needed[] } {
  const bind = (flag: string, fallback: number) => portOf(omni.get(flag)?.value) ?? fallback;
  const listen: Needed[] = [
    { port: bind("bind-addr", 443), protocol: "tcp", what: "API and UI" },
    { port: bind("machine-api-bind-addr", 8090), protocol: "tcp", what: "SideroLink machine API" },
    { port: bind("k8s-proxy-bind-addr", 8100), protocol: "tcp", what: "Kubernetes proxy" },
    { port: bind("siderolink-wireguard-bind-addr", 50180), protocol: "udp", what: "SideroLink WireGuard" },
  ];
  const advertised = ([
    { port: urlPort(omni.get("advertised-api-url")?.value) ?? -1, protocol: "tcp", what: "--advertised-api-url" },
    { port: urlPort(omni.get("machine-api-advertised-url")?.value) ?? -1, protocol: "tcp", what: "--machine-api-advertised-url" },
    { port: urlPort(omni.get("advertised-kubernetes-proxy-url")?.value) ?? -1, protocol: "tcp", what: "--advertised-kubernetes-proxy-url" },
    { port: portOf(omni.get("siderolink-wireguard-advertised-addr")?.value) ?? -1, protocol: "udp", what: "--siderolink-wireguard-advertised-addr" },
  ] satisfies Needed[]).filter((n) => n.port > 0);
  return { listen, advertised };
}

const LOCAL = new Set(["127.0.0.1", "::1", "localhost"]);

export default defineCheck({
  meta: {
    id: "kit/sidecar-ports",
    title: "Omni's ports are not published on the LAN by its sidecar",
    severity: "error",
    sources: ["files"],
    symptoms: ["ERR_CONNECTION_REFUSED", "connection refused"],
    fixable: ["edit", "manual"],
  },
  facts: { deployment },
  run({ deployment }) {
    const pairs = deployment.sidecars.flatMap(({ user, sidecar }) => deployment.omni.filter((o) => o.service === user).map((omni) => ({ omni, sidecar })));
    if (pairs.length === 0) return [skip("Omni does not run in a Tailscale sidecar's network")];
    const findings: Finding[] = [];
    for (const { omni, sidecar } of pairs) {
      const published = servicePorts(sidecar);
      const lan = published.filter((p) => !LOCAL.has(p.hostIp ?? ""));
      const { listen, advertised } = needs(omni);
      const missing = listen.filter((n) => !lan.some((p) => p.containerPort === n.port && p.protocol === n.protocol));
      const problems = missing.map((n) => `${n.port}/${n.protocol} (${n.what})${published.some((p) => p.containerPort === n.port && p.protocol === n.protocol) ? " is published on localhost only" : " is not published"}`);
      for (const n of advertised) {
        const match = (p: PortMapping) => p.hostPort === n.port && p.protocol === n.protocol;
        if (!lan.some(match) && !missing.some((m) => m.port === n.port && m.protocol === n.protocol)) problems.push(`${n.what} uses port ${n.port}/${n.protocol}, which the sidecar does not publish`);
      }
      if (problems.length === 0) continue;
      // New mappings use the host address the existing ones use (e.g. ${HOST_IP}), so they land on the same interface.
      const prefixes = new Set(serviceList(sidecar, "ports").map((p) => /^(.*):\d+:\d+(\/(tcp|udp))?$/.exec(p.value)?.[1] ?? ""));
      const prefix = prefixes.size === 1 ? [...prefixes][0]! : "";
      const items = missing.map((n) => JSON.stringify(`${prefix ? `${prefix}:` : ""}${n.port}:${n.port}${n.protocol === "udp" ? "/udp" : ""}`));
      const edit = items.length > 0 ? editStep(sidecar.file, `publish ${missing.map((n) => `${n.port}/${n.protocol}`).join(", ")} on ${sidecar.name}`, addListItems(sidecar, "ports", items)) : undefined;
      findings.push({
        subject: `${serviceSubject(omni.service)} → ${sidecar.name}`,
        message: `Omni shares ${sidecar.name}'s network, so only ports that ${sidecar.name} publishes reach it from the LAN (Talos machines, browsers): ${problems.join("; ")}`,
        location: sidecar.locateKey(["ports"]),
        evidence: [`${sidecar.name} ports: ${published.map((p) => `${p.hostIp ? `${p.hostIp}:` : ""}${p.hostPort ?? "?"}->${p.containerPort}/${p.protocol}`).join(", ") || "none"}`],
        fix: {
          summary: `Publish Omni's ports on ${sidecar.name}`,
          steps: [edit ?? { kind: "manual", description: `under ${sidecar.name} in ${sidecar.file.path}, publish each port Omni listens on and advertises, on the host's LAN address (e.g. "\${HOST_IP}:443:443", "\${HOST_IP}:50180:50180/udp")`, destructive: false }],
        },
      });
    }
    return findings.length > 0 ? findings : [pass("the sidecar publishes every port Omni listens on and advertises")];
  },
});
