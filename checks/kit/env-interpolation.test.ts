import { describe, expect, it } from "vitest";
import check from "./env-interpolation.ts";
import { kitFrom, runWith, testCheck } from "../../test/harness/check-tester.ts";
import { deployment } from "../../src/sources/kit/deployment.ts";

const facts = (files: Record<string, string>) => {
  const kit = kitFrom(files);
  return { kit, deployment: deployment(kit) };
};
const OMNI = "services:\n  omni:\n    image: ghcr.io/siderolabs/omni:${OMNI_IMG_TAG}\n    volumes:\n      - ${ETCD_VOLUME_PATH}:/_out/etcd\n    command: >\n      --name=${NAME}\n      --machine-api-bind-addr=${MACHINE_API_BIND_ADDR}\n      --siderolink-wireguard-advertised-addr=${SIDEROLINK_WIREGUARD_ADVERTRISED_ADDR}\n      ${AUTH}\n";
const ENV = "OMNI_IMG_TAG=v1.10.4\nETCD_VOLUME_PATH=/etc/etcd\nNAME=omni\nMACHINE_API_BIND_ADDR=0.0.0.0:8090\nSIDEROLINK_WIREGUARD_ADVERTRISED_ADDR=192.168.1.2:50180\nAUTH='--auth-auth0-enabled=true --auth-auth0-domain=dev.us.auth0.com'\n";

