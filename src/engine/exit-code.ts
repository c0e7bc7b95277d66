/**
 * Exit codes (CONTRACT.md): 0 nothing at or above --fail-on; 1 a finding at or above it;
 * 2 the run is not trustworthy: a usage or configuration error (decided before any report), or a
 * check that could not run (`error` result). `--fail-on never` exits 0 whenever a report was made.
 */
import type { Result } from "../model/result.ts";

export const FAIL_ON = ["error", "warning", "never"] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_UNTRUSTWORTHY = 2;

export function exitCodeFor(results: readonly Result[], failOn: FailOn): number {
  if (failOn === "never") return EXIT_OK;
  if (results.some((r) => r.status === "error")) return EXIT_UNTRUSTWORTHY;
  const atThreshold = results.some((r) => r.status === "fail" || (failOn === "warning" && r.status === "warn" && r.severity === "warning"));
  return atThreshold ? EXIT_FINDINGS : EXIT_OK;
}
