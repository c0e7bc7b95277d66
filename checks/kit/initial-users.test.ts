import check from "./initial-users.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { deployment } from "../../src/sources/kit/deployment.ts";

const facts = (files: Record<string, string>) => ({ deployment: deployment(kitFrom(files)) });
const compose = (arg: string) => `services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    command:\n      - --name=omni\n${arg ? `      - ${arg}\n` : ""}`;

testCheck(check, {
  valid: [
    { name: "a real address from .env", facts: facts({ "compose.yaml": compose("--initial-users=${INITIAL_USER_EMAILS}"), ".env": "INITIAL_USER_EMAILS=ops@lab.home.arpa,me@lab.home.arpa\n" }) },
    { name: "a placeholder in an example is not judged", facts: facts({ "compose.yaml": compose("--initial-users=${INITIAL_USER_EMAILS}"), ".env.example": "INITIAL_USER_EMAILS=admin@example.com\n" }) },
    { name: "SOPS ciphertext is not judged", facts: facts({ "compose.yaml": compose("--initial-users=${INITIAL_USER_EMAILS}"), "omni.env": "INITIAL_USER_EMAILS=ENC[AES256_GCM,data:REDACTED,iv:REDACTED,tag:REDACTED,type:str]\nsops_version=3.10.2\n" }) },
  ],
  invalid: [
    { name: "the placeholder left in the live .env", facts: facts({ "compose.yaml": compose("--initial-users=${INITIAL_USER_EMAILS}"), ".env": 'INITIAL_USER_EMAILS="admin@example.com"\n' }), results: [{ status: "warn", message: /placeholder admin@example.com/, location: { file: "compose.yaml", line: 6, column: 9 }, fix: ["manual"] }] },
    { name: "empty", facts: facts({ "compose.yaml": compose("--initial-users="), ".env": "X=1\n" }), results: [{ message: /empty/ }] },
    { name: "not set at all", facts: facts({ "compose.yaml": compose("") }), results: [{ message: /not set/, location: { line: 4, column: 5 } }] },
    { name: "space-separated addresses", facts: facts({ "compose.yaml": compose('"--initial-users=a@lab.home.arpa b@lab.home.arpa"') }), results: [{ message: /not a comma-separated list/ }] },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});
