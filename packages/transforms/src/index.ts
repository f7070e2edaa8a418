// @sluice/transforms: Apache Kafka's single message transforms and predicates for Sluice.
import { readFileSync } from 'node:fs';
import { definePlugin } from '@sluice/core';
import { fieldTransforms } from './fields/index.ts';
import { predicateFamily } from './predicates/index.ts';
import { recordTransforms } from './record/index.ts';
import { combine } from './variant.ts';

// src/ in the workspace and dist/ when published both sit one level below package.json.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const transforms = combine([fieldTransforms, recordTransforms]);

export default definePlugin({
  name: '@sluice/transforms',
  version,
  transforms: transforms.transforms,
  predicates: predicateFamily.predicates,
  aliases: { ...transforms.aliases, ...predicateFamily.aliases },
});
