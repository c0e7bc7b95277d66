import { describe, expect, it } from "vitest";
import check from "./provider-config.ts";
import { kitFrom, runWith, testCheck } from "../../test/harness/check-tester.ts";

const config = (body: string) => `# Proxmox provider\nproxmox:\n${body}`;
const TOKEN = '  url: "https://pve1.lab.example:8006/api2/json"\n  tokenID: "omni@pve!provider"\n  tokenSecret: "6f1c8e2a-93d4-4b7e-a1f0-5c2d9e8b7a31"\n';

testCheck(check, {
  valid: [
    { name: "token over verified HTTPS", facts: { kit: kitFrom({ "proxmox-provider/config.yaml": config(TOKEN) }) }, message: /1 provider config/ },
    { name: "an example with placeholders", facts: { kit: kitFrom({ "proxmox-provider/config.yaml.example": config('  url: "https://192.168.1.100:8006/api2/json"\n  tokenID: "user@realm!tokenid"\n  tokenSecret: "your-token-secret-here"\n') }) } },
  ],
  invalid: [
    {
      name: "no credentials uncommented (mitchross's example): a warning in an example",
      facts: { kit: kitFrom({ "config.yaml.example": config('  url: "https://192.168.1.100:8006/api2/json"\n  # apiToken: "user@pve!tokenid=secret"\n  insecureSkipVerify: true\n') }) },
      results: [
        { status: "warn", severity: "warning", subject: "config.yaml.example: auth", message: /no credentials/ },
        { status: "warn", severity: "info", subject: "config.yaml.example: tls" },
      ],
    },
    {
      name: "password login (README), url without /api2/json, an unknown key",
      facts: { kit: kitFrom({ "config.yaml": config('  url: "https://pve:8006"\n  username: root\n  password: hunter2-long\n  realm: pam\n  apiToken: x\n') }) },
      results: [
        { status: "fail", subject: "config.yaml: url", message: /does not end in \/api2\/json/, location: { file: "config.yaml", line: 3, column: 3 }, fix: ["edit"] },
        { status: "warn", subject: "config.yaml: auth", message: /sessions expire after 2 hours/ },
        { status: "warn", subject: "config.yaml: apiToken", message: /not a setting of the provider/ },
      ],
    },
    {
      name: "half a token and a malformed token id",
      facts: { kit: kitFrom({ "config.yaml": config('  url: "https://pve:8006/api2/json"\n  tokenID: "omni-provider"\n') }) },
      results: [{ status: "fail", subject: "config.yaml: tokenID", message: /not of the form user@realm!tokenname/ }, { status: "fail", subject: "config.yaml: auth", message: /only tokenID is set/ }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("kit/provider-config fix", () => {
  it("completes the URL inside its quotes, and the result passes", async () => {
    const before = config(TOKEN.replace("/api2/json", ""));
    const [result] = await runWith(check, { kit: kitFrom({ "config.yaml": before }) });
    const step = result!.fix!.steps[0]!;
    if (step.kind !== "edit") throw new Error("expected an edit");
    expect(step.edit.after).toBe(config(TOKEN));
    expect((await runWith(check, { kit: kitFrom({ "config.yaml": step.edit.after }) })).map((r) => r.status)).toEqual(["pass"]);
  });
});
