/**
 * Where the Proxmox API and its credentials come from, first found wins (CONTRACT.md):
 * flags, PROXMOX_* environment, the `proxmox:` block of omni-doctor.yaml, the provider's own
 * config.yaml in the kit. TLS is verified unless told otherwise, and a self-signed certificate
 * can be pinned by CA file or SHA-256 fingerprint.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { TlsOptions } from "../transport.ts";
import { registerSecret } from "../redact.ts";
import { filesOfKind, type Kit } from "../kit/kit.ts";
import { docValue, isRecord } from "../kit/yaml-file.ts";

export interface ProxmoxInput {
  url?: string;
  tokenId?: string;
  tokenSecret?: string;
  username?: string;
  password?: string;
  realm?: string;
  /** Path of a PEM file with the CA or the server certificate to trust. */
  ca?: string;
  fingerprint?: string;
  insecure?: boolean;
}

export type ProxmoxAuth = { kind: "token"; tokenId: string; tokenSecret: string } | { kind: "password"; username: string; password: string };

export interface ProxmoxSettings {
  /** `https://host:8006`, no path. */
  origin: string;
  /** As in a URL: IPv6 addresses in brackets. */
  host: string;
  port: number;
  schema: "https" | "http";
  auth: ProxmoxAuth;
  tls: TlsOptions;
  /** How the certificate is checked, for the report: verified, pinned CA, pinned fingerprint, NOT verified. */
  tlsMode: string;
  /** Where these settings came from (flags, env, omni-doctor.yaml, kit file). */
  from: string;
}

/** How the report names TLS turned off (the header and proxmox/api). */
export const TLS_NOT_VERIFIED = "NOT verified (insecure)";

export type ProxmoxResolution = { ok: true; settings: ProxmoxSettings } | { ok: false; reason: string; advice: string };

/** The provider's config.yaml (omni-infra-provider-proxmox) `proxmox:` block. */
export const providerConfigSchema = z.object({
  url: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  realm: z.string().optional(),
  tokenID: z.string().optional(),
  tokenSecret: z.string().optional(),
  insecureSkipVerify: z.boolean().optional(),
});

export function fromProviderConfig(block: z.infer<typeof providerConfigSchema>): ProxmoxInput {
  const input: ProxmoxInput = {};
  if (block.url) input.url = block.url;
  if (block.tokenID) input.tokenId = block.tokenID;
  if (block.tokenSecret) input.tokenSecret = block.tokenSecret;
  if (block.username) input.username = block.username;
  if (block.password) input.password = block.password;
  if (block.realm) input.realm = block.realm;
  if (block.insecureSkipVerify !== undefined) input.insecure = block.insecureSkipVerify;
  return input;
}

/** The provider's config.yaml files in the kit, as settings candidates (in kit order). */
export function kitProviderConfigs(kit: Kit): Array<{ from: string; input: ProxmoxInput }> {
  return filesOfKind(kit, "provider-config").flatMap((file) =>
    file.docs.flatMap((doc) => {
      const value = docValue(doc);
      if (!isRecord(value)) return [];
      const block = providerConfigSchema.safeParse(value.proxmox);
      return block.success ? [{ from: file.path, input: fromProviderConfig(block.data) }] : [];
    }),
  );
}

/** Who the provider acts as in Proxmox: its token (`user@realm!name`) or its user (`user@realm`). */
export interface ProviderIdentity {
  /** The id PVE uses for ACLs and `/access/permissions?userid=`. */
  id: string;
  /** The user part, as tasks show it in `user`. */
  user: string;
  /** The token name, as tasks show it in `tokenid`. */
  token?: string;
  /** The kit file it was read from. */
  from: string;
}

/** The provider's identity from its config.yaml in the kit; password wins over token, as in the provider. */
export function providerIdentityIn(kit: Kit): ProviderIdentity | undefined {
  for (const { from, input } of kitProviderConfigs(kit)) {
    if (input.username && input.password) {
      const user = input.username.includes("@") ? input.username : `${input.username}@${input.realm ?? "pam"}`;
      return { id: user, user, from };
    }
    const token = input.tokenId ? /^([^@\s]+@[^!\s]+)!(\S+)$/.exec(input.tokenId) : null;
    if (token) return { id: input.tokenId!, user: token[1]!, token: token[2]!, from };
  }
  return undefined;
}

