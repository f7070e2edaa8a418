import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commonConnectorConfig, sinkConnectorConfig, sourceConnectorConfig } from './runtime/connector-config.ts';
import { connectorConfigDocs, withConnectorConfigDocs } from './readme.ts';

describe('README.md', () => {
  it('holds the connector key tables generated from the specs (run `pnpm run docs` when this fails)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withConnectorConfigDocs(readme));
  });

  it('documents every key of the specs once, the sink and source keys apart', () => {
    const docs = connectorConfigDocs();
    for (const key of new Set([...sinkConnectorConfig.keys(), ...sourceConnectorConfig.keys()])) expect(docs.split(`| \`${key}\` |`)).toHaveLength(2);
    expect(docs).toContain('| `errors.tolerance` | string | `none` | [none, all] | medium |');
    expect(docs).toContain('| `sluice.restart.on.failure` | boolean | `false` |');
    const sinkPart = docs.slice(docs.indexOf('## Keys of sink connectors'));
    expect(sinkPart).toContain('| `topics` |');
    const sourcePart = docs.slice(docs.indexOf('## Keys of source connectors'));
    expect(sinkPart.slice(0, sinkPart.indexOf('## Keys of source connectors'))).not.toContain('| `transaction.boundary` |');
    expect(sourcePart).toContain('| `transaction.boundary` | string | `poll` | [poll, interval, connector] | medium |');
    for (const key of commonConnectorConfig.keys()) expect(sinkPart).not.toContain(`| \`${key}\` |`);
  });
});
