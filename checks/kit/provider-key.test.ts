import check from "./provider-key.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { deployment } from "../../src/sources/kit/deployment.ts";

const facts = (files: Record<string, string>) => {
  const kit = kitFrom(files);
  return { kit, deployment: deployment(kit) };
};
const provider = (extra: string) => `services:\n  proxmox-provider:\n    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0\n${extra}`;
const FLAG = "    command:\n      - --omni-api-endpoint=https://omni.lab.example/\n      - --omni-service-account-key=${OMNI_SERVICE_ACCOUNT_KEY}\n";

testCheck(check, {
  valid: [
    { name: "flag from .env", facts: facts({ "p/compose.yml": provider(FLAG), "p/.env": "OMNI_SERVICE_ACCOUNT_KEY=eyJ0b2tlbiI6InJlYWwta2V5LWZvci10ZXN0aW5nLW9ubHkifQ\n" }) },
    { name: "placeholder in an example only (not judged)", facts: facts({ "p/compose.yml": provider(FLAG), "p/.env.example": "OMNI_SERVICE_ACCOUNT_KEY=eyJ...base64-encoded-key...\n" }) },
    { name: "the legacy name feeding the flag is fine (mitchross)", facts: facts({ "p/compose.yml": provider("    env_file:\n      - .env\n    command: >\n      --omni-api-endpoint ${OMNI_API_ENDPOINT}\n      --omni-service-account-key ${OMNI_INFRA_PROVIDER_KEY}\n") }) },
    { name: "no flag, the key in the environment from env_file", facts: facts({ "p/compose.yml": provider("    env_file: .env\n    command: [--omni-api-endpoint=https://omni.lab.example/]\n"), "p/.env": "OMNI_SERVICE_ACCOUNT_KEY=eyJ0b2tlbiI6InJlYWwifQ\n" }) },
  ],
  invalid: [
    {
      name: "the legacy variable in the environment (the kit's old troubleshooting page)",
      facts: facts({ "p/compose.yml": provider("    env_file: .env\n    command: [--omni-api-endpoint=https://omni.lab.example/]\n"), "p/.env": "OMNI_INFRA_PROVIDER_KEY=eyJ0b2tlbiI6InJlYWwifQ\n" }),
      results: [{ status: "fail", subject: "p/compose.yml: proxmox-provider", message: /OMNI_INFRA_PROVIDER_KEY, which the provider does not read/, location: { file: "p/.env", line: 1, column: 1 } }],
    },
    { name: "the placeholder left in the live .env", facts: facts({ "p/compose.yml": provider(FLAG), "p/.env": "OMNI_SERVICE_ACCOUNT_KEY=eyJ...base64-encoded-key...\n" }), results: [{ message: /the key is the placeholder/, location: { file: "p/compose.yml", line: 6, column: 9 } }] },
    { name: "not defined while .env exists", facts: facts({ "p/compose.yml": provider(FLAG), "p/.env": "OMNI_API_ENDPOINT=https://omni.lab.example/\n" }), results: [{ message: /\$\{OMNI_SERVICE_ACCOUNT_KEY\} is not defined/ }] },
    { name: "no key at all", facts: facts({ "p/compose.yml": provider("    command: [--omni-api-endpoint=https://omni.lab.example/]\n") }), results: [{ message: /gets no key/, location: { line: 4, column: 5 } }] },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});
