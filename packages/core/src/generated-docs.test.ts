import { describe, expect, it } from 'vitest';
import { defineConfig } from './config/spec.ts';
import { spliceGeneratedDocs } from './generated-docs.ts';
import { assertErrorCode } from './testing.ts';

const START = '<!-- generated config: start. Run `pnpm run docs` to update; do not edit by hand. -->';
const END = '<!-- generated config: end -->';

describe('spliceGeneratedDocs', () => {
  it('replaces what lies between the markers and keeps the hand-written rest', () => {
    const readme = `# pkg\n\nIntro.\n\n${START}\nstale table\n${END}\n\n## Behaviour\n`;
    const docs = defineConfig({ file: { type: 'string', default: null, doc: 'Source filename.' } }).markdown('Configuration');
    const out = spliceGeneratedDocs(readme, docs);
    expect(out).toBe(
      `# pkg\n\nIntro.\n\n${START}\n\n## Configuration\n\n| Key | Type | Default | Valid values | Importance | Description |\n|---|---|---|---|---|---|\n| \`file\` | string | \`null\` |  | medium | Source filename. |\n\n${END}\n\n## Behaviour\n`,
    );
  });

  it('is idempotent, so a committed README compares equal to its regeneration', () => {
    const once = spliceGeneratedDocs(`a\n${START}${END}\nb`, '\n\nfresh\n\n');
    expect(once).toBe(`a\n${START}\n\nfresh\n\n${END}\nb`);
    expect(spliceGeneratedDocs(once, 'fresh')).toBe(once);
  });

  it('takes other markers, e.g. for a second generated part', () => {
    const markers = { start: '<!-- list: start -->', end: '<!-- list: end -->' };
    expect(spliceGeneratedDocs('x <!-- list: start --> old <!-- list: end --> y', '- one', markers)).toBe('x <!-- list: start -->\n\n- one\n\n<!-- list: end --> y');
  });

  it('names the marker that is missing, repeated or out of order', () => {
    expect(assertErrorCode(() => spliceGeneratedDocs(`# pkg\n${END}\n`, 'x'), 'NOT_FOUND').message).toContain(START);
    expect(assertErrorCode(() => spliceGeneratedDocs(`# pkg\n${START}\n`, 'x'), 'NOT_FOUND').message).toContain(END);
    expect(assertErrorCode(() => spliceGeneratedDocs(`${START}\n${END}\n${START}\n`, 'x'), 'DATA').message).toMatch(/more than once/);
    expect(assertErrorCode(() => spliceGeneratedDocs(`${END}\n${START}\n`, 'x'), 'DATA').message).toMatch(/before/);
  });
});
