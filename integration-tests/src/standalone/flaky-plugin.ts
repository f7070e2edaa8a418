/**
 * A sink whose `put` fails (not retriably) the first two times it gets records, in the whole
 * worker process — so only a restarted task gets further — and then appends each record's
 * offset to a file. `shaky-sink`'s connector fails its first start. For standalone and
 * distributed workers alike (`plugin.path`).
 */
export const FLAKY_PLUGIN = `
import { appendFileSync } from 'node:fs';
import { defineConfig, definePlugin, defineSinkConnector } from '@sluice/core';

let failures = 0;
const config = defineConfig({ file: { type: 'string', importance: 'high', doc: 'where offsets go' } });
const flaky = defineSinkConnector({
  name: 'flaky-sink',
  config,
  create: () => {
    let file;
    return { start(parsed) { file = parsed.file; }, taskConfigs: (max) => Array.from({ length: max }, () => ({ file })), stop() {} };
  },
  task: {
    config,
    create: () => {
      let file;
      return {
        start(parsed) { file = parsed.file; },
        put(records) {
          if (records.length === 0) return;
          if (failures < 2) {
            failures += 1;
            throw new Error('flaky-sink failure ' + failures);
          }
          appendFileSync(file, records.map((r) => r.kafkaOffset + '\\n').join(''));
        },
        stop() {},
      };
    },
  },
});

let starts = 0;
const shaky = defineSinkConnector({
  name: 'shaky-sink',
  config: defineConfig({}),
  create: () => ({
    start() {
      starts += 1;
      if (starts === 1) throw new Error('shaky-sink could not reach its database');
    },
    taskConfigs: () => [{}],
    stop() {},
  }),
  task: { create: () => ({ start() {}, put() {}, stop() {} }) },
});
export default definePlugin({ name: 'flaky-plugin', version: '1.0.0', connectors: [flaky, shaky] });
`;
