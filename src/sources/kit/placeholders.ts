/**
 * Values that stand for "fill this in": `<your-domain>`, `YOUR_TENANT`, `xxxxxxxx-xxxx-...`,
 * `admin@example.com`, `eyJ...base64-encoded-key...`, `CHANGE_ME`, `${VAR}`. Examples are full
 * of them; in a live file they mean the setting was never filled in.
 */
const PLACEHOLDER = [
  /<[^<>]+>/,
  /\.\.\./,
  /\byour[-_ ]?|\bYOUR_|_here\b|-here\b/i,
  /(^|[@.])example\.(com|org|net)\b/i,
  /change[-_ ]?me|replace[-_ ]?me|placeholder|redacted|dummy|\bfixme\b|\btodo\b/i,
  /x{4,}/i,
  /^(0+-?)+$/,
  /^\$\{?[A-Za-z_]/,
];

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.some((p) => p.test(value));
}
