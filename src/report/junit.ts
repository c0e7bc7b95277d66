/**
 * JUnit XML for CI systems that show test reports: one test suite per domain, one test case per
 * result. Fails are failures, checks that could not run are errors, skips are skipped; warnings
 * are failures only when --fail-on warning makes them fail the run.
 */
import type { Result } from "../model/result.ts";
import type { ReportContext } from "./report.ts";
import { stepText } from "./fix-text.ts";

function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

function details(r: Result): string {
  const lines = [r.message];
  if (r.location) lines.push(`at ${r.location.file}:${r.location.line}:${r.location.column}`);
  for (const e of r.evidence ?? []) lines.push(`evidence: ${e}`);
  if (r.fix) lines.push(`fix: ${r.fix.summary}`, ...r.fix.steps.map((s, i) => `  ${i + 1}. ${stepText(s)}`));
  return lines.join("\n");
}

export function renderJunit(results: readonly Result[], ctx: ReportContext): string {
  const byDomain = new Map<string, Result[]>();
  for (const r of results) {
    const domain = r.check.split("/")[0]!;
    byDomain.set(domain, [...(byDomain.get(domain) ?? []), r]);
  }
  const failing = (r: Result) => r.status === "fail" || (ctx.failOn === "warning" && r.status === "warn" && r.severity === "warning");
  const suites = [...byDomain].map(([domain, rs]) => {
    const cases = rs.map((r) => {
      const name = xml(`${r.check}${r.subject ? ` ${r.subject}` : ""}`);
      const time = ((r.durationMs ?? 0) / 1000).toFixed(3);
      const open = `    <testcase classname="omni-doctor.${xml(domain)}" name="${name}" time="${time}"`;
      if (failing(r)) return `${open}>\n      <failure type="${r.severity}" message="${xml(r.message)}">${xml(details(r))}</failure>\n    </testcase>`;
      if (r.status === "error") return `${open}>\n      <error type="error" message="${xml(r.message)}">${xml(details(r))}</error>\n    </testcase>`;
      if (r.status === "skip") return `${open}>\n      <skipped message="${xml(r.message)}"/>\n    </testcase>`;
      if (r.status === "warn") return `${open}>\n      <system-out>${xml(`${r.severity}: ${details(r)}`)}</system-out>\n    </testcase>`;
      return `${open}/>`;
    });
    const count = (p: (r: Result) => boolean) => rs.filter(p).length;
    const time = (rs.reduce((t, r) => Math.max(t, r.durationMs ?? 0), 0) / 1000).toFixed(3);
    return `  <testsuite name="${xml(domain)}" tests="${rs.length}" failures="${count(failing)}" errors="${count((r) => r.status === "error")}" skipped="${count((r) => r.status === "skip")}" time="${time}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  const total = (p: (r: Result) => boolean) => results.filter(p).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="omni-doctor ${xml(ctx.version)}" tests="${results.length}" failures="${total(failing)}" errors="${total((r) => r.status === "error")}" skipped="${total((r) => r.status === "skip")}">\n${suites.join("\n")}\n</testsuites>\n`;
}
