import dnsPacket from "dns-packet";
import type { DnsAnswer } from "../transport.ts";

/**
 * Read a UDP message as the reply to our question `id`: undefined when it is not (garbage, another
 * id, a query), else the rcode and the addresses of the asked type.
 */
export function readDnsReply(message: Uint8Array, id: number, type: "A" | "AAAA"): DnsAnswer | undefined {
  let packet: dnsPacket.DecodedPacket;
  try {
    packet = dnsPacket.decode(Buffer.from(message));
  } catch {
    return undefined;
  }
  if (packet.id !== id || packet.type !== "response") return undefined;
  const rcode = (packet as { rcode?: string }).rcode ?? "NOERROR";
  const addresses = (packet.answers ?? []).filter((a) => a.type === type).map((a) => String((a as { data: unknown }).data));
  return { rcode, addresses };
}
