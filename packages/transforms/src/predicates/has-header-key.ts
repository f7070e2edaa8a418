import { defineConfig, definePredicate, nonEmptyString } from '@sluice/core';

/** HasHeaderKey: true when the record has at least one header called `name`. */
export const hasHeaderKey = definePredicate({
  name: 'HasHeaderKey',
  doc: 'True for records with at least one header of the given name.',
  config: defineConfig({
    name: { type: 'string', validate: nonEmptyString(), importance: 'medium', doc: 'The header name.' },
  }),
  create() {
    let name = '';
    return {
      configure(c) {
        name = c.name;
      },
      test: (record) => record.headers.lastWithName(name) !== undefined,
    };
  },
});
