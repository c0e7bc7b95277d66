/**
 * `omni-doctor why`: rank runbook entries by how well their symptom strings match a pasted error
 * or log. A symptom found whole (placeholders like `<node>` or `%q` match anything) beats a
 * partial overlap of its distinctive words.
 */
import type { RunbookEntry } from "./registry.ts";

export interface WhyMatch {
  entry: RunbookEntry;
  score: number;
  /** The symptom that matched best. */
  symptom: string;
  /** Whether the whole symptom was found, or only most of its words. */
  exact: boolean;
}

const STOPWORDS = new Set(["the", "and", "for", "not", "with", "from", "that", "this", "are", "was", "into", "has", "have", "but", "can", "error", "failed"]);

export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019`´]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, " ")
    .trim();
}

function words(text: string): string[] {
  return normalize(text)
    .split(/[^a-z0-9.\-/_]+/)
    .map((w) => w.replace(/^[.\-/_]+|[.\-/_]+$/g, ""))
    .filter((w) => w.length >= 3 && !STOPWORDS.has(w));
}

const PLACEHOLDER = /<[^<>]+>|%[qsdvw]/g;

function symptomPattern(symptom: string): RegExp {
  const parts = normalize(symptom).split(PLACEHOLDER);
  const body = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+")).join(".{0,200}?");
  return new RegExp(body);
}

export function scoreSymptom(symptom: string, text: string): { score: number; exact: boolean } {
  const normalized = normalize(text);
  if (symptomPattern(symptom).test(normalized)) return { score: 100 + normalize(symptom).replace(PLACEHOLDER, "").length, exact: true };
  const wanted = [...new Set(words(symptom.replace(PLACEHOLDER, " ")))];
  if (wanted.length === 0) return { score: 0, exact: false };
  const have = new Set(words(text));
  const found = wanted.filter((w) => have.has(w));
  const fraction = found.length / wanted.length;
  if (found.length < 2 || fraction < 0.6) return { score: 0, exact: false };
  return { score: Math.round(60 * fraction) + found.length, exact: false };
}

export function why(entries: readonly RunbookEntry[], text: string, limit = 5): WhyMatch[] {
  const matches: WhyMatch[] = [];
  for (const entry of entries) {
    let best: WhyMatch | undefined;
    for (const symptom of entry.symptoms) {
      const { score, exact } = scoreSymptom(symptom, text);
      if (score > 0 && (!best || score > best.score)) best = { entry, score, symptom, exact };
    }
    if (best) matches.push(best);
  }
  return matches.sort((a, b) => b.score - a.score || a.entry.id.localeCompare(b.entry.id)).slice(0, limit);
}
