import check from "./provider-image.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { deployment } from "../../src/sources/kit/deployment.ts";

const facts = (image: string) => ({ deployment: deployment(kitFrom({ "proxmox-provider/compose.yml": `services:\n  proxmox-provider:\n    image: ${image}\n    command: [--config-file=/config.yaml]\n` })) });

testCheck(check, {
  valid: [
    { name: "a release", facts: facts("ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0") },
    { name: "latest pinned by digest (talos-argocd)", facts: facts("ghcr.io/siderolabs/omni-infra-provider-proxmox:latest@sha256:96433a9747ffc2649b5be114bc6bd8034cc59972e21e73297c8b619940bcc5bf") },
  ],
  invalid: [
    { name: "no tag", facts: facts("ghcr.io/siderolabs/omni-infra-provider-proxmox"), results: [{ status: "warn", severity: "warning", subject: "proxmox-provider/compose.yml: proxmox-provider", message: /no tag: which provider build runs/, location: { line: 3, column: 12 } }] },
    { name: "a build with the hostname patch", facts: facts("ghcr.io/siderolabs/omni-infra-provider-proxmox:f1daa55"), results: [{ severity: "warning", message: /static hostname is already set/ }] },
    { name: "a local build (mitchross's starter): advice", facts: facts("ghcr.io/siderolabs/omni-infra-provider-proxmox:local-20251219-1428"), results: [{ status: "warn", severity: "info", message: /locally built/ }] },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});
