import check from "./omni-gpg-key.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { deployment } from "../../src/sources/kit/deployment.ts";
import type { MountedFileReport } from "../../src/sources/kit/mounted-files.ts";

const compose = (volumes: string) => `services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    volumes:\n${volumes}    command: >\n      --private-key-source='file:///omni.asc'\n`;
const MOUNTED = "      - ./omni.asc:/omni.asc:ro\n";
const KEY_PATH = "omni/omni.asc";
const key = (over: Partial<Extract<MountedFileReport, { state: "key" }>>): Record<string, MountedFileReport> => ({
  [KEY_PATH]: { state: "key", path: KEY_PATH, private: true, passphraseProtected: false, noEncryptionKey: undefined, fingerprint: "0123ABCD", userIds: ["Omni etcd encryption"], ...over },
});
const facts = (text: string, reports: Record<string, MountedFileReport>) => ({ deployment: deployment(kitFrom({ "omni/compose.yml": text })), mountedFileReports: reports });

testCheck(check, {
  valid: [
    { name: "an unprotected private key with an encryption subkey", facts: facts(compose(MOUNTED), key({})), message: /mounted and usable/ },
    { name: "the key's path from an example (a placeholder, not read)", facts: { deployment: deployment(kitFrom({ "compose.yml": compose("      - ${ETCD_ENCRYPTION_KEY}:/omni.asc\n"), "omni.env.example": "ETCD_ENCRYPTION_KEY=/path/to/omni.asc\n" })), mountedFileReports: {} } },
  ],
  invalid: [
    { name: "protected by a passphrase (the kit's README)", facts: facts(compose(MOUNTED), key({ passphraseProtected: true })), results: [{ status: "fail", subject: "omni/compose.yml: omni: /omni.asc", message: /passphrase/, location: { line: 5, column: 9 }, evidence: ["fingerprint 0123ABCD, Omni etcd encryption"], fix: ["manual", "manual"] }] },
    { name: "no encryption subkey", facts: facts(compose(MOUNTED), key({ noEncryptionKey: "Could not find valid encryption key packet" })), results: [{ message: /no key that can encrypt/ }] },
    { name: "a public key", facts: facts(compose(MOUNTED), key({ private: false })), results: [{ message: /only a public key/ }] },
    { name: "a directory Docker made", facts: facts(compose(MOUNTED), { [KEY_PATH]: { state: "unreadable", path: KEY_PATH, reason: "it is a directory, not a file" } }), results: [{ message: /it is a directory/ }] },
    { name: "not mounted at all", facts: facts(compose("      - ./data:/_out\n"), {}), results: [{ status: "fail", message: /no volume of omni puts a file there/, location: { line: 7, column: 7 } }] },
    { name: "absent here: said, not failed", facts: facts(compose(MOUNTED), { [KEY_PATH]: { state: "absent", path: KEY_PATH } }), results: [{ status: "skip", message: /not on this machine/ }] },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});
