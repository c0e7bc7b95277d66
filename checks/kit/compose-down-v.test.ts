import { describe, expect, it } from "vitest";
import check from "./compose-down-v.ts";
import { kitFrom, runWith, testCheck } from "../../test/harness/check-tester.ts";

const README = "## Docker Compose volumes\n\n```bash\n# NEVER DO THIS\ndocker compose down -v\n```\n\nUse `docker compose down` (no `-v`).\n";

testCheck(check, {
  valid: [
    { name: "the kit's README warns against it", facts: { kit: kitFrom({ "README.md": README, "scripts/restart.sh": "#!/bin/sh\ndocker compose down && docker compose up -d\n" }) }, message: /2 file/ },
  ],
  invalid: [
    {
      name: "a reset script and a task",
      facts: { kit: kitFrom({ "scripts/reset.sh": "#!/bin/sh\nset -e\ndocker compose down -v --remove-orphans\n", "mise.toml": '[tasks.reset]\nrun = "docker-compose -f omni/compose.yml down --volumes"\n' }) },
      results: [
        { status: "warn", subject: "scripts/reset.sh:3", message: /deletes the stack's volumes/, location: { file: "scripts/reset.sh", line: 3, column: 1 }, evidence: ["docker compose down -v --remove-orphans"], fix: ["edit"] },
        { subject: "mise.toml:2", location: { file: "mise.toml", line: 2, column: 8 }, fix: ["edit"] },
      ],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("kit/compose-down-v fix", () => {
  it("removes only the flag", async () => {
    const text = "#!/bin/sh\ndocker compose down -v --remove-orphans # reset\n";
    const [result] = await runWith(check, { kit: kitFrom({ "reset.sh": text }) });
    const step = result!.fix!.steps[0]!;
    if (step.kind !== "edit") throw new Error("expected an edit");
    expect(step.edit.after).toBe("#!/bin/sh\ndocker compose down --remove-orphans # reset\n");
  });
});
