/**
 * The audit log of `fix`: every executed (or refused) step appended as one JSON line, redacted.
 * Path: $OMNI_DOCTOR_AUDIT_LOG, else $XDG_STATE_HOME/omni-doctor/audit.jsonl (default
 * ~/.local/state/omni-doctor/audit.jsonl). Files changed by edits are backed up beside it.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { redactDeep } from "../sources/redact.ts";

export function auditLogPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OMNI_DOCTOR_AUDIT_LOG) return env.OMNI_DOCTOR_AUDIT_LOG;
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state");
  return join(state, "omni-doctor", "audit.jsonl");
}

export interface AuditEntry {
  time: string;
  check: string[];
  step: number;
  kind: string;
  description: string;
  argv?: string[];
  api?: { method: string; path: string; parameters: Record<string, unknown> };
  file?: string;
  outcome: string;
  exitCode?: number;
  status?: number;
  durationMs: number;
  detail?: string;
  backup?: string;
}

export class AuditLog {
  readonly path: string;
  constructor(path: string) {
    this.path = path;
  }

  append(entry: AuditEntry): void {
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, `${JSON.stringify(redactDeep(entry))}\n`);
  }

  /** Keep a file's previous content next to the log; returns where. */
  backup(file: string, content: string, time: Date): string {
    const dir = join(dirname(this.path), "backups");
    mkdirSync(dir, { recursive: true });
    const target = join(dir, `${time.toISOString().replaceAll(":", "-")}-${basename(file)}`);
    writeFileSync(target, content);
    return target;
  }
}
