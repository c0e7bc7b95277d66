import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { deployment, kit } from "../../src/sources/kit/facts.ts";
import { serviceEnvFiles, serviceEnvironment, serviceList, serviceSubject } from "../../src/sources/kit/compose.ts";
import { encrypted, fromExample } from "../../src/sources/kit/deployment.ts";
import { envEntry } from "../../src/sources/kit/env-file.ts";
import { isPlaceholder } from "../../src/sources/kit/placeholders.ts";

const KEY = "OMNI_SERVICE_ACCOUNT_KEY";
const LEGACY = "OMNI_INFRA_PROVIDER_KEY";

const manual = (description: string) => ({ kind: "manual" as const, description, destructive: false });
const CREATE = manual("in Omni: Settings → Infrastructure Providers (or omnictl infraprovider create <id>), create or regenerate the provider's key; it prints the OMNI_SERVICE_ACCOUNT_KEY to use");

export default defineCheck({
  meta: {
    id: "kit/provider-key",
    title: "Proxmox provider has no usable Omni key",
    severity: "error",
    sources: ["files"],
    symptoms: ['The "OMNI_SERVICE_ACCOUNT_KEY" variable is not set. Defaulting to a blank string.', "OMNI_INFRA_PROVIDER_KEY variable is not set", "rpc error: code = Unauthenticated desc = invalid signature"],
    fixable: ["manual"],
  },
  facts: { kit, deployment },
  run({ kit, deployment }) {
    if (deployment.providers.length === 0) return [skip("no Proxmox provider service in the kit")];
    const findings: Finding[] = [];
    for (const provider of deployment.providers) {
      const { service } = provider;
      const subject = serviceSubject(service);
      const flag = provider.get("omni-service-account-key");
      if (flag) {
        // The flag takes the key whatever the variable feeding it is called (OMNI_INFRA_PROVIDER_KEY included).
        if (fromExample(provider, flag) || encrypted(provider, flag)) continue;
        const hasEnvFiles = service.project.env.interpolation.length + service.project.env.containerOnly.length > 0;
        // An unresolved variable with no env file in the kit comes from the shell: nothing to judge.
        if (flag.value.includes("$") && !hasEnvFiles) continue;
        const unset = flag.value.includes("$");
        const problem = unset ? `${flag.value} is not defined in any env file of the kit` : flag.value === "" ? "the key is empty" : isPlaceholder(flag.value) ? `the key is the placeholder ${flag.value}` : undefined;
        if (problem) findings.push({ subject, message: `--omni-service-account-key: ${problem}, so the provider cannot authenticate to Omni`, location: flag.location, fix: { summary: "Put the provider's key in the env file", steps: [CREATE, manual(`set the variable feeding --omni-service-account-key in the env file beside ${service.file.path}`)] } });
        continue;
      }
      // Without the flag the provider reads OMNI_SERVICE_ACCOUNT_KEY from its environment.
      const fromFiles = serviceEnvFiles(kit, service).flatMap((file) => [KEY, LEGACY].flatMap((name) => (envEntry(file, name) ? [{ name, file }] : [])));
      const environment = serviceEnvironment(service);
      const hasKey = environment.some((e) => e.key === KEY) || fromFiles.some((f) => f.name === KEY);
      const legacy = environment.find((e) => e.key === LEGACY) ?? fromFiles.find((f) => f.name === LEGACY);
      if (hasKey) continue;
      if (legacy) {
        findings.push({
          subject,
          message: `the provider's key is given as ${LEGACY}, which the provider does not read; it reads ${KEY} (or --omni-service-account-key)`,
          location: "location" in legacy ? legacy.location : envEntry(legacy.file, LEGACY)!.location,
          fix: { summary: `Rename ${LEGACY} to ${KEY}`, steps: [manual(`rename ${LEGACY} to ${KEY} where it is set`)] },
        });
        continue;
      }
      // env_file entries the kit does not contain (a git-ignored .env) may well hold the key.
      const unseenEnvFiles = serviceList(service, "env_file").length > serviceEnvFiles(kit, service).length;
      if (unseenEnvFiles) continue;
      findings.push({
        subject,
        message: `the provider gets no key: no --omni-service-account-key flag and no ${KEY} in its environment`,
        location: service.locateKey(["command"]),
        fix: { summary: `Give the provider ${KEY}`, steps: [CREATE, manual(`add ${KEY}=<key> to the provider's .env and env_file: .env (or --omni-service-account-key=\${${KEY}}) in ${service.file.path}`)] },
      });
    }
    return findings.length > 0 ? findings : [pass(`${deployment.providers.length} provider service(s) get their Omni key`)];
  },
});
