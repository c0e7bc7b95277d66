/**
 * Loopback UDP DNS servers built on dns-packet. Each lab resolver IP under 127.0.0.0/8 gets a
 * socket on the same port, so the CLI (with OMNI_DOCTOR_DNS_PORT) asks "127.0.0.2" for real.
 */
import dgram from "node:dgram";
import type { AddressInfo } from "node:net";
import dnsPacket from "dns-packet";
import type { Lab } from "./lab/model.ts";
import { dnsAnswer } from "./lab/dns.ts";

const RCODES: Record<string, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

export interface DnsServers {
  port: number;
  queries: Array<{ server: string; name: string; type: string }>;
  /** Answer from another lab (the resolver addresses stay those of the first). */
  setLab(lab: Lab): void;
  close(): Promise<void>;
}

export async function startDnsServers(initial: Lab, options: { latencyMs?: number } = {}): Promise<DnsServers> {
  let lab = initial;
  const servers = Object.keys(lab.dns ?? {}).filter((ip) => ip.startsWith("127."));
  const queries: DnsServers["queries"] = [];
  const sockets: dgram.Socket[] = [];
  let port = 0;
  for (const ip of servers) {
    const socket = dgram.createSocket("udp4");
    socket.on("message", (message, remote) => {
      const query = dnsPacket.decode(message);
      const question = query.questions?.[0];
      if (!question) return;
      queries.push({ server: ip, name: question.name, type: question.type });
      const answer = dnsAnswer(lab, ip, question.name);
      if (answer.rcode === "TIMEOUT") return; // silence
      const response = dnsPacket.encode({
        type: "response",
        id: query.id,
        flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (RCODES[answer.rcode] ?? 2),
        questions: [question],
        answers: answer.addresses.map((data) => ({ type: "A" as const, class: "IN" as const, name: question.name, ttl: 60, data })),
      });
      const send = () => socket.send(response, remote.port, remote.address);
      if (options.latencyMs) setTimeout(send, options.latencyMs);
      else send();
    });
    await new Promise<void>((resolve) => socket.bind(port, ip, resolve));
    port = (socket.address() as AddressInfo).port;
    sockets.push(socket);
  }
  return {
    port,
    queries,
    setLab: (next) => {
      lab = next;
    },
    close: async () => {
      await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
