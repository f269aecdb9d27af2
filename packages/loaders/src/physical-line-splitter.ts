/** How a physical line ended: `none` only for a last line without a newline. */
export type LineEnding = 'lf' | 'crlf' | 'none';

export type LineHandler = (text: string, lineNumber: number, ending: LineEnding) => void;

/** Receives a line over the limit instead of its text: its number, length in characters and first characters. */
export type LongLineHandler = (lineNumber: number, chars: number, head: string) => void;

/** Characters of an over-long line kept to show in its reject. */
const headChars = 200;

/**
 * Cuts decoded text chunks into physical lines (LF-terminated, CR of a CRLF stripped and reported)
 * and numbers them from 1, so every record keeps its exact position whatever its content. A line
 * longer than `maxLineChars` is never held whole: it is skipped to its newline and reported.
 */
export class PhysicalLineSplitter {
  readonly #onLine: LineHandler;
  readonly #long:
    { readonly maxLineChars: number; readonly onLongLine: LongLineHandler } | undefined;
  #carry = '';
  #lineNumber = 0;
  /** Characters of the over-long line being skipped, or -1. */
  #skipped = -1;
  #skippedHead = '';

  constructor(
    onLine: LineHandler,
    long?: { readonly maxLineChars: number; readonly onLongLine: LongLineHandler },
  ) {
    this.#onLine = onLine;
    this.#long = long;
  }

  /** Lines completed so far (a pending unterminated tail is not counted until `end`). */
  get linesSeen(): number {
    return this.#lineNumber;
  }

  /** Characters of the line still waiting for its newline: a guard against files without any. */
  get pendingChars(): number {
    return this.#carry.length;
  }

  push(chunk: string): void {
    let data = this.#carry === '' ? chunk : this.#carry + chunk;
    if (this.#skipped !== -1) {
      const newline = data.indexOf('\n');
      if (newline === -1) {
        this.#skipped += data.length;
        this.#carry = '';
        return;
      }
      this.#endLongLine(this.#skipped + newline);
      data = data.slice(newline + 1);
    }
    const max = this.#long?.maxLineChars ?? Infinity;
    let start = 0;
    let newline = data.indexOf('\n');
    while (newline !== -1) {
      const crlf = newline > start && data.charCodeAt(newline - 1) === 13;
      this.#lineNumber += 1;
      if (newline - start > max) {
        this.#long?.onLongLine(
          this.#lineNumber,
          newline - start,
          data.slice(start, start + headChars),
        );
        start = newline + 1;
        newline = data.indexOf('\n', start);
        continue;
      }
      this.#onLine(
        data.slice(start, crlf ? newline - 1 : newline),
        this.#lineNumber,
        crlf ? 'crlf' : 'lf',
      );
      start = newline + 1;
      newline = data.indexOf('\n', start);
    }
    this.#carry = data.slice(start);
    if (this.#carry.length > max) {
      this.#skipped = this.#carry.length;
      this.#skippedHead = this.#carry.slice(0, headChars);
      this.#carry = '';
    }
  }

  end(): void {
    if (this.#skipped !== -1) {
      this.#endLongLine(this.#skipped);
      return;
    }
    if (this.#carry === '') return;
    this.#lineNumber += 1;
    const tail = this.#carry;
    this.#carry = '';
    this.#onLine(tail, this.#lineNumber, 'none');
  }

  #endLongLine(chars: number): void {
    this.#lineNumber += 1;
    const head = this.#skippedHead;
    this.#skipped = -1;
    this.#skippedHead = '';
    this.#long?.onLongLine(this.#lineNumber, chars, head);
  }
}
