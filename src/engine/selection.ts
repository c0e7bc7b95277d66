/**
 * `--only` / `--skip`: each item is a check id (`kube/nodes`), a domain (`template`), or a glob
 * (`kube/*`, `*-dns`). An item that matches no check is a usage error, so typos do not silently
 * select nothing.
 */
import type { Check } from "./check.ts";

export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SelectionError";
  }
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".");
  return new RegExp(`^${body}$`);
}

export function matches(check: Pick<Check, "domain" | "meta">, item: string): boolean {
  if (item === check.meta.id || item === check.domain) return true;
  return /[*?]/.test(item) && globToRegExp(item).test(check.meta.id);
}

export function parseList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function selectChecks<C extends Pick<Check, "domain" | "meta">>(checks: readonly C[], only: string[], skipList: string[]): C[] {
  for (const item of [...only, ...skipList]) {
    if (!checks.some((c) => matches(c, item))) throw new SelectionError(`"${item}" matches no check id, domain or glob (see omni-doctor list)`);
  }
  return checks.filter((c) => (only.length === 0 || only.some((i) => matches(c, i))) && !skipList.some((i) => matches(c, i)));
}
