/**
 * SARIF 2.1.0 for code scanning: one rule per check (title, runbook page as help, stable help
 * URI), one result per fail or warn, suppressed findings kept as suppressed results, checks that
 * could not run as tool notifications.
 */
import type { Result } from "../model/result.ts";
import { helpUri, pageBody, pageSection, type ReportRule } from "./rules.ts";
import type { ReportContext } from "./report.ts";

const LEVEL = { error: "error", warning: "warning", info: "note" } as const;

function ruleName(id: string): string {
  return id
    .split(/[/-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

function sarifRule(rule: ReportRule) {
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: pageSection(rule.page, "Cause") ?? rule.title },
    help: { text: pageBody(rule.page), markdown: pageBody(rule.page) },
    helpUri: helpUri(rule.id),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: [rule.id.split("/")[0]!, ...rule.sources] },
  };
}

function message(r: Result): string {
  const parts = [r.subject ? `${r.subject}: ${r.message}` : r.message];
  if (r.fix) parts.push(`Fix: ${r.fix.summary}.`);
  return parts.join(" ");
}

export function renderSarif(results: readonly Result[], ctx: ReportContext): string {
  const rules = ctx.rules ?? [];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const findings = results.filter((r) => r.status === "fail" || r.status === "warn" || r.suppressed);
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "omni-doctor", version: ctx.version, informationUri: helpUri("").replace(/\/blob\/main\/checks\/$/, ""), rules: rules.map(sarifRule) } },
        invocations: [
          {
            executionSuccessful: !results.some((r) => r.status === "error"),
            toolExecutionNotifications: results
              .filter((r) => r.status === "error")
              .map((r) => ({ level: "error", message: { text: `${r.check}${r.subject ? ` (${r.subject})` : ""}: ${r.message}` }, descriptor: { id: r.check } })),
          },
        ],
        results: findings.map((r) => ({
          ruleId: r.check,
          ...(index.has(r.check) ? { ruleIndex: index.get(r.check)! } : {}),
          level: r.suppressed ? LEVEL[r.severity] : r.status === "fail" ? "error" : LEVEL[r.severity],
          message: { text: message(r) },
          locations: r.location
            ? [{ physicalLocation: { artifactLocation: { uri: encodeURI(r.location.file) }, region: { startLine: r.location.line, startColumn: r.location.column } } }]
            : [],
          ...(r.subject ? { partialFingerprints: { "omniDoctorSubject/v1": `${r.check}|${r.subject}` } } : {}),
          ...(r.suppressed ? { suppressions: [{ kind: "external", justification: r.suppressed }] } : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
