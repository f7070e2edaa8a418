import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import plugin from './index.ts';
import { componentDocs, withComponentDocs } from './readme.ts';

describe('README.md', () => {
  it('holds the transform and predicate docs generated from the plugin (run `pnpm run docs` when this fails)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withComponentDocs(readme));
  });

  it('documents, outside the generated part, the deliberate differences from Kafka', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const handWritten = readme.slice(0, readme.indexOf('<!-- generated config: start'));
    expect(handWritten).toMatch(/`Cast` of the whole key or value whose schema is a logical type[^]*drops the logical name on purpose/);
    expect(handWritten).toMatch(/`value.literal`[^]*outside the INT64 range becomes a\s+`Decimal`/);
  });

  it('names every transform and predicate, under its Sluice name and its Java class names', () => {
    const docs = componentDocs();
    for (const { name } of [...plugin.transforms, ...plugin.predicates]) expect(docs).toContain(`\`${name}\``);
    for (const alias of Object.keys(plugin.aliases)) expect(docs).toContain(`\`${alias}\``);
    expect(docs).toContain('`transforms.<alias>.type`: `Cast$Key` or `org.apache.kafka.connect.transforms.Cast$Key`; `Cast$Value` or `org.apache.kafka.connect.transforms.Cast$Value`.');
    expect(docs).toContain('`predicates.<alias>.type`: `HasHeaderKey` or `org.apache.kafka.connect.transforms.predicates.HasHeaderKey`.');
  });

  it('gives a $Key/$Value pair one section, with the config table of its spec', () => {
    const docs = componentDocs();
    const headings = docs.split('\n').filter((line) => line.startsWith('### '));
    expect(headings).toHaveLength(16 + 3);
    expect(headings).toContain('### Cast');
    expect(headings).not.toContain('### Cast$Key');
    expect(docs).toContain('#### Config of `Cast$Key`, `Cast$Value`');
    expect(docs).toContain('| `spec` | list | *required* |');
    expect(docs).toContain('| `topic.format` | string | `${topic}-${timestamp}` |');
  });
});
