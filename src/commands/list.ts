/** `omni-doctor list`: every check with its domain, severity, sources and title. */
import { loadRegistry } from "../engine/registry.ts";
import { UsageError } from "./usage-error.ts";

export async function listCommand(options: { format: string }): Promise<number> {
  const { checks } = await loadRegistry();
  const rows = checks.map((c) => ({ id: c.meta.id, domain: c.domain, severity: c.meta.severity, sources: c.meta.sources, title: c.meta.title }));
  if (options.format === "json") {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (options.format !== "human") throw new UsageError(`--format must be human or json, got "${options.format}"`);
  const width = (key: "id" | "severity") => Math.max(...rows.map((r) => r[key].length), key.length);
  const sourcesWidth = Math.max(...rows.map((r) => r.sources.join(",").length), 7);
  const line = (id: string, severity: string, sources: string, title: string) =>
    `${id.padEnd(width("id"))}  ${severity.padEnd(width("severity"))}  ${sources.padEnd(sourcesWidth)}  ${title}`;
  const out = [line("ID", "SEVERITY", "SOURCES", "TITLE"), ...rows.map((r) => line(r.id, r.severity, r.sources.join(","), r.title))];
  process.stdout.write(`${out.join("\n")}\n`);
  return 0;
}
