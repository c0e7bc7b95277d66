/**
 * Splitting a string-form compose `command:` into arguments the way Compose does (go-shellwords:
 * blanks separate, single quotes are literal, double quotes and backslashes escape, a backslash
 * before a newline continues the line; no variable expansion, which Compose has already done). Each word keeps where it starts in the input and
 * its raw text, so positions can be mapped back to the file.
 */
export interface ShellWord {
  /** The argument with quotes and escapes removed. */
  value: string;
  /** The word as written, quotes included. */
  raw: string;
  /** Offset of the word's first character in the input. */
  start: number;
}

export function shellWords(input: string): { words: ShellWord[] } {
  const words: ShellWord[] = [];
  let value = "";
  let start = -1;
  let quote: "'" | '"' | undefined;
  const flush = (end: number) => {
    if (start >= 0) words.push({ value, raw: input.slice(start, end), start });
    value = "";
    start = -1;
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else value += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && i + 1 < input.length && '"\\$`'.includes(input[i + 1]!)) value += input[++i];
      else value += c;
      continue;
    }
    if (c === "\\" && input[i + 1] === "\n") {
      // A line continuation, as in a shell: the backslash and the newline both go.
      flush(i);
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      flush(i);
      continue;
    }
    if (start < 0) start = i;
    if (c === "'" || c === '"') {
      quote = c;
    } else if (c === "\\" && i + 1 < input.length) {
      value += input[++i];
    } else {
      value += c;
    }
  }
  // An unclosed quote runs to the end, as the rest of the command.
  flush(input.length);
  return { words };
}
