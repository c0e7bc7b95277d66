import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { deployment } from "../../src/sources/kit/facts.ts";
import { serviceSubject } from "../../src/sources/kit/compose.ts";
import { encrypted, fromExample } from "../../src/sources/kit/deployment.ts";
import { isPlaceholder } from "../../src/sources/kit/placeholders.ts";

const EMAIL = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;

export default defineCheck({
  meta: {
    id: "kit/initial-users",
    title: "No real initial user for Omni",
    severity: "warning",
    sources: ["files"],
    symptoms: ["The identity <email> is not authorized for this instance", "is not authorized for this instance"],
    fixable: ["manual"],
  },
  facts: { deployment },
  run({ deployment }) {
    if (deployment.omni.length === 0) return [skip("no Omni service in the kit's compose files")];
    const findings: Finding[] = [];
    for (const omni of deployment.omni) {
      const setting = omni.get("initial-users");
      const subject = serviceSubject(omni.service);
      const manual = { kind: "manual" as const, description: "set --initial-users to the exact e-mail address you log in with (comma-separated for several); on an instance that already started, add users in Omni's UI instead", destructive: false };
      if (!setting) {
        findings.push({ subject, message: "--initial-users is not set: nobody is an Omni administrator, so every login is refused", location: omni.service.locateKey(["command"]), fix: { summary: "Set --initial-users", steps: [manual] } });
        continue;
      }
      // Examples hold placeholders and SOPS files ciphertext: neither says what the live value is.
      if (fromExample(omni, setting) || encrypted(omni, setting) || setting.value.includes("$")) continue;
      const users = setting.value.split(",").map((u) => u.trim());
      const problem =
        setting.value.trim() === ""
          ? "--initial-users is empty: nobody is an Omni administrator, so every login is refused"
          : users.some(isPlaceholder)
            ? `--initial-users is the placeholder ${setting.value}: your real login will be refused`
            : users.some((u) => !EMAIL.test(u))
              ? `--initial-users holds ${JSON.stringify(setting.value)}, which is not a comma-separated list of e-mail addresses`
              : undefined;
      if (problem) findings.push({ subject, message: problem, location: setting.location, evidence: [`${setting.written}=${setting.value}`], fix: { summary: "Put your login e-mail address in --initial-users", steps: [manual] } });
    }
    return findings.length > 0 ? findings : [pass("--initial-users names real e-mail addresses (or comes from a file it cannot judge)")];
  },
});
