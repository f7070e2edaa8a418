import { defineConfig, newRecord } from '@sluice/core';
import { singleTransform } from '../variant.ts';
import { nonEmptyList } from './validators.ts';

const config = defineConfig({
  headers: {
    type: 'list',
    validate: nonEmptyList(),
    importance: 'high',
    doc: 'Names of the headers to remove; every header with one of these names goes.',
  },
});

/** DropHeaders: removes every header whose name is listed in `headers`. */
export const dropHeaders = singleTransform({
  name: 'DropHeaders',
  doc: 'Removes the listed headers from each record.',
  config,
  create() {
    let names: ReadonlySet<string> = new Set();
    return {
      configure(c) {
        names = new Set(c.headers);
      },
      apply(record) {
        const headers = record.headers.duplicate();
        for (const name of names) headers.remove(name);
        return newRecord(record, { headers });
      },
    };
  },
});
