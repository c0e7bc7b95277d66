import { describe, expect, it } from "vitest";
import check from "./omni-tun.ts";
import { kitFrom, runWith, testCheck } from "../../test/harness/check-tester.ts";
import { deployment } from "../../src/sources/kit/deployment.ts";

const facts = (files: Record<string, string>) => ({ deployment: deployment(kitFrom(files)) });
const omni = (extra: string) => `services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4 # pinned\n    network_mode: host\n${extra}    command: >\n      --sqlite-storage-path=/_out/omni.db\n`;

testCheck(check, {
  valid: [
    { name: "devices and cap_add (the official compose)", facts: facts({ "compose.yaml": omni("    devices:\n      - /dev/net/tun\n    cap_add:\n      - NET_ADMIN\n") }), message: /1 Omni service/ },
    { name: "host:container form and a privileged container", facts: facts({ "a/compose.yaml": omni("    devices: [\"/dev/net/tun:/dev/net/tun:rwm\"]\n    cap_add: [NET_ADMIN]\n"), "b/compose.yaml": omni("    privileged: true\n") }) },
  ],
  invalid: [
    {
      name: "no device (the first official compose, 7fb5d2b)",
      facts: facts({ "deploy/compose.yaml": omni("    cap_add:\n      - NET_ADMIN\n") }),
      results: [{ status: "fail", subject: "deploy/compose.yaml: omni", message: /no \/dev\/net\/tun under devices/, location: { file: "deploy/compose.yaml", line: 2, column: 3 }, fix: ["edit"] }],
    },
    {
      name: "tun under volumes (the kit's old troubleshooting page)",
      facts: facts({ "docker/compose.yaml": omni("    cap_add:\n      - NET_ADMIN\n    volumes:\n      - omni-data:/_out\n      - /dev/net/tun:/dev/net/tun\n") }),
      results: [{ status: "fail", message: /mounted under volumes/, location: { line: 9, column: 9 }, fix: ["edit"] }],
    },
    {
      name: "neither device nor capability",
      facts: facts({ "compose.yaml": omni("") }),
      results: [{ message: /no \/dev\/net\/tun under devices; no NET_ADMIN under cap_add/ }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("kit/omni-tun fix", () => {
  it("moves the tun from volumes to devices and adds NET_ADMIN, leaving the rest alone, and the result passes", async () => {
    const before = omni("    volumes:\n      - omni-data:/_out\n      - /dev/net/tun:/dev/net/tun\n");
    const [result] = await runWith(check, facts({ "compose.yaml": before }));
    const step = result!.fix!.steps[0]!;
    if (step.kind !== "edit") throw new Error("expected an edit");
    expect(step.edit.after).toBe(
      "services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4 # pinned\n    network_mode: host\n    volumes:\n      - omni-data:/_out\n    command: >\n      --sqlite-storage-path=/_out/omni.db\n    devices:\n      - /dev/net/tun\n    cap_add:\n      - NET_ADMIN\n",
    );
    expect((await runWith(check, facts({ "compose.yaml": step.edit.after }))).map((r) => r.status)).toEqual(["pass"]);
  });
});
