/**
 * Why a source could not answer. Every failure of an external system is classified into one of
 * these kinds, and the kind decides whether dependent checks are skipped or reported as errors.
 */
import type { SourceName, Status } from "../model/result.ts";

export const SOURCE_LABELS: Record<SourceName, string> = {
  files: "kit files",
  omni: "omnictl",
  talos: "talosctl",
  kube: "kubectl",
  pve: "Proxmox API",
  dns: "DNS",
  net: "TCP",
};

export type SourceErrorKind =
  /** --offline: live sources are not asked. */
  | "offline"
  /** The program is not on PATH. */
  | "not-installed"
  /** No credentials, config or target to ask. */
  | "not-configured"
  /** --replay: the recording holds no answer for this query. */
  | "not-recorded"
  /** The run was interrupted (Ctrl-C). */
  | "cancelled"
  /** The call did not finish within --timeout. */
  | "timeout"
  /** Credentials were refused or lack a permission. */
  | "auth"
  /** The system could not be reached. */
  | "unreachable"
  /** The system answered with something we could not parse. */
  | "unexpected-output"
  /** The system answered with an error we do not classify further. */
  | "failed";

/** Kinds meaning "nothing to ask": the check is skipped. The others mean "we asked and could not tell": an error. */
const SKIP_KINDS: ReadonlySet<SourceErrorKind> = new Set(["offline", "not-installed", "not-configured", "not-recorded", "cancelled"]);

export class SourceError extends Error {
  readonly kind: SourceErrorKind;
  readonly source: SourceName;
  /** What the user should do about it, one sentence. */
  readonly advice: string | undefined;

  constructor(source: SourceName, kind: SourceErrorKind, message: string, advice?: string) {
    super(message);
    this.name = "SourceError";
    this.source = source;
    this.kind = kind;
    this.advice = advice;
  }

  get status(): Extract<Status, "skip" | "error"> {
    return SKIP_KINDS.has(this.kind) ? "skip" : "error";
  }

  /** One line for a result message: what failed and what to do. */
  describe(): string {
    const text = `${SOURCE_LABELS[this.source]}: ${this.message}`;
    return this.advice ? `${text} (${this.advice})` : text;
  }
}

export function isSourceError(error: unknown): error is SourceError {
  return error instanceof SourceError;
}
