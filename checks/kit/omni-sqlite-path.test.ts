import { describe, expect, it } from "vitest";
import check from "./omni-sqlite-path.ts";
import { kitFrom, runWith, testCheck } from "../../test/harness/check-tester.ts";
import { deployment } from "../../src/sources/kit/deployment.ts";

const facts = (files: Record<string, string>) => ({ deployment: deployment(kitFrom(files)) });
const omni = (tag: string, volumes: string, command: string) =>
  `services:\n  omni:\n    image: ghcr.io/siderolabs/omni:${tag}\n    volumes:\n${volumes
    .split(",")
    .map((v) => `      - ${v}\n`)
    .join("")}    command: >\n${command
    .split(" ")
    .map((a) => `      ${a}\n`)
    .join("")}`;

testCheck(check, {
  valid: [
    { name: "under the etcd volume (Omni-Scale)", facts: facts({ "omni/compose.yml": omni("v1.9.3", "${ETCD_VOLUME_PATH}:/_out/etcd", "--sqlite-storage-path=${OMNI_SQLITE_PATH} --name=omni"), "omni/.env": "ETCD_VOLUME_PATH=/etc/etcd\nOMNI_SQLITE_PATH=/_out/etcd/omni.db\n" }) },
    { name: "its own volume (the official compose)", facts: facts({ "compose.yaml": omni("${OMNI_IMG_TAG}", "${ETCD_VOLUME_PATH}:/_out/etcd,${SQLITE_STORAGE_PATH}:/_out/secondary-storage", "--sqlite-storage-path=/_out/secondary-storage/sqlite.db") }) },
    { name: "Omni 0.50 needs none (kenlasko)", facts: facts({ "docker-compose.yaml": omni("v0.50.0", "./omni:/_out", "--name=onprem-omni") }) },
    { name: "the OMNI_* environment form of a custom entrypoint", facts: facts({ "docker-compose.yml": "services:\n  omni:\n    build: .\n    environment:\n      - OMNI_ACCOUNT_ID=${ACCOUNT_ID}\n      - OMNI_SQLITE_STORAGE_PATH=/_out/omni.db\n    volumes:\n      - omni_state:/_out\n" }) },
  ],
  invalid: [
    {
      name: "missing on Omni 1.9",
      facts: facts({ "omni/compose.yml": omni("v1.9.3", "${ETCD_VOLUME_PATH}:/_out/etcd", "--name=omni --bind-addr=0.0.0.0:443") }),
      results: [{ status: "fail", subject: "omni/compose.yml: omni", message: /refuse to start without --sqlite-storage-path \(the image is Omni 1.9.3\)/, location: { line: 6, column: 5 }, fix: ["edit"] }],
    },
    {
      name: "missing, tag hidden behind a variable: the assumed release is said",
      facts: facts({ "deploy/compose.yaml": omni("${OMNI_IMG_TAG}", "${ETCD_VOLUME_PATH}:/_out/etcd", "--name=${NAME}"), "deploy/env.template": "OMNI_IMG_TAG=<latest-stable-omni-release>\n" }),
      results: [{ message: /Omni 1.10.4 \(--omni-version\) is assumed/ }],
    },
    {
      name: "the old /_out/omni.db with only /_out/etcd mounted",
      facts: facts({ "compose.yml": omni("v1.9.3", "${ETCD_VOLUME_PATH}:/_out/etcd", "--sqlite-storage-path=/_out/omni.db") }),
      results: [{ status: "fail", message: /not inside any volume/, location: { line: 7, column: 7 }, evidence: ["volumes: /_out/etcd"] }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("kit/omni-sqlite-path fix", () => {
  it("adds the flag as the first line of the folded command, and the result passes", async () => {
    const before = omni("v1.9.3", "${ETCD_VOLUME_PATH}:/_out/etcd", "--name=omni --bind-addr=0.0.0.0:443");
    const [result] = await runWith(check, facts({ "compose.yml": before }));
    const step = result!.fix!.steps[0]!;
    if (step.kind !== "edit") throw new Error("expected an edit");
    expect(step.edit.after).toBe(before.replace("    command: >\n", "    command: >\n      --sqlite-storage-path=/_out/etcd/omni.db\n"));
    expect((await runWith(check, facts({ "compose.yml": step.edit.after }))).map((r) => r.status)).toEqual(["pass"]);
  });
});
