import type { SourceErrorKind } from "./source-error.ts";

/** Why a signal fired: its own timeout, or the run being interrupted. */
export function abortKind(signal: AbortSignal): Extract<SourceErrorKind, "timeout" | "cancelled"> {
  return (signal.reason as Error | undefined)?.name === "TimeoutError" ? "timeout" : "cancelled";
}