export function fromEnv(env: NodeJS.ProcessEnv): ProxmoxInput {
  const input: ProxmoxInput = {};
  const set = <K extends keyof ProxmoxInput>(key: K, value: ProxmoxInput[K] | undefined) => {
    if (value !== undefined && value !== "") input[key] = value;
  };
  set("url", env.PROXMOX_URL);
  set("tokenId", env.PROXMOX_TOKEN_ID);
  set("tokenSecret", env.PROXMOX_TOKEN_SECRET);
  set("username", env.PROXMOX_USERNAME);
  set("password", env.PROXMOX_PASSWORD);
  set("realm", env.PROXMOX_REALM);
  set("ca", env.PROXMOX_CA);
  set("fingerprint", env.PROXMOX_FINGERPRINT);
  if (env.PROXMOX_INSECURE) input.insecure = /^(1|true|yes)$/i.test(env.PROXMOX_INSECURE);
  return input;
}

/** Values that are obviously not real credentials (examples left in a kit). */
const PLACEHOLDER = /^(<.*>|\$\{.*\}|CHANGE_?ME|REDACTED|changeme|your[-_].*|x{3,}|\.\.\.)$/i;

export function isPlaceholder(value: string | undefined): boolean {
  return !value || PLACEHOLDER.test(value.trim()) || /example\.(com|org)/.test(value);
}

/** Pick the first candidate that names a URL; TLS pinning from the environment applies to every origin. */
export function resolveProxmoxSettings(candidates: Array<{ from: string; input: ProxmoxInput }>, env: NodeJS.ProcessEnv): ProxmoxResolution {
  const chosen = candidates.find((c) => c.input.url && !isPlaceholder(c.input.url));
  if (!chosen) {
    return { ok: false, reason: "no Proxmox API configured", advice: "set PROXMOX_URL and PROXMOX_TOKEN_ID/PROXMOX_TOKEN_SECRET, or a proxmox: block in omni-doctor.yaml" };
  }
  const { input, from } = chosen;
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(input.url!) ? input.url! : `https://${input.url}`);
  } catch {
    return { ok: false, reason: `the Proxmox URL from ${from} is not a URL: ${input.url}`, advice: "use https://<host>:8006/api2/json" };
  }
  const schema = url.protocol === "http:" ? "http" : "https";
  const port = url.port ? Number(url.port) : 8006;
  const host = url.hostname;
  let auth: ProxmoxAuth;
  if (input.tokenId && input.tokenSecret && !isPlaceholder(input.tokenSecret)) {
    if (!/^[^@\s]+@[^!\s]+![^\s]+$/.test(input.tokenId)) {
      return { ok: false, reason: `the Proxmox token id from ${from} is not USER@REALM!TOKENID: ${input.tokenId}`, advice: "copy the token id as Proxmox shows it, e.g. omni@pve!doctor" };
    }
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(input.tokenSecret)) {
      return { ok: false, reason: `the Proxmox token secret from ${from} is not a lower-case UUID`, advice: "paste the secret Proxmox showed when the token was created" };
    }
    auth = { kind: "token", tokenId: input.tokenId, tokenSecret: input.tokenSecret };
  } else if (input.username && input.password && !isPlaceholder(input.password)) {
    const username = input.username.includes("@") ? input.username : `${input.username}@${input.realm ?? "pam"}`;
    auth = { kind: "password", username, password: input.password };
  } else {
    return { ok: false, reason: `no usable Proxmox credentials in ${from}`, advice: "set PROXMOX_TOKEN_ID and PROXMOX_TOKEN_SECRET (an API token), or username and password" };
  }
  registerSecret(auth.kind === "token" ? auth.tokenSecret : auth.password);

  const tls: TlsOptions = {};
  let tlsMode = "verified";
  const caPath = input.ca ?? env.PROXMOX_CA;
  const fingerprint = input.fingerprint ?? env.PROXMOX_FINGERPRINT;
  if (fingerprint) {
    if (!/^[0-9a-f]{64}$/i.test(fingerprint.replaceAll(":", ""))) {
      return { ok: false, reason: `the Proxmox certificate fingerprint from ${input.fingerprint ? from : "PROXMOX_FINGERPRINT"} is not a SHA-256 fingerprint: ${fingerprint}`, advice: "copy it from the node (Node → System → Certificates), 32 bytes in hex, colons optional" };
    }
    tls.fingerprint = fingerprint;
    tlsMode = "pinned fingerprint";
  } else if (caPath) {
    try {
      tls.ca = readFileSync(caPath, "utf8");
    } catch (error) {
      return { ok: false, reason: `cannot read the Proxmox CA file ${caPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, advice: "point PROXMOX_CA at a PEM file" };
    }
    tlsMode = "pinned CA";
  } else if (input.insecure) {
    tls.insecure = true;
    tlsMode = TLS_NOT_VERIFIED;
  }
  // Proxmox listens on 8006: a URL without a port means that, not the scheme's default.
  return { ok: true, settings: { origin: `${schema}://${host}:${port}`, host, port, schema, auth, tls, tlsMode, from } };
}
