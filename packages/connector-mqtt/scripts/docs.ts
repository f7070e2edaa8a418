// Regenerates the config tables in README.md from the config specs: `pnpm run docs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigDocs } from '../src/readme.ts';

const readme = new URL('../README.md', import.meta.url);
writeFileSync(readme, withConfigDocs(readFileSync(readme, 'utf8')));
