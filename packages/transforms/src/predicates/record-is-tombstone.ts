import { defineConfig, definePredicate } from '@sluice/core';

/** RecordIsTombstone: true when the record value is null (a deletion marker on compacted topics). */
export const recordIsTombstone = definePredicate({
  name: 'RecordIsTombstone',
  doc: 'True for tombstones: records whose value is null.',
  config: defineConfig({}),
  create() {
    return {
      configure() {},
      test: (record) => record.value === null || record.value === undefined,
    };
  },
});
