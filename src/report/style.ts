/**
 * How human output looks on this terminal: colour only on a TTY without NO_COLOR (FORCE_COLOR
 * wins), Unicode marks unless the terminal cannot show them (then ASCII words).
 */
import { Chalk, type ChalkInstance } from "chalk";
import type { Severity, Status } from "../model/result.ts";

export interface Style {
  color: ChalkInstance;
  unicode: boolean;
}

export function detectStyle(stream: NodeJS.WriteStream | { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  const colored = forced || (Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== "dumb");
  return { color: new Chalk({ level: colored ? 1 : 0 }), unicode: supportsUnicode(env) };
}

function supportsUnicode(env: NodeJS.ProcessEnv): boolean {
  if (env.OMNI_DOCTOR_ASCII) return false;
  if (env.TERM === "linux" || env.TERM === "dumb") return false;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG;
  return !locale || /utf-?8/i.test(locale) || locale === "C.UTF-8";
}

export function mark(style: Style, status: Status, severity: Severity): string {
  const { color: c, unicode } = style;
  switch (status) {
    case "pass":
      return c.green(unicode ? "✓" : "[ok]");
    case "fail":
      return c.red.bold(unicode ? "✗" : "[FAIL]");
    case "warn":
      return severity === "info" ? c.cyan(unicode ? "i" : "[info]") : c.yellow(unicode ? "!" : "[warn]");
    case "skip":
      return c.dim(unicode ? "-" : "[skip]");
    case "error":
      return c.magenta.bold(unicode ? "?" : "[error]");
  }
}
