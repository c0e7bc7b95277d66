/** Facts about reaching Omni from the machines: the SideroLink host and what each node's resolvers say about it. */
import { defineFact } from "../../engine/fact.ts";
import { kit as kitFact } from "../kit/facts.ts";
import { commandArgs, composeServices, flagValue, interpolate } from "../kit/compose.ts";
import { envValue } from "../kit/env-file.ts";
import { siderolinkApiUrl } from "../omni/facts.ts";
import { nodeResolvers, type PerSubject } from "../proxmox/facts.ts";
import { SourceError, isSourceError } from "../source-error.ts";
import type { DnsAnswer } from "../transport.ts";
import type { Kit } from "../kit/kit.ts";

export interface SiderolinkHost {
  host: string;
  url: string;
  /** Where we learned it: a kit file, or Omni. */
  from: string;
}

const URL_FLAGS = ["--machine-api-advertised-url", "--siderolink-api-advertised-url", "--advertised-api-url"];
const URL_ENV = ["MACHINE_API_ADVERTISED_URL", "SIDEROLINK_ADVERTISED_API_URL", "SIDEROLINK_API_ADVERTISED_URL", "ADVERTISED_API_URL"];

function hostOf(url: string): string | undefined {
  try {
    const host = new URL(/^[a-z]+:\/\//i.test(url) ? url : `https://${url}`).hostname;
    return host && !host.includes("$") ? host.replace(/^\[|\]$/g, "") : undefined;
  } catch {
    return undefined;
  }
}

/** The advertised SideroLink (else API) URL from the kit's compose commands and env files. */
export function siderolinkHostFromKit(kit: Kit): SiderolinkHost | undefined {
  for (const flag of URL_FLAGS) {
    for (const service of composeServices(kit)) {
      const raw = flagValue(commandArgs(service), flag);
      if (!raw) continue;
      const url = interpolate(raw, service.project.env);
      const host = hostOf(url);
      if (host) return { host, url, from: service.file.path };
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

export const siderolinkHost = defineFact<SiderolinkHost | undefined>({
  id: "files.siderolinkHost",
  source: "files",
  alsoReads: ["omni"],
  resolve: async (ctx) => {
    const fromKit = siderolinkHostFromKit(await ctx.fact(kitFact));
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
