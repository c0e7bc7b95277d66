import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { deployment, mountedFileReports } from "../../src/sources/kit/facts.ts";
import { serviceSubject } from "../../src/sources/kit/compose.ts";
import { mountedFiles } from "../../src/sources/kit/deployment.ts";

const GENERATE = [
  { kind: "manual" as const, description: 'create a key without a passphrase that can encrypt: gpg --batch --passphrase "" --quick-generate-key "Omni etcd encryption" default default never', destructive: false },
  { kind: "manual" as const, description: "export it: gpg --export-secret-keys --armor <key id> > omni.asc, mount it read-only at the path --private-key-source names, and keep a copy off the host (without it Omni's data cannot be decrypted)", destructive: false },
];

export default defineCheck({
  meta: {
    id: "kit/omni-gpg-key",
    title: "Omni's etcd encryption key is missing or unusable",
    severity: "error",
    sources: ["files"],
    symptoms: ["No secret key", "failed to load private key", "openpgp: invalid argument: no encryption subkey"],
    fixable: ["manual"],
  },
  facts: { deployment, mountedFileReports },
  run({ deployment, mountedFileReports }) {
    const keys = mountedFiles(deployment).filter((m) => m.purpose === "etcd-key");
    if (keys.length === 0) return [skip("no Omni service reads its etcd key from a file (--private-key-source=file://...)")];
    const findings: Finding[] = [];
    for (const key of keys) {
      const subject = `${serviceSubject(key.service.service)}: ${key.containerPath}`;
      if (!key.mounted) {
        findings.push({ subject, message: `--private-key-source reads ${key.containerPath}, but no volume of ${key.service.service.name} puts a file there`, location: key.setting.location, fix: { summary: `Mount the key at ${key.containerPath}`, steps: [{ kind: "manual", description: `add a volume <host path of omni.asc>:${key.containerPath}:ro to ${key.service.service.name}`, destructive: false }] } });
        continue;
      }
      const report = key.hostPath ? mountedFileReports[key.hostPath] : undefined;
      if (!report) continue; // A named volume, a placeholder path or ciphertext: nothing to read here.
      if (report.state === "absent") {
        findings.push({ status: "skip", subject, message: `the key file ${report.path} is not on this machine, so it was not inspected (run omni-doctor where the stack runs to check it)` });
        continue;
      }
      const problem =
        report.state === "unreadable"
          ? `cannot read ${report.path}: ${report.reason}`
          : report.state === "not-a-key"
            ? `${report.path} is not an OpenPGP key (${report.reason})`
            : report.state !== "key"
              ? undefined
              : !report.private
                ? `${report.path} holds only a public key; Omni needs the private key to decrypt etcd`
                : report.passphraseProtected
                  ? `${report.path} is protected by a passphrase, which Omni cannot type in at start`
                  : report.noEncryptionKey
                    ? `${report.path} has no key that can encrypt (${report.noEncryptionKey}); Omni encrypts etcd with an encryption subkey`
                    : undefined;
      if (!problem) continue;
      findings.push({
        subject,
        message: problem,
        location: key.location,
        evidence: report.state === "key" ? [`fingerprint ${report.fingerprint}${report.userIds.length > 0 ? `, ${report.userIds.join(", ")}` : ""}`] : [],
        fix: { summary: "Use an unprotected private key with an encryption subkey", steps: GENERATE },
      });
    }
    return findings.length > 0 ? findings : [pass(`${keys.length} etcd key(s) are mounted${Object.values(mountedFileReports).some((r) => r.state === "key") ? " and usable" : ""}`)];
  },
});
