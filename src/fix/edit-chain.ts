/**
 * Edits of one file proposed by different checks all start from the text they read. Applied one
 * after another, the second would find the file changed and refuse. Here each edit is replayed on
 * the text the earlier ones leave, as long as it changes a different part of the file; edits that
 * overlap an earlier one stay as they are (`fix` then reports the file changed: run again).
 */
import type { FileEdit } from "../model/result.ts";

/**
 * The one changed region of an edit, in the coordinates of its `before`: before[from, to) became
 * `text`. Where the change sits in a run of repeated text (inserting "ab" into "abab") it could be
 * placed anywhere along the run: `span` covers every such place.
 */
interface Hunk {
  from: number;
  to: number;
  text: string;
  span: { from: number; to: number };
}

function hunkOf(edit: FileEdit): Hunk {
  const { before, after } = edit;
  const shorter = Math.min(before.length, after.length);
  const common = (at: (text: string, i: number) => string | undefined, limit: number) => {
    let n = 0;
    while (n < limit && at(before, n) === at(after, n)) n++;
    return n;
  };
  const fromStart = (text: string, i: number) => text[i];
  const fromEnd = (text: string, i: number) => text[text.length - 1 - i];
  // The longest common prefix, then the suffix left over; and the other way round for the span.
  const prefix = common(fromStart, shorter);
  const suffix = common(fromEnd, shorter - prefix);
  const earliest = common(fromStart, shorter - common(fromEnd, shorter));
  return { from: prefix, to: before.length - suffix, text: after.slice(prefix, after.length - suffix), span: { from: earliest, to: before.length - suffix } };
}

interface FileHistory {
  original: string;
  current: string;
  /** Spans of the original already changed, with how much each change altered the length. */
  changed: Array<{ from: number; to: number; delta: number }>;
  /** The plan step that made the last change. */
  lastStep: number;
}

export class EditChain {
  readonly #files = new Map<string, FileHistory>();

  /**
   * The edit as planned step `step`: rebased onto the earlier edits of its file (then it needs the
   * step that made the last of them), or unchanged when it is the first or overlaps one.
   */
  add(edit: FileEdit, step: number): { edit: FileEdit; after?: number } {
    const hunk = hunkOf(edit);
    const change = { ...hunk.span, delta: hunk.text.length - (hunk.to - hunk.from) };
    const history = this.#files.get(edit.file);
    if (!history) {
      this.#files.set(edit.file, { original: edit.before, current: edit.after, changed: [change], lastStep: step });
      return { edit };
    }
    // Touching (not only overlapping) an earlier change is ambiguous too: whose text comes first?
    if (edit.before !== history.original || history.changed.some((c) => change.from <= c.to && c.from <= change.to)) return { edit };
    const shift = history.changed.filter((c) => c.to < change.from).reduce((sum, c) => sum + c.delta, 0);
    const { current } = history;
    const rebased: FileEdit = { file: edit.file, before: current, after: current.slice(0, hunk.from + shift) + hunk.text + current.slice(hunk.to + shift) };
    const after = history.lastStep;
    history.changed.push(change);
    history.current = rebased.after;
    history.lastStep = step;
    return { edit: rebased, after };
  }
}
