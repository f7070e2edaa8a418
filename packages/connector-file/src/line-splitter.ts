// Splits a byte stream into lines ended by LF, CRLF or a lone CR, as Apache's
// FileStreamSourceTask does, while counting bytes. CR and LF are single bytes that never occur
// inside a multi-byte UTF-8 sequence, so splitting before decoding is safe and the positions are
// exact byte offsets into the input.

const LF = 0x0a;
const CR = 0x0d;

/** One complete line: its text (without the line end) and the byte position just after its line end. */
export interface Line {
  readonly text: string;
  readonly end: number;
}

export class LineSplitter {
  #buffer: Buffer = Buffer.alloc(0);
  /** Index in `#buffer` of the first byte not yet returned as part of a line. */
  #start = 0;
  /** Input position of `#buffer[#start]`. */
  #position: number;
  /** The next LF at or after `#start`, or -1 when there is none in `#buffer[#start, #scanned)`. */
  #lf = -1;
  #scanned = 0;

  /** @param position the input position of the first byte that will be pushed */
  constructor(position = 0) {
    this.#position = position;
  }

  /** The input position after the last line returned (where a reader resumes). */
  get position(): number {
    return this.#position;
  }

  /** Bytes pushed but not yet returned: a partial line. */
  get pendingBytes(): number {
    return this.#buffer.length - this.#start;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const start = this.#start;
    if (this.pendingBytes === 0) {
      this.#buffer = bytes;
      this.#lf = -1;
      this.#scanned = 0;
    } else {
      this.#buffer = Buffer.concat([this.#buffer.subarray(start), bytes]);
      if (this.#lf >= start) {
        this.#lf -= start;
      } else if (this.#lf === -1) {
        this.#scanned = Math.max(0, this.#scanned - start);
      } else {
        this.#lf = -1; // stale: behind the bytes already returned
        this.#scanned = 0;
      }
    }
    this.#start = 0;
  }

  /**
   * The next complete line, or `null` when the pending bytes hold none. A CR that is the last
   * pending byte is held back: the next byte decides whether the line ended with CR or CRLF.
   */
  next(): Line | null {
    const buffer = this.#buffer;
    const start = this.#start;
    if (this.#lf !== -1 && this.#lf < start) {
      this.#lf = buffer.indexOf(LF, start);
      this.#scanned = buffer.length;
    } else if (this.#lf === -1 && this.#scanned < buffer.length) {
      this.#lf = buffer.indexOf(LF, Math.max(start, this.#scanned));
      this.#scanned = buffer.length;
    }
    const limit = this.#lf === -1 ? buffer.length : this.#lf;
    const cr = buffer.subarray(start, limit).indexOf(CR);
    let end: number;
    let next: number;
    if (cr !== -1) {
      end = start + cr;
      if (end + 1 >= buffer.length) return null;
      next = buffer[end + 1] === LF ? end + 2 : end + 1;
    } else if (this.#lf !== -1) {
      end = this.#lf;
      next = end + 1;
    } else {
      return null;
    }
    const text = buffer.toString('utf8', start, end);
    this.#position += next - start;
    this.#start = next;
    return { text, end: this.#position };
  }
}
