import { describe, expect, it } from "vitest";
import check from "./provider-id.ts";
import { kitFrom, runWith, testCheck } from "../../test/harness/check-tester.ts";
import { machineClassDocs } from "../../src/sources/kit/machine-classes.ts";
import { deployment } from "../../src/sources/kit/deployment.ts";
import { machineClassYaml } from "../../test/harness/kit-files.ts";

const cls = (providerid: string, id = "worker") => machineClassYaml(id, { providerid: `${providerid} # the provider's --id`, providerdata: "cores: 2" });
const provider = (command: string) => `services:\n  proxmox-provider:\n    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0\n    command: ${command}\n`;

function facts(files: Record<string, string>) {
  const kit = kitFrom(files);
  return { machineClasses: machineClassDocs(kit), deployment: deployment(kit) };
}

testCheck(check, {
  valid: [
    { name: "no --id: the default proxmox", facts: facts({ "mc.yaml": cls("proxmox"), "provider/compose.yaml": provider(">\n      --config-file /config.yaml --omni-api-endpoint https://omni.lab.example/") }), message: /\(proxmox\)/ },
    {
      name: "--id from .env (Omni-Scale's matrix-cluster), list-form command",
      facts: facts({
        "machine-classes/cp.yaml": cls("matrix-cluster"),
        "proxmox-provider/compose.yml": provider("\n      - --omni-api-endpoint=https://omni.lab.example/\n      - --id=${PROVIDER_ID:-matrix-cluster}"),
        "proxmox-provider/.env.example": "PROVIDER_ID=matrix-cluster\n",
      }),
    },
    {
      name: "two providers, each class names one of them",
      facts: facts({ "a.yaml": cls("proxmox-dell", "dell"), "b.yaml": cls("proxmox", "hp"), "dell/compose.yml": provider(">\n      --omni-api-endpoint x --id proxmox-dell"), "hp/compose.yml": provider("[--omni-api-endpoint, x]") }),
    },
  ],
  invalid: [
    {
      name: "Proxmox against the default proxmox (the kit's troubleshooting page)",
      facts: facts({ "mc.yaml": cls("Proxmox"), "compose.yaml": provider(">\n      --omni-api-endpoint https://omni.lab.example/") }),
      results: [{ status: "fail", subject: "worker", message: /only in case/, location: { file: "mc.yaml", line: 7, column: 17 }, evidence: ["compose.yaml: no --id, so proxmox"], fix: ["edit", "command"] }],
    },
    {
      name: "an example class naming proxmox in a kit whose provider is matrix-cluster",
      facts: facts({ "examples/gpu.yaml": cls("proxmox", "gpu"), "provider/compose.yml": provider("[--omni-api-endpoint=x, --id=matrix-cluster]") }),
      results: [{ status: "fail", subject: "gpu", message: "providerid proxmox is not the id of any provider in the kit (matrix-cluster), so no provider creates these machines", fix: ["edit", "command"] }],
    },
    {
      name: "empty providerid",
      facts: facts({ "mc.yaml": cls('""'), "compose.yaml": provider("[--omni-api-endpoint=x]") }),
      results: [{ status: "fail", evidence: ["providerID can not be empty"], fix: ["manual", "command"] }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("machine-class/provider-id", () => {
  it("without a provider in the kit, says it cannot compare", async () => {
    expect((await runWith(check, facts({ "mc.yaml": cls("proxmox") })))[0]).toMatchObject({ status: "skip", message: /no provider compose file/ });
  });

  it("edits the providerid in place, keeping the comment", async () => {
    const before = cls("Proxmox");
    const [result] = await runWith(check, facts({ "mc.yaml": before, "compose.yaml": provider("[--omni-api-endpoint=x]") }));
    const step = result!.fix!.steps[0]!;
    if (step.kind !== "edit") throw new Error("expected an edit");
    expect(step.edit.after).toBe(cls("proxmox"));
  });
});
