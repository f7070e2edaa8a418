import { noopLogger, sourceRecord } from '@sluice/core';
import type { RecordMetadata as TaskRecordMetadata, SourceRecord, SourceTask } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import type { KafkaProducer, ProducerRecord, RecordMetadata } from '../kafka/port.ts';
import type { SourceOffset, TransactionalOffsets } from '../storage/offset-store.ts';
import type { TransactionBoundary } from './exactly-once-config.ts';
import type { RecordPipeline } from './record-pipeline.ts';
import { TaskTransactionContext } from './transaction-context.ts';
import { TransactionalCommitter } from './transactional-commit.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array | null) => (b === null ? 'null' : new TextDecoder().decode(b));

/** A source record of partition `p` at position `n`, whose value is its name. */
const rec = (name: string, n: number, p = 'a'): SourceRecord => sourceRecord({ sourcePartition: { p }, sourceOffset: { n }, topic: 'out', value: name });

/** Everything the committer does to Kafka, the store and the task, in order. */
function harness(boundary: TransactionBoundary, options: { failCommit?: boolean; dropped?: string } = {}) {
  const log: string[] = [];
  let offset = 0n;
  const producer: KafkaProducer = {
    send: () => Promise.reject(new Error('only transactional sends')),
    beginTransaction: () => {
      log.push('begin');
      return Promise.resolve({
        send: (records: readonly ProducerRecord[]): Promise<RecordMetadata[]> => {
          log.push(`send ${records.map((r) => `${r.topic}:${text(r.value)}`).join(' ')}`);
          return Promise.resolve(records.map((r) => ({ topic: r.topic, partition: 0, offset: offset++ })));
        },
        commit: () => {
          log.push('commit');
          return options.failCommit ? Promise.reject(new Error('fenced')) : Promise.resolve();
        },
        abort: () => {
          log.push('abort');
          return Promise.resolve();
        },
      });
    },
    close: () => Promise.resolve(),
  };
  const offsets: TransactionalOffsets = {
    topic: 'offsets',
    records: (connector, entries) => entries.map((e) => ({ topic: 'offsets', key: bytes(connector), value: bytes(JSON.stringify(e.offset)) })),
    applied: (_connector: string, entries: readonly SourceOffset[]) => void log.push(`applied ${entries.map((e) => JSON.stringify(e.offset)).join(' ')}`),
  };
  const pipeline = {
    toProduce: (records: readonly SourceRecord[]) =>
      Promise.resolve(records.map((r) => (r.value === options.dropped ? null : { topic: r.topic, key: null, value: bytes(String(r.value)) }))),
    errors: { settle: () => Promise.resolve() },
  } as unknown as RecordPipeline;
  const task: SourceTask = {
    start: () => undefined,
    poll: () => Promise.resolve(null),
    stop: () => undefined,
    commitRecord: (record: SourceRecord, metadata: TaskRecordMetadata | null) => void log.push(`commitRecord ${String(record.value)}@${metadata ? String(metadata.offset) : 'null'}`),
    commit: () => void log.push('task.commit'),
  };
  const clock = { now: 0 };
  const context = boundary === 'connector' ? new TaskTransactionContext() : undefined;
  const committer = new TransactionalCommitter({ connector: 'c', taskId: 0, task, pipeline, logger: noopLogger, producer, offsets, boundary, intervalMs: 100, context, now: () => clock.now });
  /** One turn of the poll loop. */
  const turn = async (records: SourceRecord[]) => {
    if (records.length > 0) await committer.deliver(records);
    await committer.polled();
  };
  return { log, committer, context: context!, clock, turn };
}

