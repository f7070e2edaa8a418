import { defineConfig } from '@sluice/core';
import { singleTransform } from '../variant.ts';

/** Filter: drops every record it sees. Useful with a predicate (`transforms.x.predicate`), which decides which records reach it. */
export const filter = singleTransform({
  name: 'Filter',
  doc: 'Drops every record it is applied to; combine it with a predicate to drop only the records that match (or, with negate, that do not).',
  config: defineConfig({}),
  create() {
    return {
      configure() {},
      apply: () => null,
    };
  },
});
