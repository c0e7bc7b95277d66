import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { deployment } from "../../src/sources/kit/facts.ts";
import { serviceSubject } from "../../src/sources/kit/compose.ts";
import { fromExample, whereWritten } from "../../src/sources/kit/deployment.ts";
import { editStep, splice } from "../../src/sources/kit/text-edit.ts";

export default defineCheck({
  meta: {
    id: "kit/auth0-domain",
    title: "Auth0 domain written with a scheme",
    severity: "error",
    sources: ["files"],
    symptoms: ["https://https://", "Failed to confirm public key: invalid jwt", "invalid jwt"],
    fixable: ["edit"],
  },
  facts: { deployment },
  run({ deployment }) {
    const domains = deployment.omni.flatMap((omni) => omni.settings.filter((s) => s.flag === "auth-auth0-domain").map((setting) => ({ omni, setting })));
    if (domains.length === 0) return [skip("no Omni service uses Auth0 (--auth-auth0-domain)")];
    const findings: Finding[] = [];
    for (const { omni, setting } of domains) {
      const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(setting.value)?.[0];
      if (!scheme) continue;
      // The scheme right after the flag (`--auth-auth0-domain=https://`), else at the start of the variable that holds the domain.
      const withFlag = `${setting.written}=${scheme}`;
      const afterFlag = whereWritten(omni, setting, withFlag);
      const written = afterFlag ? { ...afterFlag, offset: afterFlag.offset + withFlag.length - scheme.length } : whereWritten(omni, setting, setting.value);
      const bare = setting.value.slice(scheme.length).replace(/\/+$/, "");
      const edit = written ? editStep(written.file, `strip ${scheme} from the Auth0 domain`, splice(written.file.text, written.offset, scheme.length, "")) : undefined;
      findings.push({
        subject: `${serviceSubject(omni.service)}: ${setting.written}`,
        ...(fromExample(omni, setting) ? { severity: "warning" as const } : {}),
        message: `the Auth0 domain is ${setting.value}: Omni adds https:// itself, so it would call https://${setting.value}`,
        location: setting.location,
        evidence: [`${setting.written}=${setting.value}`],
        fix: {
          summary: `Use --auth-auth0-domain=${bare}`,
          steps: [edit ?? { kind: "manual", description: `remove ${scheme} from the Auth0 domain in ${setting.location.file}`, destructive: false }],
        },
      });
    }
    return findings.length > 0 ? findings : [pass(`the Auth0 domain is a bare host name (${domains.map((d) => d.setting.value).join(", ")})`)];
  },
});
