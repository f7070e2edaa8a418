import type { ConnectorDefinition, Logger, OffsetReader } from '@sluice/core';
import type { KafkaProducer, ProducerRecord } from '../kafka/port.ts';
import type { TransactionalOffsets } from '../storage/offset-store.ts';
import { parseSinkConnectorConfig, sourceConnectorConfig } from './connector-config.ts';
import type { CommonConnectorConfig } from './connector-config.ts';
import { sinkGroupId } from './connector-offsets.ts';
import type { WorkerServices } from './connector-runtime.ts';
import { DeadLetterQueue, sourceEncoder } from './dead-letter-queue.ts';
import { ErrorHandler } from './error-handler.ts';
import type { RecordConverters } from './record-conversion.ts';
import { RecordPipeline } from './record-pipeline.ts';
import { SinkTaskRunner } from './sink-runner.ts';
import { exactlyOnceSettings, taskTransactionalId } from './exactly-once-config.ts';
import { AtLeastOnceCommitter } from './source-commit.ts';
import type { SourceCommitter } from './source-commit.ts';
import { SourceTaskRunner } from './source-runner.ts';
import { TaskTransactionContext } from './transaction-context.ts';
import { TransactionalCommitter } from './transactional-commit.ts';
import type { Status } from './status.ts';
import { TransformChain } from './transform-chain.ts';

