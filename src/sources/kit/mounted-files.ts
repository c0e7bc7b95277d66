/**
 * Files the kit's Omni service mounts from the host but that live outside the kit's YAML: the
 * etcd encryption key (`--private-key-source=file://...`) and the TLS certificates (`--cert`,
 * `--machine-api-cert`). Reading them is I/O, so it happens here, in the source; the checks get
 * what was found: absent, unreadable, or what the key or certificate says about itself.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { X509Certificate } from "node:crypto";
import type * as OpenPgp from "openpgp";
import type { MountedFile } from "./deployment.ts";

export type KeyFileReport =
  | { state: "absent"; path: string }
  | { state: "unreadable"; path: string; reason: string }
  | { state: "not-a-key"; path: string; reason: string }
  | {
      state: "key";
      path: string;
      private: boolean;
      /** Secret key material encrypted with a passphrase (Omni cannot ask for it). */
      passphraseProtected: boolean;
      /** Why no key could encrypt, when none can. */
      noEncryptionKey: string | undefined;
      fingerprint: string;
      userIds: string[];
    };

export type CertFileReport =
  | { state: "absent"; path: string }
  | { state: "unreadable"; path: string; reason: string }
  | { state: "not-a-certificate"; path: string; reason: string }
  | { state: "certificate"; path: string; subject: string; dnsNames: string[]; ipAddresses: string[]; validFrom: string; validTo: string };

export type MountedFileReport = KeyFileReport | CertFileReport;

function read(path: string): { bytes: Buffer } | { state: "absent" | "unreadable"; reason: string } {
  try {
    return { bytes: readFileSync(resolve(path)) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { state: "absent", reason: "no such file" };
    // Docker creates an empty directory at a bind-mount source that did not exist at first start.
    if (code === "EISDIR") return { state: "unreadable", reason: "it is a directory, not a file (Docker creates one when the file is missing at first start)" };
    return { state: "unreadable", reason: (error as Error).message };
  }
}

/** What an OpenPGP key file holds, the way Omni will use it: a private key, unprotected, able to encrypt. */
export async function inspectKey(path: string, bytes: Uint8Array): Promise<KeyFileReport> {
  // Loaded only when a kit mounts a key: most runs never need OpenPGP.
  const openpgp = await import("openpgp");
  let key: OpenPgp.Key;
  try {
    const text = new TextDecoder().decode(bytes);
    key = text.includes("-----BEGIN PGP") ? await openpgp.readKey({ armoredKey: text }) : await openpgp.readKey({ binaryKey: bytes });
  } catch (error) {
    return { state: "not-a-key", path, reason: (error as Error).message };
  }
  let noEncryptionKey: string | undefined;
  try {
    await key.getEncryptionKey();
  } catch (error) {
    noEncryptionKey = (error as Error).message;
  }
  return {
    state: "key",
    path,
    private: key.isPrivate(),
    passphraseProtected: key.isPrivate() && !(key as OpenPgp.PrivateKey).isDecrypted(),
    noEncryptionKey,
    fingerprint: key.getFingerprint().toUpperCase(),
    userIds: key.getUserIDs(),
  };
}

/** The first certificate of a PEM file: its names and validity. */
export function inspectCertificate(path: string, bytes: Uint8Array): CertFileReport {
  try {
    const cert = new X509Certificate(bytes);
    const names = (cert.subjectAltName ?? "").split(/,\s*/).filter(Boolean);
    return {
      state: "certificate",
      path,
      subject: cert.subject.replace(/\n/g, ", "),
      dnsNames: names.filter((n) => n.startsWith("DNS:")).map((n) => n.slice(4)),
      ipAddresses: names.filter((n) => n.startsWith("IP Address:")).map((n) => n.slice(11)),
      validFrom: new Date(cert.validFrom).toISOString(),
      validTo: new Date(cert.validTo).toISOString(),
    };
  } catch (error) {
    return { state: "not-a-certificate", path, reason: (error as Error).message };
  }
}

/** Read and inspect every mounted file that has a real host path (placeholders from examples are not read). */
export async function inspectMountedFiles(files: readonly MountedFile[]): Promise<Record<string, MountedFileReport>> {
  const reports: Record<string, MountedFileReport> = {};
  for (const file of files) {
    if (!file.hostPath || file.fromExample || file.hostPath in reports) continue;
    const path = file.hostPath;
    const content = read(path);
    if (!("bytes" in content)) reports[path] = content.state === "absent" ? { state: "absent", path } : { state: "unreadable", path, reason: content.reason };
    else reports[path] = file.purpose === "etcd-key" ? await inspectKey(path, content.bytes) : inspectCertificate(path, content.bytes);
  }
  return reports;
}
