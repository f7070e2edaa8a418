import type { SinkConnectorContext, SourceConnectorContext, TopicPartition } from './context.ts';
import { checkComponent, definitionError, optionalFunction, requireFunction, requireSpec } from './define-checks.ts';
import type { ConfigSpec, ConfigOf } from './config/spec.ts';
import type { ConfigValue, RawConfig } from './config/types.ts';
import type { OffsetMap } from './records.ts';
import type { MaybePromise, SinkTask, SourceTask, TaskConfig } from './task.ts';

/** Whether a source connector can provide exactly-once delivery for a config (KIP-618). @since 0.1.0 */
export type ExactlyOnceSupport = 'supported' | 'unsupported';

/**
 * Whether a source connector's tasks can define their own transaction boundaries for a config
 * (KIP-618 `ConnectorTransactionBoundaries`): required for `transaction.boundary=connector`.
 *
 * @since 0.1.0
 */
export type ConnectorTransactionBoundaries = 'supported' | 'unsupported';

/** The parsed task config: by the task spec when there is one, else the raw string map. @since 0.1.0 */
export type TaskConfigOf<TS> = TS extends ConfigSpec ? ConfigOf<TS> : TaskConfig;

/**
 * A running source connector instance. One is made per connector by the definition's
 * `create()`, so instance state (clients, monitors) stays per connector.
 *
 * **Lifecycle.** `start` → `taskConfigs`* → `stop`; a reconfiguration is `stop` then `start`
 * on the same instance. Calls are never concurrent with each other.
 *
 * @since 0.1.0
 */
export interface SourceConnector<C> {
  start(config: C, ctx: SourceConnectorContext): MaybePromise<void>;
  /** At most `maxTasks` task configs (string maps); one task is started per entry. */
  taskConfigs(maxTasks: number): MaybePromise<TaskConfig[]>;
  stop(): MaybePromise<void>;
}

/**
 * A running sink connector instance; see {@link SourceConnector} for the lifecycle.
 *
 * @since 0.1.0
 */
export interface SinkConnector<C> {
  start(config: C, ctx: SinkConnectorContext): MaybePromise<void>;
  taskConfigs(maxTasks: number): MaybePromise<TaskConfig[]>;
  stop(): MaybePromise<void>;
}

/** One source partition and its new offset (`null` = reset) for `alterOffsets`. @since 0.1.0 */
export interface SourceOffsetChange {
  readonly partition: OffsetMap;
  readonly offset: OffsetMap | null;
}

/** One topic partition and its new consumer offset (`null` = reset) for `alterOffsets`. @since 0.1.0 */
export interface SinkOffsetChange extends TopicPartition {
  readonly offset: bigint | null;
}

interface CommonConnectorInit<S extends ConfigSpec> {
  /** The connector's name in `connector.class` (aliases come from the plugin). */
  readonly name: string;
  /** Defaults to the plugin's version. */
  readonly version?: string;
  readonly doc?: string;
  readonly config: S;
  /**
   * Optional extra validation (`PUT /connector-plugins/{p}/config/validate`). It receives the
   * raw config and the spec's results, and returns them with cross-key errors added.
   */
  validate?(raw: RawConfig, results: ConfigValue[]): MaybePromise<ConfigValue[]>;
  /** Optional connectivity test: resolves when the external system is reachable, else throws (`CONNECTION`). */
  check?(config: ConfigOf<S>): MaybePromise<void>;
}

/**
 * What {@link defineSourceConnector} takes.
 *
 * @since 0.1.0
 */
export interface SourceConnectorInit<S extends ConfigSpec, TS extends ConfigSpec | undefined> extends CommonConnectorInit<S> {
  create(): SourceConnector<ConfigOf<S>>;
  readonly task: { readonly config?: TS; create(): SourceTask<TaskConfigOf<TS>> };
  /**
   * Optional (Kafka 3.6 `alterOffsets`): called with the connector stopped when a user alters or
   * resets offsets over REST. Return true if the connector handled them; throw to refuse.
   */
  alterOffsets?(config: ConfigOf<S>, offsets: readonly SourceOffsetChange[]): MaybePromise<boolean>;
  /**
   * Optional (KIP-618): whether the connector can deliver exactly once with this config;
   * `undefined` means "unknown". A connector configured with `exactly.once.support=required`
   * is refused unless this says `supported`.
   */
  exactlyOnceSupport?(config: ConfigOf<S>): MaybePromise<ExactlyOnceSupport | undefined>;
  /**
   * Optional (KIP-618): whether the tasks can define transaction boundaries through
   * `SourceTaskContext.transactionContext` with this config. Without it, `unsupported`, and a
   * connector configured with `transaction.boundary=connector` is refused.
   *
   * @since 0.1.0
   */
  canDefineTransactionBoundaries?(config: ConfigOf<S>): MaybePromise<ConnectorTransactionBoundaries>;
}

