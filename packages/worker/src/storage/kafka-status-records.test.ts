import { describe, expect, it } from 'vitest';
import { canWriteSafely, parseStatusRecord, replacesTaskStatus, statusKeys, statusValue, topicStatusValue } from './kafka-status-records.ts';

describe('status topic records', () => {
  it('writes Kafka Connect’s keys and values, trace null when absent, DESTROYED as a tombstone', () => {
    expect(statusKeys.task('my-conn', 2)).toBe('status-task-my-conn-2');
    expect(statusKeys.topic('c', 'orders')).toBe('status-topic-orders:connector-c');
    expect(statusValue({ connector: 'c', state: 'RUNNING', trace: null, workerId: '10.0.0.1:8083', generation: 7 })).toBe(
      '{"state":"RUNNING","trace":null,"worker_id":"10.0.0.1:8083","generation":7,"version":null}',
    );
    expect(statusValue({ connector: 'c', task: 1, state: 'FAILED', trace: 'boom', workerId: 'w:1', generation: 2, version: '4.1.1' })).toBe(
      '{"state":"FAILED","trace":"boom","worker_id":"w:1","generation":2,"version":"4.1.1"}',
    );
    expect(statusValue({ connector: 'c', state: 'DESTROYED', trace: null, workerId: 'w', generation: 1 })).toBeNull();
    expect(topicStatusValue({ topic: 'orders', connector: 'c', task: 0, discoverTimestamp: 1700000000000 })).toBe(
      '{"topic":{"name":"orders","connector":"c","task":0,"discoverTimestamp":1700000000000}}',
    );
  });

  it('reads task keys whose connector names hold dashes, topic keys, tombstones and bad values', () => {
    expect(parseStatusRecord('status-task-a-b-3', { state: 'FAILED', trace: 'boom', worker_id: 'w:1', generation: 2 })).toEqual({
      type: 'task',
      connector: 'a-b',
      task: 3,
      status: { state: 'FAILED', trace: 'boom', workerId: 'w:1', generation: 2, version: null },
    });
    // A record of a worker older than Kafka 4.1 has no version.
    expect(parseStatusRecord('status-connector-c', { state: 'RUNNING', trace: null, worker_id: 'w:1', generation: 1 })).toMatchObject({
      status: { version: null },
    });
    expect(parseStatusRecord('status-connector-c', null)).toEqual({ type: 'connector', connector: 'c', status: null });
    expect(parseStatusRecord('status-topic-t.1:connector-c', { topic: { name: 't.1', connector: 'c', task: 1, discoverTimestamp: 5 } })).toMatchObject({
      type: 'topic',
      topic: 't.1',
      connector: 'c',
    });
    expect(parseStatusRecord('status-connector-c', { state: 'SLEEPING', worker_id: 'w', generation: 1 })).toMatchObject({ type: 'malformed' });
    expect(parseStatusRecord('status-task-c', null)).toMatchObject({ type: 'malformed' });
  });

  it('writes safely over nothing, over its own worker, or over an older or equal generation only', () => {
    expect(canWriteSafely(undefined, { workerId: 'a', generation: 1 })).toBe(true);
    expect(canWriteSafely({ workerId: 'a', generation: 9 }, { workerId: 'a', generation: 1 })).toBe(true);
    expect(canWriteSafely({ workerId: 'b', generation: 3 }, { workerId: 'a', generation: 3 })).toBe(true);
    expect(canWriteSafely({ workerId: 'b', generation: 4 }, { workerId: 'a', generation: 3 })).toBe(false);
  });

  it('keeps a RUNNING task over an UNASSIGNED of an older or equal generation, not of a newer one', () => {
    expect(replacesTaskStatus({ state: 'RUNNING', generation: 5 }, { state: 'UNASSIGNED', generation: 5 })).toBe(false);
    expect(replacesTaskStatus({ state: 'RUNNING', generation: 5 }, { state: 'UNASSIGNED', generation: 6 })).toBe(true);
    expect(replacesTaskStatus({ state: 'RUNNING', generation: 5 }, { state: 'FAILED', generation: 1 })).toBe(true);
  });
});
