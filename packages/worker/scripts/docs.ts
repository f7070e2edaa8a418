// Regenerates the connector key tables in README.md from the runtime's specs: `pnpm run docs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { withConnectorConfigDocs } from '../src/readme.ts';

const readme = new URL('../README.md', import.meta.url);
writeFileSync(readme, withConnectorConfigDocs(readFileSync(readme, 'utf8')));
