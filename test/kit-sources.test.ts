/**
 * The kit sources the kit checks stand on: Compose's argument splitting and env file rules with
 * positions, the deployment view, discovery of example files, and the inspection of the key and
 * certificate files Omni mounts (real files, real OpenPGP keys, a real certificate).
 */
import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as openpgp from "openpgp";
import { kitFrom } from "./harness/check-tester.ts";
import { testCertificate } from "./harness/tls.ts";
import { shellWords } from "../src/sources/kit/shell-words.ts";
import { composeProjects, composeVariables, effectiveArgs } from "../src/sources/kit/compose.ts";
import { deployment, mountedFiles, OMNI_BOOLEAN_FLAGS } from "../src/sources/kit/deployment.ts";
import { ROOT } from "./harness/cli.ts";
import { parseEnvFile } from "../src/sources/kit/env-file.ts";
import { inspectCertificate, inspectKey, inspectMountedFiles } from "../src/sources/kit/mounted-files.ts";
import { parseKit, readKitFiles } from "../src/sources/kit/kit.ts";

describe("shellWords (how Compose splits a string command)", () => {
  it.each([
    ["--a=1   --b=2", ["--a=1", "--b=2"]],
    ["--private-key-source='file:///omni.asc'", ["--private-key-source=file:///omni.asc"]],
    ['--provider-name "Proxmox Dell" --x', ["--provider-name", "Proxmox Dell", "--x"]],
    ["--a=1 \\\n  --b=2", ["--a=1", "--b=2"]],
    ['--say="a \\"quoted\\" word"', ['--say=a "quoted" word']],
  ])("%j", (input, words) => {
    expect(shellWords(input).words.map((w) => w.value)).toEqual(words);
  });

  it("keeps where each word starts; an unclosed quote runs to the end", () => {
    const { words } = shellWords("--a  'b c");
    expect(words.map((w) => [w.raw, w.start])).toEqual([
      ["--a", 0],
      ["'b c", 5],
    ]);
  });
});

describe("compose arguments and interpolation", () => {
  const compose = "services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    command: >\n      --name=${NAME}\n      --eula-accept-name=${EULA_NAME}\n      ${AUTH}\n";
  const env = "NAME=omni\nEULA_NAME=Jane Doe\nAUTH='--auth-auth0-enabled=true --auth-auth0-domain=dev.us.auth0.com'\n";

  it("splits after interpolating, like Compose, and places each argument in the file that holds it", () => {
    const [project] = composeProjects(kitFrom({ "omni/compose.yml": compose, "omni/.env": env }));
    const args = effectiveArgs(project!.services[0]!);
    expect(args.map((a) => [a.value, `${a.location.file}:${a.location.line}:${a.location.column}`, a.splitFrom?.name])).toEqual([
      ["--name=omni", "omni/compose.yml:5:7", undefined],
      ["--eula-accept-name=Jane", "omni/compose.yml:6:7", "EULA_NAME"],
      ["Doe", "omni/.env:2:16", "EULA_NAME"],
      ["--auth-auth0-enabled=true", "omni/.env:3:7", "AUTH"],
      ["--auth-auth0-domain=dev.us.auth0.com", "omni/.env:3:33", "AUTH"],
    ]);
  });

  it("finds every ${VAR} with its position, skipping $$", () => {
    const [project] = composeProjects(kitFrom({ "c.yml": "services:\n  a:\n    image: x:${TAG:-v1}\n    command: [\"echo $$HOME ${A}\"]\n" }));
    expect(composeVariables(project!).map((r) => [r.name, r.modifier, r.location.line, r.location.column, r.path.join(".")])).toEqual([
      ["TAG", ":-", 3, 14, "services.a.image"],
      ["A", undefined, 4, 28, "services.a.command.0"],
    ]);
  });

  it("reads interpolation from .env and --env-file files, not from env_file: files", () => {
    const files = {
      "omni/compose.yml": "services:\n  omni:\n    image: x\n    env_file: omni.env\n",
      "omni/omni.env": "A=1\n",
      "omni/.env.example": "B=2\n",
      "other/compose.yml": "services:\n  omni:\n    image: x\n    env_file: omni.env\n",
      "other/omni.env": "C=3\n",
      "other/up.sh": "docker compose --env-file omni.env up -d\n",
    };
    const [omni, other] = composeProjects(kitFrom(files));
    expect([omni!.env.interpolation.map((e) => e.path), omni!.env.containerOnly.map((e) => e.path)]).toEqual([["omni/.env.example"], ["omni/omni.env"]]);
    expect(other!.env.interpolation.map((e) => e.path)).toEqual(["other/omni.env"]);
    // A real .env replaces its example.
    const [withReal] = composeProjects(kitFrom({ "c.yml": "services:\n  a:\n    image: x\n", ".env": "A=1\n", ".env.example": "A=placeholder\n" }));
    expect(withReal!.env.interpolation.map((e) => e.path)).toEqual([".env"]);
  });
});

