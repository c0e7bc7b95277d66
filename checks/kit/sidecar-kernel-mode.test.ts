import { describe, expect, it } from "vitest";
import check from "./sidecar-kernel-mode.ts";
import { kitFrom, runWith, testCheck } from "../../test/harness/check-tester.ts";
import { deployment } from "../../src/sources/kit/deployment.ts";

const facts = (files: Record<string, string>) => ({ deployment: deployment(kitFrom(files)) });
const stack = (sidecar: string, oidc: string) =>
  `services:\n  omni-tailscale:\n    image: tailscale/tailscale:stable\n${sidecar}  omni:\n    image: ghcr.io/siderolabs/omni:v1.9.3\n    network_mode: service:omni-tailscale\n    command:\n      - --auth-oidc-provider-url=${oidc}\n`;
const KERNEL = "    environment:\n      - TS_USERSPACE=false\n    devices:\n      - /dev/net/tun:/dev/net/tun\n    cap_add:\n      - NET_ADMIN\n      - SYS_MODULE\n";

testCheck(check, {
  valid: [
    { name: "kernel mode with a tailnet IdP (the kit's tsidp era)", facts: facts({ "compose.yaml": stack(KERNEL, "https://tsidp.tailnet-1234.ts.net") }) },
    { name: "userspace is fine when nothing needs the tailnet (Auth0)", facts: facts({ "compose.yaml": stack("    environment:\n      - TS_AUTHKEY=${TS_AUTHKEY}\n", "https://dev-xyz.us.auth0.com") }) },
  ],
  invalid: [
    {
      name: "MagicDNS name needed, the sidecar in its default userspace mode",
      facts: facts({ "compose.yaml": stack("    environment:\n      - TS_AUTHKEY=${TS_AUTHKEY}\n", "https://tsidp.tailnet-1234.ts.net") }),
      results: [{ status: "fail", subject: "compose.yaml: omni → omni-tailscale", message: /tsidp.tailnet-1234.ts.net.*TS_USERSPACE is not false, no \/dev\/net\/tun device, no NET_ADMIN or SYS_MODULE capability/, location: { line: 4, column: 5 }, fix: ["edit", "manual"] }],
    },
    {
      name: "TS_ACCEPT_DNS asked for, no tun",
      facts: facts({ "compose.yaml": stack("    environment:\n      - TS_ACCEPT_DNS=true\n      - TS_USERSPACE=false\n    cap_add: [NET_ADMIN, SYS_MODULE]\n", "https://idp.lab.example") }),
      results: [{ message: /TS_ACCEPT_DNS=true.*no \/dev\/net\/tun device/ }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("kit/sidecar-kernel-mode fix", () => {
  it("sets TS_USERSPACE=false and adds the device and capabilities, and the result passes", async () => {
    const before = stack("    environment:\n      - TS_AUTHKEY=${TS_AUTHKEY}\n      - TS_USERSPACE=true\n", "https://tsidp.tailnet-1234.ts.net");
    const [result] = await runWith(check, facts({ "compose.yaml": before }));
    const step = result!.fix!.steps[0]!;
    if (step.kind !== "edit") throw new Error("expected an edit");
    expect(step.edit.after).toBe(before.replace("TS_USERSPACE=true\n", "TS_USERSPACE=false\n    devices:\n      - /dev/net/tun:/dev/net/tun\n    cap_add:\n      - NET_ADMIN\n      - SYS_MODULE\n"));
    expect((await runWith(check, facts({ "compose.yaml": step.edit.after }))).map((r) => r.status)).toEqual(["pass"]);
  });
});
