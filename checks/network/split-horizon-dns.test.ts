import check from "./split-horizon-dns.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { SourceError } from "../../src/sources/source-error.ts";
import type { ResolverAnswer } from "../../src/sources/net/facts.ts";

const host = { host: "omni.lab.example", url: "https://omni.lab.example:8090", from: "omni/compose.yaml" };
const perNode = <T>(values: Record<string, T>, errors: Record<string, SourceError> = {}) => ({ values: new Map(Object.entries(values)), errors: new Map(Object.entries(errors)) });
const a = (server: string, rcode: string, ...addresses: string[]): ResolverAnswer => ({ server, answer: { rcode, addresses } });

testCheck(check, {
  valid: [
    {
      name: "every node's resolver answers the LAN address",
      facts: { host, resolvers: perNode({ pve1: ["192.168.10.1"], pve2: ["192.168.10.1"] }), answers: perNode({ pve1: [a("192.168.10.1", "NOERROR", "192.168.10.20")], pve2: [a("192.168.10.1", "NOERROR", "192.168.10.20")] }) },
      message: "2 resolver(s) on 2 node(s) answer omni.lab.example with a reachable address",
    },
  ],
  invalid: [
    {
      name: "public resolver answers the Tailscale address (the four-day boss fight)",
      facts: { host, resolvers: perNode({ pve1: ["1.1.1.1"] }), answers: perNode({ pve1: [a("1.1.1.1", "NOERROR", "100.101.102.103")] }) },
      results: [
        {
          status: "fail",
          subject: "Proxmox node pve1, resolver 1.1.1.1",
          message: /Tailscale address 100.101.102.103/,
          evidence: ["1.1.1.1 → omni.lab.example: NOERROR 100.101.102.103", "SideroLink URL https://omni.lab.example:8090 (from omni/compose.yaml)"],
          fix: ["manual", "manual"],
        },
      ],
    },
    { name: "public resolver lacks the LAN name", facts: { host, resolvers: perNode({ pve1: ["8.8.8.8"] }), answers: perNode({ pve1: [a("8.8.8.8", "NXDOMAIN")] }) }, results: [{ status: "fail", message: /public resolver and has no record.*NXDOMAIN/ }] },
    { name: "resolver does not answer in time", facts: { host, resolvers: perNode({ pve1: ["192.168.10.53"] }), answers: perNode({ pve1: [a("192.168.10.53", "TIMEOUT")] }) }, results: [{ status: "fail", message: /timed out: no answer for omni.lab.example within the DNS timeout/ }] },
    {
      name: "a public resolver answering the public address, while another node's LAN resolver has the LAN record",
      facts: { host, resolvers: perNode({ pve1: ["192.168.10.1"], pve2: ["1.1.1.1"] }), answers: perNode({ pve1: [a("192.168.10.1", "NOERROR", "192.168.10.20")], pve2: [a("1.1.1.1", "NOERROR", "203.0.113.7")] }) },
      results: [{ status: "fail", subject: "Proxmox node pve2, resolver 1.1.1.1", message: /lacks the LAN record \(192.168.10.20\)/, evidence: [/203.0.113.7/, /SideroLink URL/, "Omni's LAN address 192.168.10.20 (from another node's resolver)"] }],
    },
    {
      name: "a public resolver with no LAN record known anywhere is only a warning",
      facts: { host, resolvers: perNode({ pve1: ["8.8.8.8"] }), answers: perNode({ pve1: [a("8.8.8.8", "NOERROR", "203.0.113.7")] }) },
      results: [{ status: "warn", message: /bypasses any split-horizon LAN record/ }],
    },
    {
      name: "a LAN answer that is not the address the kit publishes Omni on",
      facts: { host, endpoints: { lanAddress: { ip: "192.168.10.20", from: "omni/compose.yaml" }, tcp: [], wireguard: undefined }, resolvers: perNode({ pve1: ["192.168.10.1"] }), answers: perNode({ pve1: [a("192.168.10.1", "NOERROR", "192.168.10.99")] }) },
      results: [{ status: "warn", message: /answers 192.168.10.99 for omni.lab.example, but the kit publishes Omni on 192.168.10.20/ }],
    },
    { name: "SERVFAIL is named", facts: { host, resolvers: perNode({ pve1: ["192.168.10.1"] }), answers: perNode({ pve1: [a("192.168.10.1", "SERVFAIL")] }) }, results: [{ status: "fail", message: "answered SERVFAIL for omni.lab.example" }] },
    {
      name: "one node offline, one node fine",
      facts: {
        host,
        resolvers: perNode({ pve1: ["192.168.10.1"] }, { pve3: new SourceError("pve", "unreachable", "GET /nodes/pve3/dns: 595 No route to host") }),
        answers: perNode({ pve1: [a("192.168.10.1", "NOERROR", "192.168.10.20")] }),
      },
      results: [{ status: "error", subject: "Proxmox node pve3", message: /595 No route to host/ }],
    },
  ],
  unavailable: [
    { name: "no Proxmox credentials", source: "pve", kind: "not-configured", status: "skip", facts: { host } },
    { name: "no SideroLink host known", source: "dns", kind: "not-configured", status: "skip", facts: { host, resolvers: perNode({}) } },
  ],
});
