// A read that asks for its next rows as soon as it hands a batch over, so the database sends them
// (and the driver parses them) while the task's records are converted and produced.
import type { Row, RowReader } from './database.ts';

/**
 * `reader` read one batch ahead: after `next(n)` returns a full batch, the next `n` rows are
 * asked for at once. The rows, their order and the errors are the reader's; an error of a read
 * ahead comes from the `next` that would have made it. One request to `reader` at a time.
 */
export function readAhead(reader: RowReader): RowReader {
  let buffered: Row[] = [];
  let pending: Promise<Row[]> | null = null;
  let exhausted = false;

  async function take(max: number): Promise<Row[]> {
    if (pending !== null) {
      const request = pending;
      pending = null;
      const rows = await request;
      if (rows.length === 0) exhausted = true;
      buffered = buffered.length === 0 ? rows : buffered.concat(rows);
    }
    if (buffered.length < max && !exhausted) {
      const rows = await reader.next(max - buffered.length);
      if (rows.length === 0) exhausted = true;
      buffered = buffered.length === 0 ? rows : buffered.concat(rows);
    }
    const batch = buffered.length <= max ? buffered : buffered.slice(0, max);
    buffered = buffered.length <= max ? [] : buffered.slice(max);
    return batch;
  }

  return {
    async next(max) {
      const batch = await take(max);
      if (batch.length === max && !exhausted && buffered.length < max) {
        pending = reader.next(max - buffered.length);
        // its error, if any, is thrown by the next `next` (or dropped with the read)
        pending.catch(() => undefined);
      }
      return batch;
    },
    async close() {
      const request = pending;
      pending = null;
      buffered = [];
      // the reader takes one request at a time: the read ahead ends before the close
      if (request !== null) await request.catch(() => undefined);
      await reader.close();
    },
  };
}
