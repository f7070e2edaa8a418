import type { SinkRecord, SourceRecord } from '@sluice/core';
import type { ConsumedRecord, ProducerRecord } from '../kafka/port.ts';
import { SKIPPED } from './error-handler.ts';
import type { ErrorHandler, Failure } from './error-handler.ts';
import { toProducerRecord, toSinkRecord } from './record-conversion.ts';
import type { RecordConverters, StageMarker } from './record-conversion.ts';
import type { TransformChain } from './transform-chain.ts';

/**
 * What happens to each record between Kafka and a task: conversion and the transform chain,
 * with failures handed to the task's {@link ErrorHandler}. Records that convert cleanly never
 * leave the synchronous path.
 */
export class RecordPipeline {
  readonly #converters: RecordConverters;
  readonly #chain: TransformChain;
  readonly #errors: ErrorHandler;
  readonly #at: StageMarker = { stage: 'TRANSFORMATION', component: '' };

  constructor(converters: RecordConverters, chain: TransformChain, errors: ErrorHandler) {
    this.#converters = converters;
    this.#chain = chain;
    this.#errors = errors;
  }

  get errors(): ErrorHandler {
    return this.#errors;
  }

  /** The records to `put`: converted and transformed; those a transform dropped or whose failure was tolerated are left out. */
  async toSink(batch: readonly ConsumedRecord[]): Promise<SinkRecord[]> {
    const records: SinkRecord[] = [];
    for (const consumed of batch) {
      let record: SinkRecord | null | typeof SKIPPED;
      try {
        record = this.#sinkOne(consumed);
      } catch (error) {
        record = await this.#errors.failed(error, (e) => this.#failure(e, { consumed }), () => this.#sinkOne(consumed));
      }
      if (record !== null && record !== SKIPPED) records.push(record);
    }
    return records;
  }

  /** Per polled record, in order: what to produce, or `null` when a transform dropped it or its failure was tolerated. */
  async toProduce(batch: readonly SourceRecord[]): Promise<(ProducerRecord | null)[]> {
    const out: (ProducerRecord | null)[] = [];
    for (const source of batch) {
      let record: ProducerRecord | null | typeof SKIPPED;
      try {
        record = this.#sourceOne(source);
      } catch (error) {
        record = await this.#errors.failed(error, (e) => this.#failure(e, { source }), () => this.#sourceOne(source));
      }
      out.push(record === SKIPPED ? null : record);
    }
    return out;
  }

  #sinkOne(consumed: ConsumedRecord): SinkRecord | null {
    const record = toSinkRecord(consumed, this.#converters, this.#at);
    if (this.#chain.empty) return record;
    this.#at.stage = 'TRANSFORMATION';
    return this.#chain.apply(record);
  }

  #sourceOne(source: SourceRecord): ProducerRecord | null {
    let record: SourceRecord | null = source;
    if (!this.#chain.empty) {
      this.#at.stage = 'TRANSFORMATION';
      record = this.#chain.apply(source);
      if (record === null) return null;
    }
    return toProducerRecord(record, this.#converters, this.#at);
  }

  #failure(error: unknown, record: Pick<Failure, 'consumed' | 'source'>): Failure {
    const { stage, component } = this.#at;
    return { stage, component: stage === 'TRANSFORMATION' ? this.#chain.currentType : component, error, ...record };
  }

  /**
   * A sink record as Kafka bytes again, for a record the task reports that is no longer in the
   * consumed batch: written through the connector's converters, at its original position.
   */
  asConsumed(record: SinkRecord): ConsumedRecord {
    const { key, value, headers } = toProducerRecord(record, this.#converters);
    return {
      topic: record.originalTopic,
      partition: record.originalKafkaPartition,
      offset: record.originalKafkaOffset,
      key,
      value,
      headers: headers ?? [],
      timestamp: BigInt(record.timestamp ?? -1),
    };
  }

  close(): void {
    this.#chain.close();
  }
}
