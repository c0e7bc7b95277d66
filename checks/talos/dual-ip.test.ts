import check from "./dual-ip.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import type { AddressStatuses } from "../../src/sources/talos/facts.ts";

function addr(node: string, link: string, address: string, family = "inet4", scope = "global"): AddressStatuses["resources"][number] {
  return { node, metadata: { namespace: "network", type: "AddressStatuses.net.talos.dev", id: `${link}/${address}`, phase: "running", labels: {} }, spec: { address, linkName: link, family, scope } };
}

const healthy = (node: string, ip: string) => [addr(node, "lo", "127.0.0.1/8", "inet4", "host"), addr(node, "ens18", `${ip}/24`), addr(node, "siderolink", "fdae:41e4:649b:9303::a/64", "inet6")];

testCheck(check, {
  valid: [
    { name: "one address per link", facts: { addresses: { resources: [...healthy("talos-w-1", "10.0.0.31"), ...healthy("talos-w-2", "10.0.0.32")], nodeErrors: {} } }, message: /2 node/ },
    {
      name: "a control plane holding the VIP (/32) is not dual-IP",
      facts: { addresses: { resources: [...healthy("talos-cp-1", "10.0.0.21"), addr("talos-cp-1", "ens18", "10.0.0.20/32")], nodeErrors: {} } },
    },
    { name: "CNI devices are ignored", facts: { addresses: { resources: [...healthy("w", "10.0.0.31"), addr("w", "cilium_host", "10.244.1.1/32"), addr("w", "cilium_host", "10.244.1.7/24")], nodeErrors: {} } } },
  ],
  invalid: [
    {
      name: "static address plus a DHCP lease on ens18 (003)",
      facts: { addresses: { resources: [...healthy("talos-w-1", "10.0.0.31"), addr("talos-w-1", "ens18", "10.0.0.157/24"), ...healthy("talos-w-2", "10.0.0.32")], nodeErrors: {} } },
      results: [{ status: "fail", subject: "node talos-w-1", message: /ens18 has 2 IPv4 addresses \(10.0.0.31\/24, 10.0.0.157\/24\)/, evidence: ["talos-w-1 ens18 10.0.0.31/24", "talos-w-1 ens18 10.0.0.157/24"], fix: ["manual"] }],
    },
    {
      name: "one of three nodes unreachable: the others are still judged",
      facts: {
        addresses: {
          resources: [...healthy("a", "10.0.0.31"), ...healthy("b", "10.0.0.32")],
          nodeErrors: { c: 'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 10.0.0.33:50000: connect: connection refused"' },
        },
      },
      results: [{ status: "error", subject: "node c", message: /connection refused/ }],
    },
  ],
  unavailable: [
    { name: "talosctl not installed", source: "talos", kind: "not-installed", status: "skip" },
    { name: "talosconfig certificate expired", source: "talos", kind: "auth", status: "error" },
  ],
});
