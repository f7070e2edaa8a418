import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLES = fileURLToPath(new URL('../../../examples/file-quickstart/', import.meta.url));

/**
 * A temporary folder holding Apache Kafka's quickstart files from examples/file-quickstart,
 * with only paths adjusted: the offsets file goes into the folder, and the broker address is
 * the test's when it is not the quickstart's own `localhost:9092`.
 */
export function quickstartDir(bootstrap: string, changes: { source?: Record<string, string>; sink?: Record<string, string>; worker?: Record<string, string> } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-quickstart-'));
  cpSync(EXAMPLES, dir, { recursive: true });
  const edit = (file: string, values: Record<string, string>) => {
    let text = readFileSync(join(dir, file), 'utf8');
    for (const [key, value] of Object.entries(values)) {
      const line = new RegExp(`^${key.replace(/\./g, '\\.')}=.*$`, 'm');
      text = line.test(text) ? text.replace(line, `${key}=${value}`) : `${text}${key}=${value}\n`;
    }
    writeFileSync(join(dir, file), text);
  };
  edit('connect-standalone.properties', {
    'offset.storage.file.filename': join(dir, 'connect.offsets'),
    ...(bootstrap === '127.0.0.1:9092' ? {} : { 'bootstrap.servers': bootstrap }),
    ...changes.worker,
  });
  if (changes.source) edit('connect-file-source.properties', changes.source);
  if (changes.sink) edit('connect-file-sink.properties', changes.sink);
  return dir;
}

export const WORKER_ARGS = ['standalone', 'connect-standalone.properties', 'connect-file-source.properties', 'connect-file-sink.properties'];
