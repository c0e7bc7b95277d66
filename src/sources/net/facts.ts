/** Facts about reaching Omni from the machines: the SideroLink host and what each node's resolvers say about it. */
import { defineFact } from "../../engine/fact.ts";
import { deployment as deploymentFact, kit as kitFact } from "../kit/facts.ts";
import { servicePorts } from "../kit/compose.ts";
import type { Deployment } from "../kit/deployment.ts";
import { envValue } from "../kit/env-file.ts";
import { siderolinkApiUrl } from "../omni/facts.ts";
import { nodeResolvers, type PerSubject } from "../proxmox/facts.ts";
import { SourceError, isSourceError } from "../source-error.ts";
import type { DnsAnswer, TcpAnswer } from "../transport.ts";
import type { Kit } from "../kit/kit.ts";
import { isPrivateIPv4 } from "../../util/ip.ts";
import net from "node:net";

export interface SiderolinkHost {
  host: string;
  url: string;
  /** Where we learned it: a kit file, or Omni. */
  from: string;
}

/** Settings that name the host VMs must reach, best first (deprecated aliases are resolved by the deployment). */
const URL_SETTINGS = ["machine-api-advertised-url", "advertised-api-url"];
const URL_ENV = ["MACHINE_API_ADVERTISED_URL", "SIDEROLINK_ADVERTISED_API_URL", "SIDEROLINK_API_ADVERTISED_URL", "ADVERTISED_API_URL"];

