/**
 * Secrets never leave the process: every report, recording, log line and error message passes
 * through `redact` before it is written. Known secret values (credentials we were given) are
 * registered at start-up; well-known token shapes are masked wherever they appear.
 */
const MASK = "[REDACTED]";

const registered = new Set<string>();

/** Remember a secret value so it is masked wherever it shows up later. Short values are ignored (they would mask ordinary words). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) registered.add(value);
}

/** Environment variables whose values are credentials, wherever they come from. */
const SECRET_ENV = /(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|AUTHKEY|AUTH_KEY|API_KEY|PRIVATE_KEY|SERVICE_ACCOUNT_KEY|CREDENTIALS?)$/;

export function registerSecretsFromEnv(env: NodeJS.ProcessEnv): void {
  for (const [key, value] of Object.entries(env)) if (SECRET_ENV.test(key)) registerSecret(value);
}

const PATTERNS: Array<[RegExp, string | ((match: string, ...groups: string[]) => string)]> = [
  [/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END \1PRIVATE KEY\2-----|$)/g, (_m, kind: string, block = "") => `-----BEGIN ${kind}PRIVATE KEY${block}-----\n${MASK}\n-----END ${kind}PRIVATE KEY${block}-----`],
  [/(PVEAPIToken=[^=\s"']+=)[^\s"',;]+/g, `$1${MASK}`],
  [/(PVEAuthCookie=)[^\s"';]+/g, `$1${MASK}`],
  [/PVE:[^:\s"]+:[0-9A-F]{8}::[A-Za-z0-9+/=]+/g, MASK],
  [/("(?:ticket|CSRFPreventionToken|password|tokenSecret|token|secret|client-key-data|client-certificate-data)"\s*:\s*")[^"]*(")/gi, `$1${MASK}$2`],
  [/\btskey-[A-Za-z0-9-]+/g, MASK],
  [/\beyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]+){0,2}/g, MASK],
  [/([?&]jointoken=)[^&\s"']+/gi, `$1${MASK}`],
  // Secret-looking keys in YAML, env files and flags: `tokenSecret: x`, `PASSWORD=x`, `--omni-service-account-key=x`.
  [/(\b(?:token_?secret|password|passwd|secret|auth_?key|api_?key|service[-_]account[-_]key|client[-_]secret|private[-_]key)["']?\s*[:=]\s*["']?)(?!\[REDACTED\])[^\s"',;}]{4,}/gi, `$1${MASK}`],
  [/(\bjoin[_-]?token["']?\s*[:=]\s*["']?)[^\s"',&]+/gi, `$1${MASK}`],
];

export function redact(text: string): string {
  let out = text;
  for (const secret of registered) out = out.split(secret).join(MASK);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement as string);
  return out;
}

/** Redact every string inside a JSON-like value. */
export function redactDeep<T>(value: T): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
  }
  return value;
}
