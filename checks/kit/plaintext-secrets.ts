import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { kit, plaintextSecrets } from "../../src/sources/kit/facts.ts";

const WHERE = {
  compose: "in a compose file, which is committed with the kit",
  example: "in an example file, which is committed on purpose",
  text: "in a script or document of the kit",
};

export default defineCheck({
  meta: {
    id: "kit/plaintext-secrets",
    title: "Credential written in a committed kit file",
    severity: "error",
    sources: ["files"],
    symptoms: ["tskey-auth-", "omni-service-account-key", "BEGIN PGP PRIVATE KEY BLOCK"],
    fixable: ["manual"],
  },
  facts: { kit, plaintextSecrets },
  run({ kit, plaintextSecrets }) {
    if (kit.yaml.every((f) => f.kind !== "compose" && f.kind !== "provider-config") && kit.env.length === 0 && kit.text.length === 0) return [skip("no compose, env, config or script files in the kit")];
    const findings: Finding[] = plaintextSecrets.map((secret) => ({
      subject: `${secret.location.file}:${secret.location.line}: ${secret.holder}`,
      // The value itself is never shown: it is registered as a secret and masked in every output.
      message: `${secret.holder} holds ${secret.kind} in plain text ${WHERE[secret.place]}`,
      location: secret.location,
      fix: {
        summary: "Move it out of the committed file, and rotate it",
        steps: [
          { kind: "manual", description: `replace the value with a variable (\${NAME}) and put the real value in a git-ignored .env (or a secret manager)`, destructive: false },
          { kind: "manual", description: "treat the value as leaked: revoke it where it was issued (Tailscale admin console, Omni service accounts, Proxmox API tokens) and create a new one", destructive: false },
        ],
      },
    }));
    return findings.length > 0 ? findings : [pass("no credential is written in a committed kit file")];
  },
});
