/**
 * Finds every check under checks/<domain>/<name>.ts (one module per check, default export from
 * defineCheck) with its runbook page <name>.md beside it, plus runbook-only entries (pages with
 * front matter and no module) for `why` and `explain`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import YAML from "yaml";
import { z } from "zod";
import type { Check } from "./check.ts";
import { CHECK_MODULES_DIR, RUNBOOK_DIR } from "../paths.ts";

/** Report and listing order: offline kit domains first, then the live systems from hypervisor up. */
export const DOMAINS = ["template", "machine-class", "kit", "manifest", "omni", "proxmox", "network", "talos", "kube", "runbook"] as const;

export interface RunbookEntry {
  id: string;
  title: string;
  symptoms: string[];
  /** The page's Markdown, front matter removed. */
  page: string;
  /** The check that detects it; absent for runbook-only entries. */
  check?: Check;
}

export interface Registry {
  checks: Check[];
  entries: RunbookEntry[];
}

const frontMatterSchema = z.object({ id: z.string(), title: z.string(), symptoms: z.array(z.string()).default([]) });

export function splitFrontMatter(text: string): { data: unknown; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n?/.exec(text);
  if (!match) return { data: undefined, body: text };
  return { data: YAML.parse(match[1]!), body: text.slice(match[0].length) };
}

const domainRank = (domain: string) => {
  const i = (DOMAINS as readonly string[]).indexOf(domain);
  return i < 0 ? DOMAINS.length : i;
};

export function compareIds(a: string, b: string): number {
  const [da = "", na = ""] = a.split("/");
  const [db = "", nb = ""] = b.split("/");
  // Ids are lowercase ASCII: a plain comparison, not localeCompare (whose collator costs startup time).
  return domainRank(da) - domainRank(db) || (na < nb ? -1 : na > nb ? 1 : 0);
}

const isCheckModule = (name: string) => /\.(ts|js)$/.test(name) && !/\.(test|spec)\.(ts|js)$/.test(name) && !name.endsWith(".d.ts");

export async function loadRegistry(modulesDir = CHECK_MODULES_DIR, runbookDir = RUNBOOK_DIR): Promise<Registry> {
  const checks: Check[] = [];
  const entries: RunbookEntry[] = [];
  const loads: Array<Promise<void>> = [];
  for (const domain of readdirSync(modulesDir, { withFileTypes: true })) {
    if (!domain.isDirectory()) continue;
    for (const file of readdirSync(join(modulesDir, domain.name))) {
      if (!isCheckModule(file)) continue;
      const name = file.replace(/\.(ts|js)$/, "");
      const id = `${domain.name}/${name}`;
      loads.push(
        import(pathToFileURL(join(modulesDir, domain.name, file)).href).then((module: { default?: Check }) => {
          const check = module.default;
          if (!check?.meta || typeof check.run !== "function") throw new Error(`checks/${id}: the default export is not a check (use defineCheck)`);
          if (check.meta.id !== id) throw new Error(`checks/${id}: meta.id is "${check.meta.id}", but the file says "${id}"`);
          checks.push(check);
        }),
      );
    }
  }
  await Promise.all(loads);
  for (const check of checks) {
    const pagePath = join(runbookDir, `${check.meta.id}.md`);
    const page = existsSync(pagePath) ? readFileSync(pagePath, "utf8") : `# ${check.meta.title}\n\n(no runbook page yet)\n`;
    entries.push({ id: check.meta.id, title: check.meta.title, symptoms: check.meta.symptoms, page, check });
  }
  const runbookOnly = join(runbookDir, "runbook");
  if (existsSync(runbookOnly)) {
    for (const file of readdirSync(runbookOnly).filter((f) => f.endsWith(".md"))) {
      const { data, body } = splitFrontMatter(readFileSync(join(runbookOnly, file), "utf8"));
      const meta = frontMatterSchema.safeParse(data);
      if (!meta.success) throw new Error(`checks/runbook/${file}: front matter needs id, title and symptoms`);
      entries.push({ ...meta.data, page: body });
    }
  }
  checks.sort((a, b) => compareIds(a.meta.id, b.meta.id));
  entries.sort((a, b) => compareIds(a.id, b.id));
  return { checks, entries };
}
