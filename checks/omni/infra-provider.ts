import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { optional } from "../../src/engine/fact.ts";
import { infraProviders, machineClasses } from "../../src/sources/omni/facts.ts";
import { kit as kitFact } from "../../src/sources/kit/facts.ts";
import { machineClassDocs } from "../../src/sources/kit/machine-classes.ts";
import type { Fix, Location } from "../../src/model/result.ts";

const restartFix = (id: string): Fix => ({
  summary: `Bring provider ${id} back with a valid key`,
  steps: [
    { kind: "manual", description: "look at the provider's log (e.g. `docker compose logs` in its folder): an `Unauthenticated` error means its key expired or was revoked", destructive: false },
    { kind: "manual", description: `if so, regenerate the key in Omni (Settings → Infrastructure Providers → ${id}) and put it in the provider's OMNI_SERVICE_ACCOUNT_KEY`, destructive: false },
    { kind: "manual", description: "restart the provider (e.g. `docker compose up -d` in its folder)", destructive: false },
  ],
});

interface Wanted {
  id: string;
  by: string;
  location?: Location;
}

export default defineCheck({
  meta: {
    id: "omni/infra-provider",
    title: "The infrastructure provider is registered and connected",
    severity: "error",
    sources: ["omni", "files"],
    symptoms: [
      'resource ID must match the infra provider ID "<id>"',
      "provider disconnects during long provisioning",
      "New VMs fail to register",
      "infra provider is not connected",
      "machines are not created",
    ],
    fixable: ["manual"],
  },
  facts: { providers: infraProviders, classes: machineClasses, kit: optional(kitFact) },
  run({ providers, classes, kit }) {
    const wanted: Wanted[] = [
      ...classes.flatMap((c) => (c.spec.autoprovision?.providerid ? [{ id: c.spec.autoprovision.providerid, by: `machine class ${c.metadata.id} in Omni` }] : [])),
      ...(kit.ok ? machineClassDocs(kit.value) : []).flatMap((doc) =>
        doc.providerId ? [{ id: doc.providerId, by: `machine class ${doc.id ?? "(no id)"} in ${doc.file.path}`, location: doc.locate(["spec", "autoprovision", "providerid"]) }] : [],
      ),
    ];
    if (providers.length === 0 && wanted.length === 0) return [skip("no infrastructure provider is registered and no machine class asks for one")];
    const findings: Finding[] = [];
    for (const provider of providers) {
      const id = provider.metadata.id;
      const health = provider.spec.health;
      const subject = `infrastructure provider ${id}`;
      const evidence = [`connected: ${Boolean(health?.connected)}`, `initialized: ${Boolean(health?.initialized)}`, ...(health?.error ? [`error: ${health.error}`] : []), ...(provider.spec.version ? [`version: ${provider.spec.version}`] : [])];
      if (!health?.initialized) {
        findings.push({ subject, evidence, message: "is registered in Omni but has never connected: the provider is not running, or runs with another ID or key", fix: restartFix(id) });
      } else if (!health.connected) {
        findings.push({ subject, evidence, message: "has stopped sending heartbeats: it is down, or its key expired mid-provisioning (new VMs then never register)", fix: restartFix(id) });
      } else if (health.error) {
        findings.push({ subject, evidence, message: `is connected but reports an error: ${health.error}`, fix: restartFix(id) });
      }
    }
    const registered = new Set(providers.map((p) => p.metadata.id));
    const reported = new Set<string>();
    for (const want of wanted) {
      if (registered.has(want.id) || reported.has(`${want.id}\u0000${want.by}`)) continue;
      reported.add(`${want.id}\u0000${want.by}`);
      const caseOnly = [...registered].find((id) => id.toLowerCase() === want.id.toLowerCase());
      const finding: Finding = caseOnly
        ? {
            subject: want.by,
            message: `asks for provider "${want.id}" but the registered provider's ID is "${caseOnly}": IDs are case-sensitive`,
            evidence: [`providerid: ${want.id}`, `registered: ${[...registered].join(", ")}`],
            fix: { summary: `Use the provider ID ${caseOnly}`, steps: [{ kind: "manual", description: `set \`autoprovision.providerid: ${caseOnly}\` in the machine class and \`omnictl apply -f\` it (or start the provider with \`--id=${want.id}\`)`, destructive: false }] },
          }
        : {
            subject: want.by,
            message: `asks for provider "${want.id}", which is not registered in Omni: no machine of this class can be created`,
            evidence: [`providerid: ${want.id}`, `registered: ${[...registered].join(", ") || "(none)"}`],
            fix: {
              summary: `Register provider ${want.id}`,
              steps: [
                { kind: "manual", description: `create the provider in Omni (Settings → Infrastructure Providers) with ID ${want.id} and give its key to the provider`, destructive: false },
                { kind: "manual", description: `run the provider with \`--id=${want.id}\` (its default ID is \`proxmox\`)`, destructive: false },
              ],
            },
          };
      if (want.location) finding.location = want.location;
      findings.push(finding);
    }
    return findings.length > 0 ? findings : [pass(`${providers.length} provider(s) connected and healthy${wanted.length > 0 ? `, every machine class's provider registered` : ""}`)];
  },
});
