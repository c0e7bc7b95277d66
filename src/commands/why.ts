/** `omni-doctor why TEXT`: which runbook entries match an error message or log (from args, --file or stdin). */
import { readFileSync } from "node:fs";
import { loadRegistry } from "../engine/registry.ts";
import { why } from "../engine/why.ts";
import { UsageError } from "./usage-error.ts";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The first paragraph of the page's Fix section, as a hint. */
function fixHint(page: string): string | undefined {
  const match = /^##\s+Fix\s*\n+([\s\S]*?)(?:\n\s*\n|\n##|$)/m.exec(page);
  return match?.[1]?.trim().replace(/\s+/g, " ");
}

export async function whyCommand(words: string[], options: { file?: string; format: string }): Promise<number> {
  let text = words.join(" ");
  if (options.file) {
    try {
      text += `\n${readFileSync(options.file, "utf8")}`;
    } catch (error) {
      throw new UsageError(`--file ${options.file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  if (!text.trim() && !process.stdin.isTTY) text = await readStdin();
  if (!text.trim()) throw new UsageError("give the error text as arguments, with --file, or on stdin");
  const { entries } = await loadRegistry();
  const matches = why(entries, text);
  if (options.format === "json") {
    process.stdout.write(`${JSON.stringify(matches.map((m) => ({ id: m.entry.id, title: m.entry.title, score: m.score, exact: m.exact, symptom: m.symptom })), null, 2)}\n`);
    return matches.length > 0 ? 0 : 1;
  }
  if (matches.length === 0) {
    process.stdout.write("No runbook entry matches that text. `omni-doctor list` shows every check; try pasting the exact error line.\n");
    return 1;
  }
  const lines: string[] = [];
  matches.forEach((m, i) => {
    lines.push(`${i + 1}. ${m.entry.id}: ${m.entry.title}`, `   matched ${m.exact ? "" : "most of "}"${m.symptom}"`);
    const hint = fixHint(m.entry.page);
    if (hint) lines.push(`   fix: ${hint.length > 200 ? `${hint.slice(0, 197)}...` : hint}`);
    lines.push(`   more: omni-doctor explain ${m.entry.id}`);
  });
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
