// @sluice/worker/converters: Kafka Connect's built-in converters. Every public name is listed here.
export { builtinConverters, builtinConverterAliases } from './builtins.ts';
export { JsonConverter, jsonConverter, jsonHeaderConverter, jsonConverterConfig } from './json-converter.ts';
export type { JsonConverterConfig } from './json-converter.ts';
export { StringConverter, ByteArrayConverter, stringConverter, stringHeaderConverter, byteArrayConverter, byteArrayHeaderConverter, stringConverterConfig } from './string-converter.ts';
export type { StringConverterConfig } from './string-converter.ts';
export { NumberConverter, numberConverters, numberHeaderConverters } from './number-converters.ts';
export { SimpleHeaderConverter, simpleHeaderConverter } from './simple-header-converter.ts';
export { convertToString } from './values-text.ts';
export { parseString } from './values-parse.ts';
export { javaDoubleString, javaFloatString, bigDecimalString } from './java-text.ts';
