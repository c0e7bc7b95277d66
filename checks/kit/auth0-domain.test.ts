import { describe, expect, it } from "vitest";
import check from "./auth0-domain.ts";
import { kitFrom, runWith, testCheck } from "../../test/harness/check-tester.ts";
import { deployment } from "../../src/sources/kit/deployment.ts";

const facts = (files: Record<string, string>) => ({ deployment: deployment(kitFrom(files)) });
const COMPOSE = "services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    command: >\n      --name=omni\n      --initial-users=${INITIAL_USER_EMAILS}\n      ${AUTH}\n";
const LIST = "services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v0.50.0\n    command:\n      - --auth-auth0-enabled=true\n      - --auth-auth0-domain=${AUTH0_DOMAIN}\n";

testCheck(check, {
  valid: [
    { name: "bare tenant host inside ${AUTH}", facts: facts({ "omni/compose.yml": COMPOSE, "omni/.env": "AUTH='--auth-auth0-enabled=true --auth-auth0-domain=dev-xyz.us.auth0.com --auth-auth0-client-id=abc'\n" }), message: /dev-xyz.us.auth0.com/ },
    { name: "list form from a variable", facts: facts({ "compose.yaml": LIST, ".env": "AUTH0_DOMAIN=dev-xyz.us.auth0.com\n" }) },
  ],
  invalid: [
    {
      name: "scheme inside ${AUTH} in the env file: located and edited there",
      facts: facts({ "omni/compose.yml": COMPOSE, "omni/.env": "# auth\nAUTH='--auth-auth0-enabled=true --auth-auth0-domain=https://dev-xyz.us.auth0.com --auth-auth0-client-id=abc'\n" }),
      results: [{ status: "fail", subject: "omni/compose.yml: omni: --auth-auth0-domain", message: /https:\/\/https:\/\/dev-xyz.us.auth0.com/, location: { file: "omni/.env", line: 2, column: 33 }, fix: ["edit"] }],
    },
    {
      name: "scheme in the variable of a list-form command",
      facts: facts({ "compose.yaml": LIST, ".env": "AUTH0_DOMAIN=https://dev-xyz.us.auth0.com/\n" }),
      results: [{ status: "fail", location: { file: "compose.yaml", line: 6, column: 9 }, satisfies: (r) => expect(r.fix?.summary).toBe("Use --auth-auth0-domain=dev-xyz.us.auth0.com") }],
    },
    {
      name: "scheme in an example file: a warning (placeholders, but the shape is copied)",
      facts: facts({ "omni/compose.yml": COMPOSE, "omni/.env.example": "AUTH='--auth-auth0-enabled=true --auth-auth0-domain=https://YOUR_TENANT.us.auth0.com'\n" }),
      results: [{ status: "warn", severity: "warning" }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("kit/auth0-domain fix", () => {
  it.each([
    ["omni/.env", COMPOSE, "omni/.env", "# auth\nAUTH='--auth-oidc-provider-url=https://idp --auth-auth0-domain=https://dev-xyz.us.auth0.com'\n"],
    ["compose.yaml", LIST, ".env", "AUTH0_DOMAIN=https://dev-xyz.us.auth0.com # tenant\n"],
  ])("strips only the scheme, in %s's definition, and the result passes", async (_label, compose, envPath, env) => {
    const composePath = envPath.startsWith("omni/") ? "omni/compose.yml" : "compose.yaml";
    const [result] = await runWith(check, facts({ [composePath]: compose, [envPath]: env }));
    const step = result!.fix!.steps[0]!;
    if (step.kind !== "edit") throw new Error("expected an edit");
    expect(step.edit.file).toBe(envPath);
    expect(step.edit.after).toBe(env.replace("https://dev-xyz", "dev-xyz"));
    expect((await runWith(check, facts({ [composePath]: compose, [envPath]: step.edit.after }))).map((r) => r.status)).toEqual(["pass"]);
  });
});
