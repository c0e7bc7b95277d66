import type { DnsAnswer } from "../../../src/sources/transport.ts";
import type { Lab } from "./model.ts";

/** What a resolver of the lab answers; unknown servers time out, unknown names are NXDOMAIN. */
export function dnsAnswer(lab: Lab, server: string, name: string): DnsAnswer {
  const zone = lab.dns?.[server];
  if (!zone) return { rcode: "TIMEOUT", addresses: [] };
  const record = zone[name.toLowerCase()] ?? zone[name];
  if (record === "timeout") return { rcode: "TIMEOUT", addresses: [] };
  return record ?? { rcode: "NXDOMAIN", addresses: [] };
}
