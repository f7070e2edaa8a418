// The converters Sluice ships, ready for the plugin registry: names are Kafka's simple class
// names; the Java class names are aliases (the registry also derives the simple name from an
// alias, so `key.converter=org.apache.kafka.connect.json.JsonConverter` and
// `key.converter=JsonConverter` resolve to the same definition).
import type { ConverterDefinition, HeaderConverterDefinition } from '@sluice/core';
import { jsonConverter, jsonHeaderConverter } from './json-converter.ts';
import { NUMBER_CONVERTER_NAMES, numberConverters, numberHeaderConverters } from './number-converters.ts';
import { simpleHeaderConverter } from './simple-header-converter.ts';
import { byteArrayConverter, byteArrayHeaderConverter, stringConverter, stringHeaderConverter } from './string-converter.ts';

/** Every built-in converter and header converter (JsonConverter and the others are both). */
export const builtinConverters: readonly (ConverterDefinition | HeaderConverterDefinition)[] = Object.freeze([
  jsonConverter,
  jsonHeaderConverter,
  stringConverter,
  stringHeaderConverter,
  byteArrayConverter,
  byteArrayHeaderConverter,
  ...numberConverters,
  ...numberHeaderConverters,
  simpleHeaderConverter,
] as (ConverterDefinition | HeaderConverterDefinition)[]);

/** Java class name → built-in converter name, for `definePlugin({ aliases })`. */
export const builtinConverterAliases: Readonly<Record<string, string>> = Object.freeze({
  'org.apache.kafka.connect.json.JsonConverter': 'JsonConverter',
  'org.apache.kafka.connect.storage.StringConverter': 'StringConverter',
  'org.apache.kafka.connect.converters.ByteArrayConverter': 'ByteArrayConverter',
  'org.apache.kafka.connect.storage.SimpleHeaderConverter': 'SimpleHeaderConverter',
  ...Object.fromEntries(NUMBER_CONVERTER_NAMES.map((name) => [`org.apache.kafka.connect.converters.${name}`, name])),
});
