import { describe, expect, it } from "vitest";
import check from "./siderolink-ports.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { deployment } from "../../src/sources/kit/deployment.ts";
import { omniEndpointsFromKit, type SiderolinkPorts } from "../../src/sources/net/facts.ts";
import type { TcpAnswer } from "../../src/sources/transport.ts";

const address = { ip: "192.168.10.20", from: "omni/compose.yaml" };
const probes = (a443: TcpAnswer, a8090: TcpAnswer, a8100: TcpAnswer = { connected: true }): SiderolinkPorts["tcp"] => [
  { port: 443, what: "Omni API and UI", from: "omni/compose.yaml", answer: a443 },
  { port: 8090, what: "SideroLink machine API", from: "omni/compose.yaml", answer: a8090 },
  { port: 8100, what: "Kubernetes proxy", from: "omni/compose.yaml", answer: a8100 },
];
const up = { connected: true };
const published = { port: 50180, published: true, from: "omni/compose.yaml" };

testCheck(check, {
  valid: [
    { name: "every port answers, UDP published", facts: { ports: { address, tcp: probes(up, up), wireguard: published } }, message: "Omni at 192.168.10.20 accepts connections on 443, 8090, 8100 from here; UDP 50180 is published in omni/compose.yaml (UDP cannot be probed)" },
    { name: "no Omni compose file: default ports, address from DNS", facts: { ports: { address: { ip: "192.168.10.20", from: "the Proxmox nodes' resolvers" }, tcp: probes(up, up), wireguard: undefined } } },
  ],
  invalid: [
    {
      name: "the sidecar publishes only on the tailnet: refused on the LAN (seed 000)",
      facts: { ports: { address, tcp: probes({ connected: false, error: "ECONNREFUSED" }, { connected: false, error: "ECONNREFUSED" }), wireguard: published } },
      results: [
        { status: "fail", subject: "Omni 192.168.10.20:443 (Omni API and UI)", message: /refuses connections: nothing listens on 192.168.10.20:443, so the Omni UI/, evidence: ["tcp 192.168.10.20:443: ECONNREFUSED", "address from omni/compose.yaml, port from omni/compose.yaml"], fix: ["manual"] },
        { status: "fail", subject: "Omni 192.168.10.20:8090 (SideroLink machine API)", message: /new VMs cannot register with Omni/ },
      ],
    },
    { name: "no answer: maybe not on the LAN, a warning", facts: { ports: { address, tcp: probes(up, { connected: false, error: "TIMEOUT" }), wireguard: published } }, results: [{ status: "warn", message: /did not answer from here \(TIMEOUT\): a firewall drops it, or this machine is not on Omni's LAN/ }] },
    { name: "WireGuard not published as UDP", facts: { ports: { address, tcp: probes(up, up), wireguard: { ...published, published: false } } }, results: [{ status: "warn", subject: "Omni 192.168.10.20:50180/udp (SideroLink WireGuard)", message: /is not published in omni\/compose.yaml/ }] },
  ],
  unavailable: [
    { name: "Omni's LAN address unknown", source: "net", kind: "not-configured", status: "skip" },
    { name: "--offline", source: "net", kind: "offline", status: "skip" },
  ],
});

describe("omniEndpointsFromKit", () => {
  it("reads the omni-scale layout: sidecar ports on ${HOST_IP}, URLs from the env file", () => {
    const kit = kitFrom({
      "omni/compose.yml": `services:
  omni-tailscale:
    image: tailscale/tailscale
    ports:
      - "\${HOST_IP:-192.168.10.20}:8090:8090"
      - "\${HOST_IP:-192.168.10.20}:50180:50180/udp"
      - "\${HOST_IP:-192.168.10.20}:443:443"
  omni:
    image: ghcr.io/siderolabs/omni:v1.9.3
    network_mode: "service:omni-tailscale"
    command: >
      --advertised-api-url=\${ADVERTISED_API_URL}
      --machine-api-advertised-url=\${SIDEROLINK_ADVERTISED_API_URL}
      --advertised-kubernetes-proxy-url=\${ADVERTISED_K8S_PROXY_URL}
`,
      "omni/.env": 'HOST_IP=192.168.10.30\nADVERTISED_API_URL="https://omni.lab.example"\nSIDEROLINK_ADVERTISED_API_URL="https://omni.lab.example:8090/"\nADVERTISED_K8S_PROXY_URL="https://omni.lab.example:8100/"\n',
    });
    expect(omniEndpointsFromKit(deployment(kit))).toEqual({
      lanAddress: { ip: "192.168.10.30", from: "omni/compose.yml" },
      tcp: [
        { port: 443, what: "Omni API and UI", from: "omni/compose.yml" },
        { port: 8090, what: "SideroLink machine API", from: "omni/compose.yml" },
        { port: 8100, what: "Kubernetes proxy", from: "omni/compose.yml" },
      ],
      wireguard: { port: 50180, published: true, from: "omni/compose.yml" },
    });
  });

  it("prefers the WireGuard advertised address; no UDP port published is seen", () => {
    const kit = kitFrom({
      "compose.yaml": `services:
  omni:
    image: ghcr.io/siderolabs/omni:v1.10.4
    ports: ["8090:8090", "443:443"]
    command:
      - --machine-api-advertised-url=https://omni.lab.example:18090/
      - --siderolink-wireguard-advertised-addr=192.168.10.25:51820
`,
    });
    const endpoints = omniEndpointsFromKit(deployment(kit))!;
    expect(endpoints.lanAddress).toEqual({ ip: "192.168.10.25", from: "compose.yaml" });
    expect(endpoints.tcp.map((p) => [p.port, p.from])).toEqual([[443, "Omni's default"], [18090, "compose.yaml"], [8100, "Omni's default"]]);
    expect(endpoints.wireguard).toEqual({ port: 51820, published: false, from: "compose.yaml" });
  });
});
