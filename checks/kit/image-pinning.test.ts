import check from "./image-pinning.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { deployment } from "../../src/sources/kit/deployment.ts";

const facts = (files: Record<string, string>) => ({ deployment: deployment(kitFrom(files)) });
const compose = (...images: string[]) => `services:\n${images.map((image, i) => `  s${i}:\n    image: ${image}\n`).join("")}`;

testCheck(check, {
  valid: [
    { name: "version tags and digest pins (latest@sha256 included)", facts: facts({ "compose.yml": compose("ghcr.io/siderolabs/omni:v1.9.3", "tailscale/tailscale:latest@sha256:d54b2e6a9c09f0e5ec52e82b9ad4af3d446b54a7c08075e92f11c39dd410105f", "ghcr.io/siderolabs/omni-infra-provider-proxmox:local-fix") }), message: /3 image/ },
    { name: "build-only services are not judged", facts: facts({ "compose.yml": "services:\n  omni:\n    build: .\n  tail:\n    image: tailscale/tailscale:v1.80.0\n" }) },
  ],
  invalid: [
    { name: "no tag (anvaplus's provider)", facts: facts({ "docker-compose.yaml": compose("ghcr.io/siderolabs/omni-infra-provider-proxmox") }), results: [{ status: "warn", subject: "docker-compose.yaml: s0", message: /no tag means latest/, location: { line: 3, column: 12 }, fix: ["manual"] }] },
    { name: ":latest", facts: facts({ "compose.yaml": compose("ghcr.io/siderolabs/omni:latest") }), results: [{ message: /latest changes whenever/ }] },
    { name: "tag behind a variable (Omni-Scale's stalled hub)", facts: facts({ "compose.yaml": compose('"ghcr.io/siderolabs/omni:${OMNI_IMG_TAG}"'), ".env": "OMNI_IMG_TAG=v1.4.6\n" }), results: [{ message: /the tag is \$\{OMNI_IMG_TAG\}/ }] },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});
