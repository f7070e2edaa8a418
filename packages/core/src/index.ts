// @sluice/core: the plugin API. Every public name is listed here; everything else is internal.

export {
  SluiceError,
  SLUICE_ERROR_BRAND,
  isSluiceError,
  hasErrorCode,
  isRetriable,
  errorCodeOf,
  retriableError,
  configError,
  dataError,
  connectionError,
  notFoundError,
  alreadyExistsError,
  illegalStateError,
  schemaError,
  timeoutError,
  internalError,
} from './errors.ts';
export type { ErrorCode, SluiceErrorOptions } from './errors.ts';
export { assertErrorCode, assertRejectsWithCode } from './testing.ts';

export { SCHEMA_TYPES, LogicalNames, isPrimitiveType, fieldOf, schemaEquals, valueEquals } from './schema.ts';
export type { SchemaType, Schema, Field } from './schema.ts';
export { SchemaBuilder, Schemas } from './schema-builder.ts';
export { validateValue } from './validate-value.ts';
export { Struct, isStruct } from './struct.ts';
export { Decimal, isDecimal, DateLogical, TimeLogical, TimestampLogical } from './logical.ts';

export { Headers } from './headers.ts';
export type { Header } from './headers.ts';
export { sourceRecord, sinkRecord, newRecord, validateOffsetMap } from './records.ts';
export type {
  ConnectRecord,
  SourceRecord,
  SinkRecord,
  TimestampType,
  OffsetValue,
  OffsetMap,
  ConnectRecordInit,
  SourceRecordInit,
  SinkRecordInit,
  RecordChanges,
} from './records.ts';

export { defineConfig, ConfigSpec } from './config/spec.ts';
export type { ConfigOf } from './config/spec.ts';
export type { ConfigKey } from './config/key.ts';
export { spliceGeneratedDocs } from './generated-docs.ts';
export type { GeneratedDocsMarkers } from './generated-docs.ts';
export { Secret, isSecret } from './config/secret.ts';
export { atLeast, between, oneOf, nonEmptyString, custom } from './config/validators.ts';
export type { Validator } from './config/validators.ts';
export type {
  ConfigType,
  Importance,
  Width,
  ConfigKeyDef,
  ConfigDefs,
  ConfigOfDefs,
  ValueOfKey,
  ConfigTypeValues,
  ConfigTypeDefaults,
  ParsedValues,
  ConfigValue,
  ConfigKeyInfo,
  ConfigValueInfo,
  ConfigInfos,
  RawConfig,
} from './config/types.ts';

export { noopLogger, topicPartitionKey } from './context.ts';
export type {
  Logger,
  LogFn,
  TopicPartition,
  TopicPartitionOffset,
  OffsetReader,
  ConnectorContext,
  SourceConnectorContext,
  SinkConnectorContext,
  SourceTaskContext,
  SinkTaskContext,
  ErrantRecordReporter,
  TransactionContext,
} from './context.ts';
export type { SourceTask, SinkTask, RecordMetadata, TaskConfig, MaybePromise } from './task.ts';
export { defineSourceConnector, defineSinkConnector } from './connector.ts';
export type {
  SourceConnector,
  SinkConnector,
  SourceConnectorInit,
  SinkConnectorInit,
  SourceConnectorDefinition,
  SinkConnectorDefinition,
  ConnectorDefinition,
  ExactlyOnceSupport,
  ConnectorTransactionBoundaries,
  SourceOffsetChange,
  SinkOffsetChange,
  TaskConfigOf,
} from './connector.ts';
export { defineTransform, definePredicate } from './transform.ts';
export type {
  Transformation,
  Predicate,
  TransformInit,
  TransformDefinition,
  PredicateInit,
  PredicateDefinition,
} from './transform.ts';
export { defineConverter, defineHeaderConverter } from './converter.ts';
export type {
  Converter,
  HeaderConverter,
  SchemaAndValue,
  ConverterInit,
  ConverterDefinition,
  HeaderConverterInit,
  HeaderConverterDefinition,
} from './converter.ts';
export { definePlugin } from './plugin.ts';
export type { Plugin, PluginInit } from './plugin.ts';
