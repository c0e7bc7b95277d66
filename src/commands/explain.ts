/** `omni-doctor explain ID`: the runbook page of one check (or runbook-only entry). */
import { loadRegistry } from "../engine/registry.ts";
import { UsageError } from "./usage-error.ts";

export async function explainCommand(id: string): Promise<number> {
  const { entries } = await loadRegistry();
  const entry = entries.find((e) => e.id === id);
  if (!entry) {
    const close = entries.filter((e) => e.id.includes(id) || id.includes(e.id.split("/")[1] ?? "\0")).map((e) => e.id);
    throw new UsageError(`no check "${id}"${close.length > 0 ? `; did you mean ${close.slice(0, 3).join(", ")}?` : " (see omni-doctor list)"}`);
  }
  const facts = entry.check
    ? [`id: ${entry.id}`, `severity: ${entry.check.meta.severity}`, `sources: ${entry.check.meta.sources.join(", ")}`]
    : [`id: ${entry.id}`, "detection: none (runbook entry only)"];
  const symptoms = entry.symptoms.length > 0 ? ["symptoms:", ...entry.symptoms.map((s) => `  - ${s}`)] : [];
  process.stdout.write(`${entry.page.trimEnd()}\n\n${[...facts, ...symptoms].join("\n")}\n`);
  return 0;
}
