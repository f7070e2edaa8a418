import type { ProducerRecord, RecordMetadata } from './port.ts';

/**
 * The most one produce request built from a `send` holds, by estimated size. A broker refuses
 * a record batch over its `message.max.bytes` (1 MiB by default), so a large send — a JDBC
 * source's 1,000 rows of 1 kB — goes out as several requests, as Java's producer splits by
 * `batch.size` and `max.request.size`.
 */
export const MAX_REQUEST_BYTES = 512 * 1024;

/** A record's size in a v2 record batch, generously: its bytes plus the varint framing. */
function recordBytes(record: ProducerRecord): number {
  let size = 32 + (record.key?.byteLength ?? 0) + (record.value?.byteLength ?? 0);
  for (const header of record.headers ?? []) size += 8 + header.key.length * 3 + (header.value?.byteLength ?? 0);
  return size;
}

/** Consecutive runs of `records`, each under `maxBytes` or a single record larger than it. */
export function produceRequests(records: readonly ProducerRecord[], maxBytes = MAX_REQUEST_BYTES): ProducerRecord[][] {
  const requests: ProducerRecord[][] = [];
  let current: ProducerRecord[] = [];
  let size = 0;
  for (const record of records) {
    const bytes = recordBytes(record);
    if (current.length > 0 && size + bytes > maxBytes) {
      requests.push(current);
      current = [];
      size = 0;
    }
    current.push(record);
    size += bytes;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

/** Sends `records` as {@link produceRequests}, one after the other so their order holds; metadata in input order. */
export async function sendInRequests(records: readonly ProducerRecord[], sendRequest: (request: readonly ProducerRecord[]) => Promise<RecordMetadata[]>): Promise<RecordMetadata[]> {
  const metadata: RecordMetadata[] = [];
  for (const request of produceRequests(records)) metadata.push(...(await sendRequest(request)));
  return metadata;
}