describe('TransactionalCommitter', () => {
  it('poll: one transaction per non-empty batch, holding its records and offsets; the store and the task hear of it after the commit', async () => {
    const { log, turn } = harness('poll');
    await turn([rec('x', 1), rec('y', 2), rec('z', 7, 'b')]);
    expect(log).toEqual([
      'begin',
      'send out:x out:y out:z',
      'send offsets:{"n":7} offsets:{"n":2}',
      'commit',
      'applied {"n":7} {"n":2}',
      'commitRecord x@0',
      'commitRecord y@1',
      'commitRecord z@2',
      'task.commit',
    ]);
    log.length = 0;
    await turn([]);
    expect(log).toEqual([]);
  });

  it('poll: a batch whose records were all dropped commits its offsets alone', async () => {
    const { log, turn } = harness('poll', { dropped: 'x' });
    await turn([rec('x', 1)]);
    expect(log).toEqual(['begin', 'send offsets:{"n":1}', 'commit', 'applied {"n":1}', 'commitRecord x@null', 'task.commit']);
  });

  it('interval: batches share a transaction until the interval passed, also when the last poll was empty', async () => {
    const { log, clock, turn } = harness('interval');
    await turn([rec('x', 1)]);
    clock.now = 60;
    await turn([rec('y', 2)]);
    expect(log).toEqual(['begin', 'send out:x', 'send out:y']);
    clock.now = 100;
    await turn([]);
    expect(log.slice(3)).toEqual(['send offsets:{"n":2}', 'commit', 'applied {"n":2}', 'commitRecord x@0', 'commitRecord y@1', 'task.commit']);
    log.length = 0;
    clock.now = 150;
    await turn([rec('z', 3)]);
    expect(log).toEqual(['begin', 'send out:z']);
  });

  it('connector: commits right after the record the task named, and after a batch when asked', async () => {
    const { log, context, turn } = harness('connector');
    const batch = [rec('x', 1), rec('y', 2), rec('z', 3)];
    context.commitTransaction(batch[1]);
    await turn(batch);
    expect(log).toEqual(['begin', 'send out:x out:y', 'send offsets:{"n":2}', 'commit', 'applied {"n":2}', 'commitRecord x@0', 'commitRecord y@1', 'task.commit', 'begin', 'send out:z']);
    log.length = 0;
    await turn([]);
    expect(log).toEqual([]);
    context.commitTransaction();
    await turn([rec('w', 4)]);
    expect(log).toEqual(['send out:w', 'send offsets:{"n":4}', 'commit', 'applied {"n":4}', 'commitRecord z@3', 'commitRecord w@4', 'task.commit']);
  });

  it('connector: an abort discards the records but still commits their offsets, so they are not polled again', async () => {
    const { log, context, turn } = harness('connector');
    context.abortTransaction();
    await turn([rec('x', 1), rec('y', 2)]);
    expect(log).toEqual(['begin', 'send out:x out:y', 'abort', 'begin', 'send offsets:{"n":2}', 'commit', 'applied {"n":2}', 'commitRecord x@null', 'commitRecord y@null', 'task.commit']);
  });

  it('connector: a record-level request on the last record wins over a batch-level one; both on one record fail the task', async () => {
    const { log, context, turn } = harness('connector');
    const batch = [rec('x', 1)];
    context.commitTransaction(batch[0]);
    context.abortTransaction();
    await turn(batch);
    expect(log).not.toContain('abort');
    expect(log.filter((l) => l === 'commit')).toHaveLength(1);
    const both = rec('y', 2);
    context.commitTransaction(both);
    context.abortTransaction(both);
    await expect(turn([both])).rejects.toThrow(/both to commit and to abort/);
  });

  it('fails when the commit fails: the transaction is aborted, and neither the store nor the task hears of it', async () => {
    const { log, turn } = harness('poll', { failCommit: true });
    await expect(turn([rec('x', 1)])).rejects.toThrow('fenced');
    expect(log).toEqual(['begin', 'send out:x', 'send offsets:{"n":1}', 'commit', 'abort']);
  });

  it('refuses records for its own offsets topic', async () => {
    const { committer } = harness('poll');
    await expect(committer.deliver([sourceRecord({ sourcePartition: { p: 'a' }, sourceOffset: { n: 1 }, topic: 'offsets', value: 'x' })])).rejects.toThrow(/own offsets topic offsets/);
  });

  it('at stop commits the open transaction, unless the task failed (aborted) or a send is still under way (left to the broker)', async () => {
    const stopped = harness('interval');
    await stopped.turn([rec('x', 1)]);
    await stopped.committer.close(false, true);
    expect(stopped.log.slice(2)).toEqual(['send offsets:{"n":1}', 'commit', 'applied {"n":1}', 'commitRecord x@0', 'task.commit']);

    const failed = harness('interval');
    await failed.turn([rec('x', 1)]);
    await failed.committer.close(true, true);
    expect(failed.log).toEqual(['begin', 'send out:x', 'abort']);

    const connector = harness('connector');
    await connector.turn([rec('x', 1)]);
    await connector.committer.close(false, true);
    expect(connector.log).toEqual(['begin', 'send out:x', 'abort']);
  });
});
