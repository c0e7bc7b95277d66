import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { kit } from "../../src/sources/kit/facts.ts";
import { editStep, splice } from "../../src/sources/kit/text-edit.ts";

const DOWN_V = /\bdocker[ -]compose\b[^\n;&|#]*?\bdown\b[^\n;&|#]*?(\s(?:-v|--volumes)\b)/;

/** Documents often show the command to say "never do this": those mentions are not advice to run it. */
const WARNING_WORDS = /\b(never|don'?t|do not|avoid|wrong|warning|not this|without|unless)\b|⚠|❌/i;

export default defineCheck({
  meta: {
    id: "kit/compose-down-v",
    title: "Scripts or docs remove the stack's volumes",
    severity: "warning",
    sources: ["files"],
    symptoms: ["docker compose down -v", "hostname becomes omni-1"],
    fixable: ["edit"],
  },
  facts: { kit },
  run({ kit }) {
    if (kit.text.length === 0) return [skip("no scripts, task files or documents in the kit")];
    const findings: Finding[] = [];
    for (const file of kit.text) {
      const doc = /\.md$/i.test(file.path);
      const lines = file.text.split("\n");
      let offset = 0;
      lines.forEach((line, i) => {
        const match = DOWN_V.exec(line);
        const context = lines.slice(Math.max(0, i - 3), i + 1).join("\n");
        if (match && !(doc && WARNING_WORDS.test(context))) {
          const flagAt = offset + match.index + match[0].length - match[1]!.length;
          findings.push({
            subject: `${file.path}:${i + 1}`,
            message: `${match[0].trim()} deletes the stack's volumes, including Tailscale's state: the sidecar then registers again as a new device (omni-1, idp-1) and the old one lingers in the admin console`,
            location: { file: file.path, line: i + 1, column: match.index + 1 },
            evidence: [line.trim()],
            fix: { summary: "Drop -v: docker compose down keeps the volumes", steps: [editStep(file, `remove ${match[1]!.trim()} from line ${i + 1}`, splice(file.text, flagAt, match[1]!.length, ""))!] },
          });
        }
        offset += line.length + 1;
      });
    }
    return findings.length > 0 ? findings : [pass(`no script or document of the kit runs docker compose down -v (${kit.text.length} file(s) searched)`)];
  },
});