/**
 * What {@link defineSinkConnector} takes.
 *
 * @since 0.1.0
 */
export interface SinkConnectorInit<S extends ConfigSpec, TS extends ConfigSpec | undefined> extends CommonConnectorInit<S> {
  create(): SinkConnector<ConfigOf<S>>;
  readonly task: { readonly config?: TS; create(): SinkTask<TaskConfigOf<TS>> };
  alterOffsets?(config: ConfigOf<S>, offsets: readonly SinkOffsetChange[]): MaybePromise<boolean>;
}

/** A source connector definition: a frozen value. @since 0.1.0 */
export type SourceConnectorDefinition<S extends ConfigSpec = ConfigSpec, TS extends ConfigSpec | undefined = ConfigSpec | undefined> =
  SourceConnectorInit<S, TS> & { readonly kind: 'connector'; readonly type: 'source' };

/** A sink connector definition: a frozen value. @since 0.1.0 */
export type SinkConnectorDefinition<S extends ConfigSpec = ConfigSpec, TS extends ConfigSpec | undefined = ConfigSpec | undefined> =
  SinkConnectorInit<S, TS> & { readonly kind: 'connector'; readonly type: 'sink' };

/** Either kind of connector definition. @since 0.1.0 */
export type ConnectorDefinition = SourceConnectorDefinition | SinkConnectorDefinition;

function check(fn: string, init: unknown, extraOptional: readonly string[]): void {
  checkComponent(fn, init);
  const def = init as Record<string, unknown>;
  const name = def['name'] as string;
  for (const field of ['validate', 'check', ...extraOptional]) optionalFunction(fn, name, def, field);
  const task = def['task'];
  if (typeof task !== 'object' || task === null) throw definitionError(fn, name, 'task', 'is missing: give `{ create: () => task }`');
  requireFunction(fn, name, task as Record<string, unknown>, 'create', 'task.create');
  requireSpec(fn, name, task as Record<string, unknown>, 'config', true);
}

function freeze<T extends object>(value: T): T {
  return Object.freeze(value);
}

/**
 * Defines a source connector. Checks the definition (a `CONFIG` error names the missing or
 * invalid field) and returns it frozen with `kind: 'connector'` and `type: 'source'`.
 *
 * ```ts
 * const fileSource = defineSourceConnector({
 *   name: 'file-source',
 *   config: spec,
 *   create: () => ({ start(config) {…}, taskConfigs: (max) => [{…}], stop() {} }),
 *   task: { create: () => new FileSourceTask() },
 * });
 * ```
 *
 * @since 0.1.0
 */
export function defineSourceConnector<S extends ConfigSpec, TS extends ConfigSpec | undefined = undefined>(
  init: SourceConnectorInit<S, TS>,
): SourceConnectorDefinition<S, TS> {
  check('defineSourceConnector', init, ['alterOffsets', 'exactlyOnceSupport', 'canDefineTransactionBoundaries']);
  return freeze({ ...init, task: freeze({ ...init.task }), kind: 'connector', type: 'source' });
}

/**
 * Defines a sink connector; see {@link defineSourceConnector}.
 *
 * @since 0.1.0
 */
export function defineSinkConnector<S extends ConfigSpec, TS extends ConfigSpec | undefined = undefined>(
  init: SinkConnectorInit<S, TS>,
): SinkConnectorDefinition<S, TS> {
  check('defineSinkConnector', init, ['alterOffsets']);
  return freeze({ ...init, task: freeze({ ...init.task }), kind: 'connector', type: 'sink' });
}
