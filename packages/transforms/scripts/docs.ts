// Regenerates the transform and predicate docs in README.md from the plugin: `pnpm run docs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { withComponentDocs } from '../src/readme.ts';

const readme = new URL('../README.md', import.meta.url);
writeFileSync(readme, withComponentDocs(readFileSync(readme, 'utf8')));
