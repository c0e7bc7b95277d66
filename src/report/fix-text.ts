/** Fix steps as text: what a person would type or do. Commands are shell-quoted so a copy-paste runs exactly one command. */
import type { FixStep } from "../model/result.ts";
import { quoteCommand } from "../util/shell-quote.ts";

export function stepText(step: FixStep): string {
  const warn = step.destructive ? " (destructive)" : "";
  switch (step.kind) {
    case "command":
      return `$ ${quoteCommand(step.argv)}${warn}  # ${step.description}`;
    case "api": {
      const params = Object.entries(step.parameters)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
      const call = `${step.method} ${step.path}${params ? ` ${params}` : ""}`;
      const equivalent = step.equivalent ? ` (on the node: ${quoteCommand(step.equivalent)})` : "";
      return `API ${call}${equivalent}${warn}  # ${step.description}`;
    }
    case "edit":
      return `edit ${step.file}: ${step.description}${warn}`;
    case "manual":
      return `${step.description}${warn}`;
  }
}
