/**
 * Edits inside a machine class's providerdata, the YAML document kept in a block scalar
 * (`providerdata: |`). The inner document is changed with the yaml Document API (its comments
 * survive) and written back into the block at the same indentation; the rest of the kit file is
 * left byte for byte.
 */
import { isScalar } from "yaml";
import type { MachineClassDoc } from "./machine-classes.ts";
import { nodeAt } from "./yaml-file.ts";

/** The whole kit file with one providerdata value set; undefined when the providerdata is not a block scalar. */
export function editProviderData(mc: MachineClassDoc, path: ReadonlyArray<string | number>, value: unknown): string | undefined {
  const scalar = nodeAt(mc.doc.contents, ["spec", "autoprovision", "providerdata"]);
  const inner = mc.providerData?.inner.docs[0];
  if (!isScalar(scalar) || !scalar.range || !inner || (scalar.type !== "BLOCK_LITERAL" && scalar.type !== "BLOCK_FOLDED")) return undefined;
  const edited = inner.clone();
  edited.setIn(path, value);
  const { text } = mc.file;
  const [start, end] = scalar.range;
  const block = text.slice(start, end);
  const headerEnd = block.indexOf("\n");
  if (headerEnd < 0) return undefined;
  const indent = /\n( +)\S/.exec(block)?.[1] ?? "  ";
  const body = edited
    .toString()
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => (line ? indent + line : line))
    .join("\n");
  return text.slice(0, start) + block.slice(0, headerEnd + 1) + body + (block.endsWith("\n") ? "\n" : "") + text.slice(end);
}
