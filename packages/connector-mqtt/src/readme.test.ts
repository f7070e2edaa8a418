import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withConfigDocs } from './readme.ts';

describe('README.md', () => {
  it('holds the config table generated from the spec (run `pnpm run docs` when this fails)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withConfigDocs(readme));
    expect(readme).toContain('| `mqtt.qos` | int | `0` | [0,...,2] | medium |');
  });
});
