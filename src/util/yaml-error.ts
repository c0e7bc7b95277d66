import type { YAMLError } from "yaml";

/** One line: `file:line:column: message`, from a yaml library error. */
export function formatYamlError(file: string, text: string, error: YAMLError): string {
  const pos = error.linePos?.[0] ?? offsetToPosition(text, error.pos[0]);
  const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  return `${file}:${pos.line}:${pos.col}: ${message}`;
}

export function offsetToPosition(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}
