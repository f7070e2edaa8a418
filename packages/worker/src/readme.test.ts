import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commonConnectorConfig, sinkConnectorConfig } from './runtime/connector-config.ts';
import { connectorConfigDocs, withConnectorConfigDocs } from './readme.ts';

describe('README.md', () => {
  it('holds the connector key tables generated from the specs (run `pnpm run docs` when this fails)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withConnectorConfigDocs(readme));
  });

  it('documents every key of both specs once, the sink keys apart', () => {
    const docs = connectorConfigDocs();
    for (const key of sinkConnectorConfig.keys()) expect(docs.split(`| \`${key}\` |`)).toHaveLength(2);
    expect(docs).toContain('| `errors.tolerance` | string | `none` | [none, all] | medium |');
    expect(docs).toContain('| `sluice.restart.on.failure` | boolean | `false` |');
    const sinkPart = docs.slice(docs.indexOf('## Keys of sink connectors'));
    expect(sinkPart).toContain('| `topics` |');
    for (const key of commonConnectorConfig.keys()) expect(sinkPart).not.toContain(`| \`${key}\` |`);
  });
});
