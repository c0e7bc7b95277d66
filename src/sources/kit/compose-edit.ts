/**
 * Edits to compose services that keep the rest of the file byte-identical: add items to a list
 * (`devices`, `cap_add`, `ports`, `environment`), creating the key when it is missing, and set one
 * environment variable. The YAML library locates the nodes; only the new lines are written.
 */
import { isMap, isScalar, isSeq, type Node } from "yaml";
import { composeProjects, type ComposeService } from "./compose.ts";
import { parseKit } from "./kit.ts";
import { offsetAt, splice } from "./text-edit.ts";
import { replacePlainScalar } from "./yaml-edit.ts";
import { locationOf, nodeAt } from "./yaml-file.ts";

/** The offset just after the last character of a node's content (trailing blank lines excluded). */
function contentEnd(text: string, node: Node): number {
  const end = node.range?.[1] ?? 0;
  return text.slice(0, end).trimEnd().length;
}

function endOfLine(text: string, offset: number): number {
  const eol = text.indexOf("\n", offset);
  return eol < 0 ? text.length : eol;
}

/** Add `items` (already written as YAML scalars) to the service's `key` list; undefined when the layout is not a plain block one. */
export function addListItems(service: ComposeService, key: string, items: string[]): string | undefined {
  const { text } = service.file;
  const doc = service.project.doc;
  const serviceNode = nodeAt(doc.contents, ["services", service.name]);
  if (!isMap(serviceNode) || serviceNode.flow || serviceNode.items.length === 0) return undefined;
  const list = nodeAt(doc.contents, ["services", service.name, key]);
  if (list) {
    if (!isSeq(list) || list.flow || list.items.length === 0) return undefined;
    const first = list.items[0] as Node;
    const firstLoc = locationOf(service.file, first);
    const lineStart = offsetAt(text, { line: firstLoc.line, column: 1 });
    const dash = text.slice(lineStart, offsetAt(text, firstLoc));
    if (!/^\s*-\s+$/.test(dash)) return undefined;
    const at = endOfLine(text, contentEnd(text, list.items[list.items.length - 1] as Node));
    return splice(text, at, 0, items.map((item) => `\n${dash}${item}`).join(""));
  }
  const firstKey = serviceNode.items[0]!.key as Node;
  const indent = " ".repeat(locationOf(service.file, firstKey).column - 1);
  const last = serviceNode.items[serviceNode.items.length - 1]!;
  const at = endOfLine(text, contentEnd(text, (last.value ?? last.key) as Node));
  return splice(text, at, 0, `\n${indent}${key}:${items.map((item) => `\n${indent}  - ${item}`).join("")}`);
}

/** Set `NAME=value` in the service's environment (list or map form), adding it to a list when absent. */
function setEnvironment(service: ComposeService, name: string, value: string): string | undefined {
  const doc = service.project.doc;
  const env = nodeAt(doc.contents, ["services", service.name, "environment"]);
  if (isSeq(env)) {
    const item = env.items.find((i) => isScalar(i) && String(i.value).split("=")[0] === name);
    if (item) return replacePlainScalar(service.file, item as Node, `${name}=${value}`);
    return addListItems(service, "environment", [`${name}=${value}`]);
  }
  if (isMap(env)) {
    const pair = env.items.find((p) => isScalar(p.key) && p.key.value === name);
    return pair ? replacePlainScalar(service.file, pair.value as Node, value) : undefined;
  }
  return env === undefined ? addListItems(service, "environment", [`${name}=${value}`]) : undefined;
}

/** Remove a block list item that sits on a line of its own (e.g. `/dev/net/tun` wrongly under volumes). */
function removeListItem(service: ComposeService, key: string, index: number): string | undefined {
  const { text } = service.file;
  const list = nodeAt(service.project.doc.contents, ["services", service.name, key]);
  if (!isSeq(list) || list.flow || list.items.length < 2) return undefined;
  const item = list.items[index] as Node | undefined;
  if (!item?.range) return undefined;
  const lineStart = text.lastIndexOf("\n", item.range[0] - 1) + 1;
  const eol = endOfLine(text, contentEnd(text, item));
  if (!/^\s*-\s*$/.test(text.slice(lineStart, item.range[0]))) return undefined;
  return splice(text, lineStart, eol + 1 - lineStart, "");
}

/** Apply several edits to one service in turn, each on the text the previous one produced; undefined if any cannot be made. */
function editInTurn(service: ComposeService, edits: Array<(service: ComposeService) => string | undefined>): string | undefined {
  let current = service;
  let text: string = service.file.text;
  for (const edit of edits) {
    const next = edit(current);
    if (next === undefined) return undefined;
    text = next;
    const index = service.file.docs.indexOf(service.project.doc);
    const project = composeProjects(parseKit(".", [{ path: service.file.path, text }])).find((p) => p.file.docs.indexOf(p.doc) === index);
    const again = project?.services.find((s) => s.name === service.name);
    if (!again) return undefined;
    current = again;
  }
  return text;
}

/** Add an argument to a service's command: a new list item, or a new first line of a `>`/`|` block. */
export function addCommandArgument(service: ComposeService, argument: string): string | undefined {
  const command = nodeAt(service.project.doc.contents, ["services", service.name, "command"]);
  if (isSeq(command)) return addListItems(service, "command", [argument]);
  if (!isScalar(command) || (command.type !== "BLOCK_FOLDED" && command.type !== "BLOCK_LITERAL") || !command.range) return undefined;
  const { text } = service.file;
  // The block's content starts on the line after its `>` indicator.
  const contentStart = text.indexOf("\n", command.range[0]) + 1;
  const indent = /^ */.exec(text.slice(contentStart))![0];
  return splice(text, contentStart, 0, `${indent}${argument}\n`);
}

/** Give a service a device and capabilities (optionally dropping the device wrongly listed under volumes). */
export function grantDevice(service: ComposeService, needs: { device?: string; caps: string[]; volumeIndex?: number; environment?: [string, string] }): string | undefined {
  const edits: Array<(s: ComposeService) => string | undefined> = [];
  if (needs.environment) edits.push((s) => setEnvironment(s, ...needs.environment!));
  if (needs.volumeIndex !== undefined) edits.push((s) => removeListItem(s, "volumes", needs.volumeIndex!));
  if (needs.device) edits.push((s) => addListItems(s, "devices", [needs.device!]));
  if (needs.caps.length > 0) edits.push((s) => addListItems(s, "cap_add", needs.caps));
  return editInTurn(service, edits);
}