/** A started task, as its connector drives it. */
export interface TaskRunner {
  /** Stops processing, keeping the task's resources (target state PAUSED). */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/** What one task of a connector is started with. */
export interface TaskStart {
  readonly connector: string;
  readonly definition: ConnectorDefinition;
  /** The connector's config, with the common keys parsed. */
  readonly config: Readonly<Record<string, string>>;
  readonly settings: CommonConnectorConfig;
  readonly services: WorkerServices;
  readonly logger: Logger;
  readonly offsetReader: OffsetReader;
  readonly id: number;
  readonly taskConfig: Readonly<Record<string, string>>;
  /** Start it paused: a source task does not poll, a sink task's partitions are paused. */
  readonly paused: boolean;
  readonly onStatus: (status: Status) => void;
  readonly onTopics: (topics: ReadonlySet<string>) => void;
  /**
   * Given for a source task on a distributed worker with `exactly.once.source.support=enabled`:
   * the task then writes its records and offsets in transactions.
   */
  readonly exactlyOnce?: ExactlyOnceTask | undefined;
}

/** What an exactly-once source task needs beyond a task's start. */
export interface ExactlyOnceTask {
  /** The worker's `group.id`: the task's producer gets the transactional id `<group.id>-<connector>-<task>`. */
  readonly groupId: string;
  /**
   * Where the task's offsets go, in its transactions: the worker's offsets store, or the
   * connector's own when it sets `offsets.storage.topic`.
   */
  readonly offsets: TransactionalOffsets;
}

/**
 * Starts one task with its pipeline (transforms, converters, error handler, dead letter queue)
 * and its Kafka client; whatever was opened is closed again when the start fails half-way.
 */
export async function startTaskRunner(start: TaskStart): Promise<TaskRunner> {
  const { services, definition, logger, id, taskConfig } = start;
  const abort = new AbortController();
  const opened: (() => unknown)[] = [];
  try {
    const converters = services.converters(start.config);
    const parsedTaskConfig = definition.task.config ? definition.task.config.parse(taskConfig) : taskConfig;
    // An exactly-once task's dead letters go in its transactions; the committer exists only later.
    let transactional: TransactionalCommitter | null = null;
    const sendDeadLetters = start.exactlyOnce && ((records: readonly ProducerRecord[]) => transactional!.sendInTransaction(records));
    const { pipeline, deadLetterQueue } = await taskPipeline(start, converters, abort.signal, sendDeadLetters || undefined);
    opened.push(() => pipeline.close(), () => deadLetterQueue?.close());
    const closePipeline = async (stop: () => Promise<void>) => {
      abort.abort();
      try {
        await stop();
      } finally {
        await deadLetterQueue?.close();
      }
    };
    if (definition.type === 'source') {
      const task = definition.task.create();
      const common = { connector: start.connector, taskId: id, task, pipeline, logger, onTopics: start.onTopics };
      let committer: SourceCommitter;
      let context: TaskTransactionContext | undefined;
      let producer: KafkaProducer;
      if (start.exactlyOnce) {
        const settings = exactlyOnceSettings(sourceConnectorConfig.parse(start.config), services.offsetFlushIntervalMs);
        const transactionalId = taskTransactionalId(start.exactlyOnce.groupId, start.connector, id);
        producer = await services.kafka.producer({ transactionalId });
        opened.push(() => producer.close());
        context = settings.boundary === 'connector' ? new TaskTransactionContext() : undefined;
        const { boundary, intervalMs } = settings;
        transactional = new TransactionalCommitter({ ...common, producer, transactionalId, offsets: start.exactlyOnce.offsets, boundary, intervalMs, context });
        committer = transactional;
      } else {
        producer = await services.kafka.producer();
        opened.push(() => producer.close());
        committer = new AtLeastOnceCommitter({ ...common, producer, offsets: services.offsets, offsetFlushIntervalMs: services.offsetFlushIntervalMs });
      }
      const runner = new SourceTaskRunner({ connector: start.connector, taskId: id, task, pipeline, committer, shutdownTimeoutMs: services.shutdownTimeoutMs, logger, onStatus: start.onStatus });
      if (start.paused) runner.pause();
      await runner.start(parsedTaskConfig, { logger, configs: () => taskConfig, offsetReader: start.offsetReader, ...(context ? { transactionContext: context } : {}) });
      return {
        pause: () => runner.pause(),
        resume: () => runner.resume(),
        stop: () =>
          closePipeline(async () => {
            try {
              await runner.stop();
            } finally {
              await producer.close();
            }
          }),
      };
    }
    const sink = parseSinkConnectorConfig(start.config);
    const consumer = await services.kafka.consumer({ groupId: sinkGroupId(start.connector) });
    opened.push(() => consumer.close());
    const runner = new SinkTaskRunner({
      connector: start.connector,
      taskId: id,
      task: definition.task.create(),
      pipeline,
      errantRecords: pipeline.errors.toleratesAll || deadLetterQueue !== null || start.settings['errors.log.enable'],
      component: start.config['connector.class'] ?? definition.name,
      consumer,
      topics: sink.topics,
      offsetFlushIntervalMs: services.offsetFlushIntervalMs,
      maxPollRecords: services.maxPollRecords,
      configs: taskConfig,
      logger,
      onStatus: start.onStatus,
      onTopics: start.onTopics,
    });
    if (start.paused) runner.pause();
    await runner.start(parsedTaskConfig);
    return { pause: () => runner.pause(), resume: () => runner.resume(), stop: () => closePipeline(() => runner.stop()) };
  } catch (error) {
    abort.abort();
    await Promise.allSettled(opened.map((close) => Promise.resolve().then(close)));
    throw error;
  }
}

/** A task's transforms, error handler and dead letter queue, from the connector's keys. */
async function taskPipeline(
  start: TaskStart,
  converters: RecordConverters,
  signal: AbortSignal,
  sendDeadLetters?: (records: readonly ProducerRecord[]) => Promise<unknown>,
): Promise<{ pipeline: RecordPipeline; deadLetterQueue: DeadLetterQueue | null }> {
  const { settings, services } = start;
  const chain = TransformChain.build(services.registry, start.config, settings.transforms, settings.predicates);
  const topic = settings['errors.deadletterqueue.topic.name'];
  let deadLetterQueue: DeadLetterQueue | null = null;
  try {
    if (topic !== '') {
      deadLetterQueue = await DeadLetterQueue.open(services.kafka, {
        topic,
        replicationFactor: settings['errors.deadletterqueue.topic.replication.factor'],
        contextHeaders: settings['errors.deadletterqueue.context.headers.enable'],
        connector: start.connector,
        taskId: start.id,
        encodeSource: sourceEncoder(converters),
        scrub: services.scrub,
        send: sendDeadLetters,
      });
    }
  } catch (error) {
    chain.close();
    throw error;
  }
  const errors = new ErrorHandler({ settings, task: `${start.connector}-${start.id}`, logger: start.logger, sink: deadLetterQueue, signal });
  return { pipeline: new RecordPipeline(converters, chain, errors), deadLetterQueue };
}
