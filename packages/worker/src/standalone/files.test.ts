import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFile } from './files.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-files-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('readConfigFile, as Kafka Connect standalone reads connector files', () => {
  it('reads .properties', async () => {
    expect(await readConfigFile(file('a.properties', 'name=a\ntasks.max=2\n'))).toEqual({ name: 'a', 'tasks.max': '2' });
  });

  it('reads JSON shaped like POST /connectors, taking the name from the body', async () => {
    expect(await readConfigFile(file('b.json', '{"name":"b","config":{"connector.class":"FileStreamSink","tasks.max":1,"flag":true}}'))).toEqual({
      name: 'b',
      'connector.class': 'FileStreamSink',
      'tasks.max': '1',
      flag: 'true',
    });
  });

  it('reads a flat JSON map, shaped like PUT /connectors/{name}/config', async () => {
    expect(await readConfigFile(file('c.json', '{"name":"c","file":"x"}'))).toEqual({ name: 'c', file: 'x' });
  });

  it('names the file and the problem for broken input', async () => {
    await expect(readConfigFile(join(dir, 'missing.properties'))).rejects.toThrow(`cannot read ${join(dir, 'missing.properties')}`);
    await expect(readConfigFile(file('d.json', '{"name":'))).rejects.toThrow(`${join(dir, 'd.json')} is not valid JSON`);
    await expect(readConfigFile(file('e.json', '{"name":"e","config":{"nested":{"x":1}}}'))).rejects.toThrow('config key `nested`');
    await expect(readConfigFile(file('f.json', '{"name":"f","config":{"name":"g"}}'))).rejects.toThrow('config key `name`: in');
  });
});