describe("env files", () => {
  it("keeps value positions, spots SOPS, duplicates and quotes that swallow comments", () => {
    const env = parseEnvFile("omni.env", "A=1\n B=x\nAUTH='--a \\\n# comment\n# AUTH='--b'\nA=2\nS=ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\n");
    expect(env.entries.map((e) => [e.key, e.location.line, e.valueOffset, e.encrypted])).toEqual([
      ["A", 1, 2, false],
      ["B", 2, 7, false],
      ["AUTH", 3, 15, false],
      ["A", 6, 46, false],
      ["S", 7, 50, true],
    ]);
    expect(env.sops).toBe(true);
    expect(env.problems.map((p) => [p.kind, p.location.line])).toEqual([
      ["syntax", 3],
      ["duplicate", 6],
    ]);
  });
});

describe("Omni's flags", () => {
  it("knows every boolean flag of Omni's config schema (a corpus copy of internal/pkg/config/schema.json)", () => {
    const schema = JSON.parse(readFileSync(join(ROOT, "fixtures/corpus/siderolabs__omni/internal/pkg/config/schema.json"), "utf8")) as unknown;
    const booleans: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        const record = node as Record<string, unknown>;
        if (typeof record["x-cli-flag"] === "string" && record.type === "boolean") booleans.push(record["x-cli-flag"]);
        Object.values(record).forEach(walk);
      }
    };
    walk(schema);
    expect([...OMNI_BOOLEAN_FLAGS].sort()).toEqual(booleans.sort());
  });
});

describe("kit discovery", () => {
  it("reads config.yaml.example as the provider's config (an example) and ignores other example YAML", () => {
    const dir = mkdtempSync(join(tmpdir(), "omni-doctor-kit-"));
    writeFileSync(join(dir, "config.yaml.example"), 'proxmox:\n  url: "https://pve:8006/api2/json"\n');
    writeFileSync(join(dir, "docker-hub-auth.yaml.example"), "machine:\n  registries: {}\n");
    const kit = parseKit(dir, readKitFiles(dir));
    expect(kit.yaml.map((f) => [f.path, f.kind, f.example])).toEqual([
      ["config.yaml.example", "provider-config", true],
      ["docker-hub-auth.yaml.example", "yaml", true],
    ]);
  });
});

describe("the files Omni mounts", () => {
  it("follows --private-key-source and --cert through the volumes to host paths", () => {
    const kit = kitFrom({
      "omni/compose.yml": "services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    volumes:\n      - ./keys/omni.asc:/omni.asc:ro\n      - ${TLS_DIR}:/certs\n    command: [--private-key-source=file:///omni.asc, --cert=/certs/fullchain.pem]\n",
      "omni/.env": "TLS_DIR=/etc/letsencrypt/live/omni\n",
    });
    expect(mountedFiles(deployment(kit)).map((m) => [m.purpose, m.containerPath, m.hostPath, m.mounted])).toEqual([
      ["etcd-key", "/omni.asc", "omni/keys/omni.asc", true],
      ["tls-cert", "/certs/fullchain.pem", "/etc/letsencrypt/live/omni/fullchain.pem", true],
    ]);
  });

  it("inspects OpenPGP keys the way Omni needs them", async () => {
    const generate = (options: { passphrase?: string; subkeys?: [] }) => openpgp.generateKey({ userIDs: [{ name: "Omni etcd encryption" }], type: "ecc", format: "armored", ...options });
    const good = await generate({});
    const withPassphrase = await generate({ passphrase: "correct horse" });
    const signOnly = await generate({ subkeys: [] });
    const inspect = (text: string) => inspectKey("omni.asc", new TextEncoder().encode(text));
    expect(await inspect(good.privateKey)).toMatchObject({ state: "key", private: true, passphraseProtected: false, noEncryptionKey: undefined, userIds: ["Omni etcd encryption"] });
    expect(await inspect(withPassphrase.privateKey)).toMatchObject({ state: "key", passphraseProtected: true });
    expect(await inspect(signOnly.privateKey)).toMatchObject({ state: "key", noEncryptionKey: expect.stringMatching(/encryption key/) });
    expect(await inspect(good.publicKey)).toMatchObject({ state: "key", private: false });
    expect(await inspect("not a key")).toMatchObject({ state: "not-a-key" });
  });

  it("reads a certificate's names and validity", () => {
    const cert = testCertificate();
    const report = inspectCertificate("tls.crt", new TextEncoder().encode(cert.cert));
    expect(report).toMatchObject({ state: "certificate", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"] });
  });

  it("reads only real host paths, and says absent or a directory instead of failing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "omni-doctor-mounted-"));
    writeFileSync(join(dir, "tls.crt"), testCertificate().cert);
    mkdirSync(join(dir, "omni.asc"));
    const kit = kitFrom({ "compose.yml": `services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    volumes:\n      - ${dir}/omni.asc:/omni.asc\n      - ${dir}/tls.crt:/tls.crt\n      - ${dir}/nope.crt:/other.crt\n    command: [--private-key-source=file:///omni.asc, --cert=/tls.crt, --machine-api-cert=/other.crt]\n` });
    const reports = await inspectMountedFiles(mountedFiles(deployment(kit)));
    expect(Object.values(reports).map((r) => [r.path.slice(dir.length), r.state])).toEqual([
      ["/omni.asc", "unreadable"],
      ["/tls.crt", "certificate"],
      ["/nope.crt", "absent"],
    ]);
  });
});
