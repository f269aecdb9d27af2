/** How a physical line ended: `none` only for a last line without a newline. */
export type LineEnding = 'lf' | 'crlf' | 'none';

export type LineHandler = (text: string, lineNumber: number, ending: LineEnding) => void;

/**
 * Cuts decoded text chunks into physical lines (LF-terminated, CR of a CRLF stripped and reported)
 * and numbers them from 1, so every record keeps its exact position whatever its content.
 */
export class PhysicalLineSplitter {
  readonly #onLine: LineHandler;
  #carry = '';
  #lineNumber = 0;

  constructor(onLine: LineHandler) {
    this.#onLine = onLine;
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
    const data = this.#carry === '' ? chunk : this.#carry + chunk;
    let start = 0;
    let newline = data.indexOf('\n');
    while (newline !== -1) {
      const crlf = newline > start && data.charCodeAt(newline - 1) === 13;
      this.#lineNumber += 1;
      this.#onLine(
        data.slice(start, crlf ? newline - 1 : newline),
        this.#lineNumber,
        crlf ? 'crlf' : 'lf',
      );
      start = newline + 1;
      newline = data.indexOf('\n', start);
    }
    this.#carry = data.slice(start);
  }

  end(): void {
    if (this.#carry === '') return;
    this.#lineNumber += 1;
    const tail = this.#carry;
    this.#carry = '';
    this.#onLine(tail, this.#lineNumber, 'none');
  }
}