testCheck(check, {
  valid: [
    { name: "every variable in .env; ${AUTH} splits into flags on purpose", facts: facts({ "deploy/compose.yaml": OMNI, "deploy/.env": ENV }), message: /1 compose file\(s\) and 1 env file/ },
    { name: "an env file passed with --env-file (named in the kit's task file)", facts: facts({ "omni/compose.yml": OMNI.replace("    volumes:", "    env_file: omni.env\n    volumes:"), "omni/omni.env": ENV, "mise.toml": '[tasks.up]\nrun = "docker compose -f omni/compose.yml --env-file omni/omni.env up -d"\n' }) },
    { name: "no env file at all: the shell supplies them", facts: facts({ "compose.yaml": OMNI }) },
    { name: "defaults need no definition; SOPS values are defined", facts: facts({ "compose.yml": "services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    command: >\n      --name=${NAME:-omni}\n      --account-id=${OMNI_ACCOUNT_UUID}\n", "omni.env": "OMNI_ACCOUNT_UUID=ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\nsops_version=3.10.2\n" }) },
  ],
  invalid: [
    {
      name: "a renamed variable (the first official compose) and a misspelt one (ADVERTRISED)",
      facts: facts({ "deploy/compose.yaml": OMNI.replace("ADVERTRISED", "ADVERTISED"), "deploy/env.template": ENV.replace("MACHINE_API", "SIDEROLINK_API") }),
      results: [
        { status: "fail", subject: "deploy/compose.yaml: MACHINE_API_BIND_ADDR", message: /defines SIDEROLINK_API_BIND_ADDR instead; Compose substitutes an empty string in command/, location: { file: "deploy/compose.yaml", line: 8, column: 31 }, evidence: ['The "MACHINE_API_BIND_ADDR" variable is not set. Defaulting to a blank string.'], fix: ["manual"] },
        { status: "warn", subject: "deploy/env.template: SIDEROLINK_API_BIND_ADDR", location: { file: "deploy/env.template", line: 4, column: 1 } },
        { status: "fail", subject: "deploy/compose.yaml: SIDEROLINK_WIREGUARD_ADVERTISED_ADDR", fix: ["edit"] },
        { status: "warn", subject: "deploy/env.template: SIDEROLINK_WIREGUARD_ADVERTRISED_ADDR" },
      ],
    },
    {
      name: "an unclosed quote that swallows comments (the official env.template), and a duplicated block",
      facts: facts({ "deploy/compose.yaml": OMNI, "deploy/.env": `${ENV.replace("dev.us.auth0.com'", "dev.us.auth0.com \\")}# Or SAML:\n# AUTH='--auth-saml-enabled=true'\n NAME=omni\n` }),
      results: [
        { status: "fail", subject: "deploy/.env:6", message: /closes only on line 8, so the value swallows 2 comment line/, location: { file: "deploy/.env", line: 6, column: 1 } },
        { status: "warn", subject: "deploy/.env:9", message: "NAME is set again (first on line 3); Compose keeps the last value", location: { line: 9, column: 2 } },
      ],
    },
    {
      name: "variables only in env_file: (talos-argocd), and a name with a blank in a string command",
      facts: facts({ "omni/docker-compose.yml": "services:\n  omni:\n    image: ghcr.io/siderolabs/omni:${OMNI_IMG_TAG}\n    env_file:\n      - omni.env\n    command: >\n      --eula-accept-name=${EULA_ACCEPT_NAME}\n      --eula-accept-email=${EULA_ACCEPT_EMAIL}\n", "omni/omni.env": "OMNI_IMG_TAG=v1.10.1\nEULA_ACCEPT_NAME=Jane Doe\nEULA_ACCEPT_EMAIL=jane@lab.home.arpa\n" }),
      results: [
        { status: "warn", subject: "omni/docker-compose.yml: omni.env", message: /3 variable\(s\) used in omni\/docker-compose.yml \(OMNI_IMG_TAG, EULA_ACCEPT_NAME, EULA_ACCEPT_EMAIL\) are defined only in omni.env/, location: { line: 5, column: 7 } },
        { status: "fail", subject: "omni/docker-compose.yml: omni: $EULA_ACCEPT_NAME", message: 'EULA_ACCEPT_NAME is "Jane Doe": in a string command Compose splits it at the blank, so omni gets the stray argument(s) "Doe"', location: { line: 7, column: 7 }, fix: ["edit"] },
      ],
    },
    {
      name: "several flags in one list item",
      facts: facts({ "compose.yaml": "services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    command:\n      - --name=omni\n      - ${AUTH}\n", ".env": "AUTH=--auth-auth0-enabled=true --auth-auth0-domain=x.auth0.com\n" }),
      results: [{ status: "fail", message: /holds several flags/, location: { line: 6, column: 9 } }],
    },
    {
      name: "undefined outside the command: a warning (a credential may come from the shell)",
      facts: facts({ "compose.yaml": "services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    environment:\n      - AUTH0_CLIENT_ID=${AUTH0_CLIENT_ID}\n      - TS_AUTHKEY=${TS_AUTHKEY}\n", ".env.example": "AUTH0_DOMAIN=x\n" }),
      results: [{ status: "warn", subject: "compose.yaml: AUTH0_CLIENT_ID", message: /is not defined in .env.example/ }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("kit/env-interpolation fixes", () => {
  it("quotes a value with a blank so it stays one argument, and the result passes", async () => {
    const files = { "compose.yml": "services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    command: >\n      --eula-accept-name=${EULA_ACCEPT_NAME}\n      --name=omni\n", ".env": "EULA_ACCEPT_NAME=Jane Doe\n" };
    const [result] = await runWith(check, facts(files));
    const step = result!.fix!.steps[0]!;
    if (step.kind !== "edit") throw new Error("expected an edit");
    expect(step.edit.after).toBe(files["compose.yml"].replace("=${EULA_ACCEPT_NAME}", '="${EULA_ACCEPT_NAME}"'));
    const after = facts({ ...files, "compose.yml": step.edit.after });
    expect(after.deployment.omni[0]!.get("eula-accept-name")!.value).toBe("Jane Doe");
    expect((await runWith(check, after)).map((r) => r.status)).toEqual(["pass"]);
  });

  it("reads the defined name where a one-letter typo is", async () => {
    const files = { "compose.yaml": OMNI, ".env": ENV.replace("ADVERTRISED", "ADVERTISED") };
    const [result] = await runWith(check, facts(files));
    const step = result!.fix!.steps[0]!;
    if (step.kind !== "edit") throw new Error("expected an edit");
    expect(step.edit.after).toBe(OMNI.replace("ADVERTRISED", "ADVERTISED"));
  });
});
