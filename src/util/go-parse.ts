/**
 * The Go parsers whose verdicts and error texts Omni passes on: blang/semver's ParseTolerant,
 * google/uuid's Parse, strconv.ParseUint (base 10) and time.ParseDuration. Reimplemented from
 * their documented behaviour so our evidence reads word for word like Omni's.
 */
import { goQuote } from "./go-errors.ts";

export interface SemverVersion {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const DIGITS = /^[0-9]*$/;
const ALPHANUM = /^[0-9A-Za-z-]*$/;
const hasLeadingZero = (s: string) => s.length > 1 && s.startsWith("0");

/** strconv.ParseUint(s, 10, bits). */
export function parseGoUint(s: string, bits = 64): Parsed<number> {
  if (!/^[0-9]+$/.test(s)) return { ok: false, error: `strconv.ParseUint: parsing ${goQuote(s)}: invalid syntax` };
  const value = BigInt(s);
  if (value >= 1n << BigInt(bits)) return { ok: false, error: `strconv.ParseUint: parsing ${goQuote(s)}: value out of range` };
  return { ok: true, value: Number(value) };
}

/** blang/semver v4 `ParseTolerant`: trims spaces and a leading `v`, drops leading zeros, pads `1.30` to `1.30.0`. */
export function parseSemverTolerant(input: string): Parsed<SemverVersion> {
  let s = input.trim();
  if (s.startsWith("v")) s = s.slice(1);
  const parts = s.split(".");
  // SplitN(s, ".", 3): the third part keeps any further dots.
  const split = parts.length > 3 ? [parts[0]!, parts[1]!, parts.slice(2).join(".")] : parts;
  const trimmed = split.map((p) => {
    if (p.length <= 1) return p;
    const rest = p.replace(/^0+/, "");
    return rest === "" || !/^[0-9]/.test(rest) ? `0${rest}` : rest;
  });
  if (trimmed.length < 3) {
    if (/[+-]/.test(trimmed[trimmed.length - 1]!)) return { ok: false, error: "Short version cannot contain PreRelease/Build meta data" };
    while (trimmed.length < 3) trimmed.push("0");
  }
  return parseSemverStrict(trimmed.join("."));
}

/** blang/semver v4 `Parse`. */
function parseSemverStrict(s: string): Parsed<SemverVersion> {
  if (s.length === 0) return { ok: false, error: "Version string empty" };
  const parts = s.split(".");
  const split = parts.length > 3 ? [parts[0]!, parts[1]!, parts.slice(2).join(".")] : parts;
  if (split.length !== 3) return { ok: false, error: "No Major.Minor.Patch elements found" };
  const number = (part: string, name: string): Parsed<number> => {
    if (!DIGITS.test(part)) return { ok: false, error: `Invalid character(s) found in ${name} number ${goQuote(part)}` };
    if (hasLeadingZero(part)) return { ok: false, error: `${name[0]!.toUpperCase()}${name.slice(1)} number must not contain leading zeroes ${goQuote(part)}` };
    return parseGoUint(part);
  };
  const major = number(split[0]!, "major");
  if (!major.ok) return major;
  const minor = number(split[1]!, "minor");
  if (!minor.ok) return minor;
  let patchText = split[2]!;
  let build: string[] = [];
  let prerelease: string[] = [];
  const plus = patchText.indexOf("+");
  if (plus !== -1) {
    build = patchText.slice(plus + 1).split(".");
    patchText = patchText.slice(0, plus);
  }
  const dash = patchText.indexOf("-");
  if (dash !== -1) {
    prerelease = patchText.slice(dash + 1).split(".");
    patchText = patchText.slice(0, dash);
  }
  const patch = number(patchText, "patch");
  if (!patch.ok) return patch;
  for (const pr of prerelease) {
    if (pr.length === 0) return { ok: false, error: "Prerelease is empty" };
    if (DIGITS.test(pr)) {
      if (hasLeadingZero(pr)) return { ok: false, error: `Numeric PreRelease version must not contain leading zeroes ${goQuote(pr)}` };
    } else if (!ALPHANUM.test(pr)) {
      return { ok: false, error: `Invalid character(s) found in prerelease ${goQuote(pr)}` };
    }
  }
  for (const b of build) {
    if (b.length === 0) return { ok: false, error: "Build meta data is empty" };
    if (!ALPHANUM.test(b)) return { ok: false, error: `Invalid character(s) found in build meta data ${goQuote(b)}` };
  }
  return { ok: true, value: { major: major.value, minor: minor.value, patch: patch.value, prerelease } };
}

const HEX_PAIR = /^[0-9a-fA-F]{2}$/;

/** google/uuid `Parse`: undefined when valid, else its error text. */
export function goUuidError(s: string): string | undefined {
  const length = Buffer.byteLength(s, "utf8");
  let body = s;
  if (length === 32) return /^[0-9a-fA-F]{32}$/.test(s) ? undefined : "invalid UUID format";
  if (length === 36 + 9) {
    if (s.slice(0, 9).toLowerCase() !== "urn:uuid:") return `invalid urn prefix: ${goQuote(s.slice(0, 9))}`;
    body = s.slice(9);
  } else if (length === 36 + 2) {
    body = s.slice(1); // google/uuid skips the opening brace and never looks at the closing one
  } else if (length !== 36) {
    return `invalid UUID length: ${length}`;
  }
  if (body[8] !== "-" || body[13] !== "-" || body[18] !== "-" || body[23] !== "-") return "invalid UUID format";
  for (const offset of [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34]) {
    if (!HEX_PAIR.test(body.slice(offset, offset + 2))) return "invalid UUID format";
  }
  return undefined;
}

/** Whether time.ParseDuration accepts the text (`1h30m`, `90s`, `0`, `-1.5h`). */
export function isGoDuration(s: string): boolean {
  return /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/.test(s);
}

/** Milliseconds of a Go duration text, or undefined when it is not one. */
export function goDurationMs(s: string): number | undefined {
  if (!isGoDuration(s)) return undefined;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const [, amount, unit] of s.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(amount) * units[unit!]!;
  return s.startsWith("-") ? -total : total;
}
