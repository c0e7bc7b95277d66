import { defineCheck, pass, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { clusterMachineStatuses, omniVersion } from "../../src/sources/omni/facts.ts";
import type { SourceError } from "../../src/sources/source-error.ts";
import type { Fix } from "../../src/model/result.ts";

/** omnictl's own warning when its minor release differs from the backend's. */
const VERSION_WARNING = /omnictl version "([^"]+)" differs from the backend version "([^"]+)"/;

function loginFix(error: SourceError): Fix {
  if (/insufficient role|PermissionDenied|not authorized for this instance|access is not permitted|no access is permitted/i.test(error.message)) {
    return {
      summary: "Use an Omni account with at least the Reader role",
      steps: [{ kind: "manual", description: "in Omni (Settings → Users or Service Accounts) give the account the Reader role or higher, or use another account's omniconfig / service account key", destructive: false }],
    };
  }
  if (/service account/i.test(error.advice ?? "")) {
    return {
      summary: "Replace the refused service account key",
      steps: [{ kind: "manual", description: "create a new key in Omni (Settings → Service Accounts) and put it in OMNI_SERVICE_ACCOUNT_KEY", destructive: false }],
    };
  }
  return {
    summary: "Log in to Omni again",
    steps: [{ kind: "command", description: "run in a terminal and confirm the login in the browser; omnictl saves a new key", argv: ["omnictl", "get", "clusters"], destructive: false }],
  };
}

/** Why omnictl got no answer, as a finding: refused or unreachable fail; the rest cannot be judged. */
function refusal(error: SourceError): Finding {
  const finding: Finding = { subject: "omnictl", message: error.describe() };
  if (error.kind === "auth") return { ...finding, message: `Omni refused omnictl's credentials: ${error.message}`, evidence: [error.message], fix: loginFix(error) };
  if (error.kind === "unreachable") {
    return {
      ...finding,
      message: `Omni cannot be reached: ${error.message}`,
      evidence: [error.message],
      fix: {
        summary: "Make the Omni endpoint reachable",
        steps: [{ kind: "manual", description: "check the endpoint in your omniconfig (or OMNI_ENDPOINT), that Omni is running, and that its certificate is valid for that name", destructive: false }],
      },
    };
  }
  if (/API version mismatch/i.test(error.message)) {
    return {
      ...finding,
      message: `omnictl and the Omni backend speak different API versions: ${error.message}`,
      evidence: [error.message],
      fix: { summary: "Install the omnictl that matches the backend", steps: [{ kind: "manual", description: "download omnictl from the Omni UI (it always matches the backend), or pin the backend's release in mise.toml", destructive: false }] },
    };
  }
  return { ...finding, status: error.status };
}

export default defineCheck({
  meta: {
    id: "omni/auth",
    title: "omnictl can authenticate to Omni",
    severity: "error",
    sources: ["omni"],
    symptoms: [
      "rpc error: code = Unauthenticated desc = invalid signature",
      "invalid signature",
      "Could not authenticate: <error>",
      "Please visit this page to authenticate: <url>",
      'unauthorized: access denied: insufficient role: "Reader"',
      "insufficient role",
      "The identity <email> is not authorized for this instance",
      "client API version mismatch: backend API version <n>, client API version <n>",
      'omnictl version "<v>" differs from the backend version "<v>"',
      "key expired",
    ],
    fixable: ["command", "manual"],
  },
  // Omni's version needs only a valid signature; reading cluster machines also needs the Reader role.
  facts: { version: optional(omniVersion), machines: optional(clusterMachineStatuses) },
  run({ version, machines }) {
    if (!version.ok) return [refusal(version.error)];
    if (!machines.ok && machines.error.kind === "auth") return [refusal(machines.error)];
    const { version: backend, instance, warnings } = version.value;
    const mismatch = warnings.map((w) => VERSION_WARNING.exec(w)).find((m) => m);
    if (mismatch) {
      return [
        {
          severity: "warning",
          subject: "omnictl",
          message: `omnictl ${mismatch[1]} is a different release than the Omni backend ${mismatch[2]}; some resources and flags may not match`,
          evidence: warnings,
          fix: { summary: `Use omnictl ${mismatch[2]}`, steps: [{ kind: "manual", description: `install omnictl ${mismatch[2]} (Omni UI → Download omnictl, or \`mise use omnictl@${mismatch[2]}\`)`, destructive: false }] },
        },
      ];
    }
    return [pass(`authenticated to Omni${instance ? ` ${instance}` : ""} ${backend}`)];
  },
});
