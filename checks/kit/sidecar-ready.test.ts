import check from "./sidecar-ready.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { deployment } from "../../src/sources/kit/deployment.ts";

const facts = (files: Record<string, string>) => ({ deployment: deployment(kitFrom(files)) });
const stack = (sidecarExtra: string, omniExtra: string) =>
  `services:\n  omni-tailscale:\n    image: tailscale/tailscale:latest@sha256:d54b\n${sidecarExtra}  omni:\n    image: ghcr.io/siderolabs/omni:v1.9.3\n    network_mode: "service:omni-tailscale"\n${omniExtra}`;
const HEALTH = '    healthcheck:\n      test: ["CMD", "tailscale", "status"]\n';
const WAIT = "    depends_on:\n      omni-tailscale:\n        condition: service_healthy\n";

testCheck(check, {
  valid: [{ name: "healthcheck and service_healthy (Omni-Scale)", facts: facts({ "omni/compose.yml": stack(HEALTH, WAIT) }), message: /1 service/ }],
  invalid: [
    { name: "depends_on as a list only waits for the start", facts: facts({ "compose.yml": stack(HEALTH, "    depends_on:\n      - omni-tailscale\n") }), results: [{ status: "warn", subject: "compose.yml: omni → omni-tailscale", message: /does not wait for omni-tailscale to be healthy/, location: { line: 9, column: 5 }, fix: ["manual"] }] },
    { name: "no healthcheck on the sidecar", facts: facts({ "compose.yml": stack("", WAIT) }), results: [{ message: /has no healthcheck/ }] },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});
