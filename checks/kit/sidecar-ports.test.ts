import { describe, expect, it } from "vitest";
import check from "./sidecar-ports.ts";
import { kitFrom, runWith, testCheck } from "../../test/harness/check-tester.ts";
import { deployment } from "../../src/sources/kit/deployment.ts";

const facts = (files: Record<string, string>) => ({ deployment: deployment(kitFrom(files)) });
const stack = (ports: string[]) =>
  `services:\n  omni-tailscale:\n    image: tailscale/tailscale:stable\n${ports.length ? `    ports:\n${ports.map((p) => `      - "${p}"  # LAN\n`).join("")}` : ""}    restart: always\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.9.3\n    network_mode: "service:omni-tailscale"\n    command: >\n      --bind-addr=0.0.0.0:443\n      --machine-api-bind-addr=0.0.0.0:8090\n      --k8s-proxy-bind-addr=0.0.0.0:8100\n      --advertised-api-url=https://omni.lab.example\n      --machine-api-advertised-url=https://omni.lab.example:8090/\n      --siderolink-wireguard-advertised-addr=192.168.10.20:50180\n`;
const ALL = ["${HOST_IP}:443:443", "${HOST_IP}:8090:8090", "${HOST_IP}:8100:8100", "${HOST_IP}:50180:50180/udp"];

testCheck(check, {
  valid: [{ name: "the four ports on the LAN IP (the kit's fix)", facts: facts({ "omni/compose.yml": stack(ALL), "omni/.env": "HOST_IP=192.168.10.20\n" }) }],
  invalid: [
    {
      name: "nothing published (Tailscale Serve only)",
      facts: facts({ "compose.yaml": stack([]) }),
      results: [{ status: "fail", subject: "compose.yaml: omni → omni-tailscale", message: /443\/tcp \(API and UI\) is not published; 8090\/tcp.*50180\/udp/, location: { line: 2, column: 3 }, evidence: ["omni-tailscale ports: none"], fix: ["edit"] }],
    },
    {
      name: "WireGuard missing, the API bound to localhost",
      facts: facts({ "compose.yaml": stack(["127.0.0.1:443:443", "8090:8090", "8100:8100"]) }),
      results: [{ message: /443\/tcp \(API and UI\) is published on localhost only; 50180\/udp \(SideroLink WireGuard\) is not published/ }],
    },
    {
      name: "advertised on a port that is not published",
      facts: facts({ "compose.yaml": stack(["443:443", "8091:8090", "8100:8100", "50180:50180/udp"]) }),
      results: [{ message: /--machine-api-advertised-url uses port 8090\/tcp, which the sidecar does not publish/, fix: ["manual"] }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("kit/sidecar-ports fix", () => {
  it("adds the missing mappings with the same host address, and the result passes", async () => {
    const before = stack(ALL.slice(0, 2));
    const [result] = await runWith(check, facts({ "compose.yml": before, ".env": "HOST_IP=192.168.10.20\n" }));
    const step = result!.fix!.steps[0]!;
    if (step.kind !== "edit") throw new Error("expected an edit");
    expect(step.edit.after).toBe(before.replace('8090:8090"  # LAN\n', '8090:8090"  # LAN\n      - "${HOST_IP}:8100:8100"\n      - "${HOST_IP}:50180:50180/udp"\n'));
    expect((await runWith(check, facts({ "compose.yml": step.edit.after, ".env": "HOST_IP=192.168.10.20\n" }))).map((r) => r.status)).toEqual(["pass"]);
  });
});
