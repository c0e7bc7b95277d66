/** What reports say about the checks themselves (SARIF rules, help links). */
import type { Severity } from "../model/result.ts";

export interface ReportRule {
  id: string;
  title: string;
  severity: Severity;
  sources: string[];
  /** The runbook page (Markdown). */
  page: string;
}

const REPOSITORY = "https://github.com/omni-doctor/omni-doctor";

/** A stable link to a check's runbook page: the id never changes, so neither does the link. */
export function helpUri(id: string): string {
  return `${REPOSITORY}/blob/main/checks/${id}.md`;
}

/** The page without its title line, for places that show the title separately. */
export function pageBody(page: string): string {
  return page.replace(/^# .*\n+/, "").trim();
}

/** The first paragraph of a page section, e.g. "Fix". */
export function pageSection(page: string, heading: string): string | undefined {
  const match = new RegExp(`^##\\s+${heading}\\s*\\n+([\\s\\S]*?)(?:\\n\\s*\\n|\\n##|$)`, "m").exec(page);
  return match?.[1]?.trim().replace(/\s+/g, " ");
}