function hostOf(url: string): string | undefined {
  try {
    const host = new URL(/^[a-z]+:\/\//i.test(url) ? url : `https://${url}`).hostname;
    return host && !host.includes("$") ? host.replace(/^\[|\]$/g, "") : undefined;
  } catch {
    return undefined;
  }
}

/** The advertised SideroLink (else API) URL from the Omni service's settings, else from env files. */
export function siderolinkHostFromKit(kit: Kit, deployment: Deployment): SiderolinkHost | undefined {
  for (const flag of URL_SETTINGS) {
    for (const omni of deployment.omni) {
      const url = omni.get(flag)?.value;
      const host = url ? hostOf(url) : undefined;
      if (url && host) return { host, url, from: omni.service.file.path };
    }
  }
  for (const key of URL_ENV) {
    for (const env of kit.env.filter((e) => !e.example)) {
      const url = envValue(env, key);
      const host = url ? hostOf(url) : undefined;
      if (url && host) return { host, url, from: env.path };
    }
  }
  return undefined;
}

/** Where Omni listens for the VMs and for people, as the kit publishes it. */
export interface OmniEndpoints {
  /** Omni's LAN address: the WireGuard advertised address, the host IP its ports are published on, or HOST_IP. */
  lanAddress: { ip: string; from: string } | undefined;
  /** TCP ports of the advertised URLs (Omni's defaults where the kit does not say). */
  tcp: Array<{ port: number; what: string; from: string }>;
  /** The SideroLink WireGuard port (UDP) and whether compose publishes it; undefined when the kit has no Omni service. */
  wireguard: { port: number; published: boolean; from: string } | undefined;
}

const TCP_ENDPOINTS: Array<{ flags: string[]; port: number; what: string }> = [
  { flags: ["advertised-api-url"], port: 443, what: "Omni API and UI" },
  { flags: ["machine-api-advertised-url"], port: 8090, what: "SideroLink machine API" },
  { flags: ["advertised-kubernetes-proxy-url"], port: 8100, what: "Kubernetes proxy" },
];
const WIREGUARD_FLAG = "siderolink-wireguard-advertised-addr";
const DEFAULT_WIREGUARD_PORT = 50180;

function portOf(url: string, fallback: number): number | undefined {
  try {
    const parsed = new URL(/^[a-z]+:\/\//i.test(url) ? url : `https://${url}`);
    return parsed.port ? Number(parsed.port) : fallback;
  } catch {
    return undefined;
  }
}

/** Omni's service in the kit (the one with SideroLink settings), and the service whose network it uses. */
export function omniEndpointsFromKit(deployment: Deployment): OmniEndpoints | undefined {
  const omni = deployment.omni.find((s) => [WIREGUARD_FLAG, ...TCP_ENDPOINTS.flatMap((e) => e.flags)].some((flag) => s.get(flag) !== undefined));
  if (!omni) return undefined;
  const valueOf = (flag: string) => omni.get(flag)?.value;
  const publisher = deployment.sidecars.find((s) => s.user === omni.service)?.sidecar ?? omni.service;
  const published = servicePorts(publisher).map((p) => ({ ip: p.hostIp, port: p.hostPort ?? p.containerPort, protocol: p.protocol }));

  const tcp = TCP_ENDPOINTS.map(({ flags, port, what }) => {
    const url = flags.map(valueOf).find((v) => v !== undefined);
    return { port: (url && portOf(url, port)) || port, what, from: url ? omni.service.file.path : "Omni's default" };
  });
  const wireguardAddr = valueOf(WIREGUARD_FLAG);
  const wireguardPort = Number(wireguardAddr?.split(":").pop()) || DEFAULT_WIREGUARD_PORT;
  const hostNetwork = [omni.service, publisher].some((s) => s.value.network_mode === "host");
  const wireguard = { port: wireguardPort, published: hostNetwork || published.some((p) => p.port === wireguardPort && p.protocol === "udp"), from: publisher.file.path };

  const candidates = [wireguardAddr?.replace(/:\d+$/, ""), ...published.map((p) => p.ip), omni.service.project.env.lookup("HOST_IP")?.value];
  const ip = candidates.find((c): c is string => c !== undefined && net.isIPv4(c) && c !== "0.0.0.0");
  return { lanAddress: ip ? { ip, from: omni.service.file.path } : undefined, tcp, wireguard };
}

export const omniEndpoints = defineFact<OmniEndpoints | undefined>({
  id: "files.omniEndpoints",
  source: "files",
  resolve: async (ctx) => omniEndpointsFromKit(await ctx.fact(deploymentFact)),
});

export const siderolinkHost = defineFact<SiderolinkHost | undefined>({
  id: "files.siderolinkHost",
  source: "files",
  alsoReads: ["omni"],
  resolve: async (ctx) => {
    const fromKit = siderolinkHostFromKit(await ctx.fact(kitFact), await ctx.fact(deploymentFact));
    if (fromKit) return fromKit;
    const omni = await ctx.tryFact(siderolinkApiUrl);
    const host = omni.ok && omni.value ? hostOf(omni.value) : undefined;
    return omni.ok && omni.value && host ? { host, url: omni.value, from: "Omni (SiderolinkAPIConfigs)" } : undefined;
  },
});

export interface ResolverAnswer {
  server: string;
  answer: DnsAnswer;
}

/** Every Proxmox node's resolvers asked directly for the SideroLink host. */
export const siderolinkAnswers = defineFact<PerSubject<ResolverAnswer[]>>({
  id: "dns.siderolinkAnswers",
  source: "dns",
  alsoReads: ["pve", "files", "omni"],
  resolve: async (ctx) => {
    const target = await ctx.fact(siderolinkHost);
    if (!target) {
      throw new SourceError("dns", "not-configured", "no SideroLink host known", "add the kit's Omni compose file, or make omnictl work so Omni can tell");
    }
    const resolvers = await ctx.fact(nodeResolvers);
    const result: PerSubject<ResolverAnswer[]> = { values: new Map(), errors: new Map(resolvers.errors) };
    await Promise.all(
      [...resolvers.values].map(async ([node, servers]) => {
        try {
          result.values.set(node, await Promise.all(servers.map(async (server) => ({ server, answer: await ctx.dns.query(server, target.host) }))));
        } catch (error) {
          if (!isSourceError(error)) throw error;
          result.errors.set(node, error);
        }
      }),
    );
    return result;
  },
});

export interface PortProbe {
  port: number;
  what: string;
  /** Where the port number came from. */
  from: string;
  answer: TcpAnswer;
}

export interface SiderolinkPorts {
  /** The address probed, and where it came from. */
  address: { ip: string; from: string };
  tcp: PortProbe[];
  wireguard: OmniEndpoints["wireguard"];
}

/** Omni's TCP ports on its LAN address (from the kit, else a private answer of the nodes' resolvers), connected to from here. */
export const siderolinkPorts = defineFact<SiderolinkPorts>({
  id: "net.siderolinkPorts",
  source: "net",
  alsoReads: ["files", "dns", "pve", "omni"],
  resolve: async (ctx) => {
    const endpoints = await ctx.tryFact(omniEndpoints);
    const fromKit = endpoints.ok ? endpoints.value : undefined;
    let address = fromKit?.lanAddress;
    if (!address) {
      const answers = await ctx.tryFact(siderolinkAnswers);
      const lan = answers.ok ? [...answers.value.values.values()].flat().flatMap((a) => a.answer.addresses).find(isPrivateIPv4) : undefined;
      if (lan) address = { ip: lan, from: "the Proxmox nodes' resolvers" };
    }
    if (!address) {
      throw new SourceError("net", "not-configured", "Omni's LAN address is unknown", "add the kit's Omni compose file (with HOST_IP or the published ports), or a LAN DNS record for the SideroLink host");
    }
    const ports = fromKit?.tcp ?? TCP_ENDPOINTS.map(({ port, what }) => ({ port, what, from: "Omni's default" }));
    const target = address;
    const tcp = await Promise.all(ports.map(async (p) => ({ ...p, answer: await ctx.net.connect(target.ip, p.port) })));
    return { address: target, tcp, wireguard: fromKit?.wireguard };
  },
});
