/**
 * YAML inside a YAML string (`providerdata: |`, a template patch's `inline: |`): parsed as a file
 * of its own, with offsets mapped back to the line and column of the kit file that holds it.
 */
import type { Scalar } from "yaml";
import type { Location } from "../../model/result.ts";
import { locationOf, parseYamlFile, type YamlFile } from "./yaml-file.ts";

export interface EmbeddedYaml {
  /** The string's content, parsed as a file (`path` is the holder's path plus `#suffix`). */
  inner: YamlFile;
  /** Where an offset of the inner text is in the holding file. */
  toFile(offset: number): Location;
  /** The same as an offset of the holding file, for block scalars (whose lines map one to one); undefined otherwise. */
  toFileOffset?: (offset: number) => number;
}

/**
 * For block scalars (`key: |`), line L of the content is line (indicator line + L) of the file,
 * shifted by the block's indentation; for other scalar styles, everything maps to where the value
 * starts (their escapes make a character-exact mapping pointless).
 */
export function embeddedYaml(file: YamlFile, scalar: Scalar<string>, suffix: string): EmbeddedYaml {
  const inner = parseYamlFile(`${file.path}#${suffix}`, scalar.value);
  const start = scalar.range?.[0] ?? 0;
  const block = scalar.type === "BLOCK_LITERAL" || scalar.type === "BLOCK_FOLDED";
  const headerLine = file.lineCounter.linePos(start).line;
  let indent = 0;
  if (block) {
    // The first non-blank content line after the indicator sets the block's indentation.
    let lineStart = file.text.indexOf("\n", start) + 1;
    while (lineStart > 0 && lineStart < file.text.length) {
      const lineEnd = file.text.indexOf("\n", lineStart);
      const line = file.text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
      if (line.trim() !== "") {
        indent = /^ */.exec(line)![0].length;
        break;
      }
      lineStart = lineEnd + 1;
    }
  }
  const toFile = (offset: number): Location => {
    if (!block) return locationOf(file, scalar);
    const { line, col } = inner.lineCounter.linePos(offset);
    return { file: file.path, line: headerLine + line, column: col + indent };
  };
  if (!block) return { inner, toFile };
  const toFileOffset = (offset: number) => {
    const { line, col } = inner.lineCounter.linePos(offset);
    return file.lineCounter.lineStarts[headerLine + line - 1]! + indent + col - 1;
  };
  return { inner, toFile, toFileOffset };
}
