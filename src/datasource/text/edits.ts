/** A replacement of `original[start, end)` by `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Where an offset of the edited text came from. */
export interface OriginalOffset {
  offset: number;
  /** The offset falls in text an edit added (an ad hoc filter, say). */
  inserted: boolean;
  /** The edit it fell in, when inserted. */
  edit?: Edit;
}

/** A query after the data source's edits, able to map positions back to what the user wrote. */
export class EditedText {
  readonly text: string;
  private readonly edits: Edit[];

  constructor(
    readonly original: string,
    edits: Edit[]
  ) {
    this.edits = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
    let text = '';
    let at = 0;
    for (const edit of this.edits) {
      if (edit.start < at) {
        throw new Error(`overlapping edits at ${edit.start}`);
      }
      text += original.slice(at, edit.start) + edit.text;
      at = edit.end;
    }
    this.text = text + original.slice(at);
  }

  toOriginal(offset: number): OriginalOffset {
    let shift = 0;
    for (const edit of this.edits) {
      const editedStart = edit.start + shift;
      if (offset < editedStart) {
        break;
      }
      if (offset < editedStart + edit.text.length) {
        return { offset: edit.start, inserted: true, edit };
      }
      shift += edit.text.length - (edit.end - edit.start);
    }
    return { offset: offset - shift, inserted: false };
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}
