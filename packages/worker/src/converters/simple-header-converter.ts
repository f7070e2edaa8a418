// org.apache.kafka.connect.storage.SimpleHeaderConverter, the default header converter: header
// values as the text of Values.convertToString, read back with Values.parseString.
import { Schemas, defineConfig, defineHeaderConverter, type HeaderConverter, type Schema, type SchemaAndValue } from '@sluice/core';
import { convertToString } from './values-text.ts';
import { parseString } from './values-parse.ts';

const UTF8 = new TextDecoder('utf-8');
const ENCODER = new TextEncoder();

/** Writes header values as text and infers their schema when reading; text that cannot be decoded stays BYTES. */
export class SimpleHeaderConverter implements HeaderConverter {
  configure(): void {}

  fromConnectHeader(_topic: string, _headerKey: string, schema: Schema | undefined, value: unknown): Uint8Array | null {
    const text = convertToString(schema, value);
    return text === null ? null : ENCODER.encode(text);
  }

  toConnectHeader(_topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return { schema: undefined, value: null };
    try {
      return parseString(UTF8.decode(bytes));
    } catch {
      // as Kafka: a value that cannot be parsed is passed on as bytes
      return { schema: Schemas.BYTES, value: bytes };
    }
  }
}

export const simpleHeaderConverter = defineHeaderConverter({
  name: 'SimpleHeaderConverter',
  doc: 'The default header converter (org.apache.kafka.connect.storage.SimpleHeaderConverter): values as text, schemas inferred on read.',
  config: defineConfig({}),
  create: () => new SimpleHeaderConverter(),
});
