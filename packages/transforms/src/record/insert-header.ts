import { defineConfig, newRecord } from '@sluice/core';
import type { SchemaAndValue } from '@sluice/core';
import { singleTransform } from '../variant.ts';
import { parseHeaderLiteral } from './header-literal.ts';

const config = defineConfig({
  header: { type: 'string', importance: 'high', doc: 'Name of the header to add.' },
  'value.literal': {
    type: 'string',
    importance: 'high',
    doc:
      'The value every record gets in the header. It is typed from its text: `true`/`false` become a BOOLEAN, whole numbers ' +
      'the smallest integer type that holds them, other numbers FLOAT32 or FLOAT64, ISO-8601 dates, times and timestamps the ' +
      'matching logical type, `null` a null value; anything else (including `[…]` and `{…}`) stays a STRING. A whole number ' +
      'beyond the INT64 range becomes a Decimal. Unlike Kafka, which types text made of several tokens, such as `1,2` or ' +
      '`12:30`, by its first one, such text stays a STRING; and a number must start with a digit, `+` or `-` (`.5` is a STRING, as in Kafka).',
  },
});

/** InsertHeader: adds a header with a fixed value to every record, after any headers of the same name. */
export const insertHeader = singleTransform({
  name: 'InsertHeader',
  doc: 'Adds a header with the same literal value to each record.',
  config,
  create() {
    let name = '';
    let literal: SchemaAndValue = { value: null };
    return {
      configure(c) {
        name = c.header;
        literal = parseHeaderLiteral(c['value.literal']);
      },
      apply(record) {
        const headers = record.headers.duplicate();
        if (literal.schema === undefined) headers.add(name, literal.value);
        else headers.add(name, literal.value, literal.schema);
        return newRecord(record, { headers });
      },
    };
  },
});
