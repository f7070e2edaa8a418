import { describe, expect, it } from 'vitest';
import { configKeys, configValues, parseConfigRecord, parseTaskKey } from './kafka-config-records.ts';
import type { ConfigProperties } from './kafka-config-records.ts';
import { ConfigState, snapshotTaskConfig, snapshotTasks } from './kafka-config-state.ts';

/** Feeds records as they would be read from the topic: key text and JSON value text (null = tombstone). */
function feed(state: ConfigState, records: readonly (readonly [string, string | null])[]) {
  const changes = [];
  let offset = state.offset < 0n ? 0n : state.offset;
  for (const [key, value] of records) {
    changes.push(...state.apply(parseConfigRecord(key, value === null ? null : JSON.parse(value)), offset));
    offset += 1n;
  }
  return changes;
}

const props = (n: number): ConfigProperties => ({ 'task.n': String(n) });

describe('config topic records', () => {
  it('writes Kafka Connect’s keys and JSON values, fields in schema order', () => {
    expect(configKeys.task({ connector: 'my-conn', task: 3 })).toBe('task-my-conn-3');
    expect(configValues.properties({ 'connector.class': 'FileStreamSource', 'tasks.max': '1', optional: null })).toBe(
      '{"properties":{"connector.class":"FileStreamSource","tasks.max":"1","optional":null}}',
    );
    expect(configValues.commit(2)).toBe('{"tasks":2}');
    expect(configValues.targetState('STOPPED')).toBe('{"state":"PAUSED","state.v2":"STOPPED"}');
    expect(configValues.targetState('STARTED')).toBe('{"state":"STARTED","state.v2":"STARTED"}');
    expect(configValues.restart({ connector: 'c', onlyFailed: true, includeTasks: false })).toBe('{"include-tasks":false,"only-failed":true}');
    expect(configValues.taskCount(4)).toBe('{"task-count":4}');
    expect(configValues.sessionKey({ key: new Uint8Array([1, 2, 3, 250]), algorithm: 'HmacSHA256', creationTimestamp: 1700000000000 })).toBe(
      '{"key":"AQID+g==","algorithm":"HmacSHA256","creation-timestamp":1700000000000}',
    );
  });

  it('reads task keys whose connector names hold dashes, and refuses others', () => {
    expect(parseTaskKey('task-a-b-c-12')).toEqual({ connector: 'a-b-c', task: 12 });
    expect(parseTaskKey('task-x')).toBeNull();
    expect(parseTaskKey('task-x-y')).toBeNull();
  });

  it('reads an older worker’s target state from `state`, and refuses a value of the wrong shape', () => {
    expect(parseConfigRecord('target-state-c', { state: 'PAUSED' })).toEqual({ type: 'target-state', connector: 'c', state: 'PAUSED' });
    expect(parseConfigRecord('target-state-c', { state: 'PAUSED', 'state.v2': 'STOPPED' })).toMatchObject({ state: 'STOPPED' });
    expect(parseConfigRecord('connector-c', { properties: { a: 1 } })).toMatchObject({ type: 'malformed', reason: "property 'a' is number, not a string" });
    expect(parseConfigRecord('other', {})).toMatchObject({ type: 'malformed' });
    expect(parseConfigRecord('restart-connector-c', {})).toEqual({ type: 'restart', request: { connector: 'c', onlyFailed: false, includeTasks: false } });
  });
});

describe('config state', () => {
  it('applies task configs only at their commit record, and tells listeners what changed', () => {
    const state = new ConfigState();
    const changes = feed(state, [
      [configKeys.connector('c'), configValues.properties({ 'tasks.max': '2' })],
      [configKeys.task({ connector: 'c', task: 0 }), configValues.properties(props(0))],
      [configKeys.task({ connector: 'c', task: 1 }), configValues.properties(props(1))],
    ]);
    expect(changes).toEqual([{ type: 'connector-updated', connector: 'c' }]);
    expect(snapshotTasks(state.snapshot(), 'c')).toEqual([]);

    expect(feed(state, [[configKeys.commit('c'), configValues.commit(2)]])).toEqual([
      { type: 'tasks-updated', tasks: [{ connector: 'c', task: 0 }, { connector: 'c', task: 1 }] },
    ]);
    const snapshot = state.snapshot();
    expect(snapshot.offset).toBe(4n);
    expect(snapshot.targetStates.get('c')).toBe('STARTED');
    expect(snapshotTasks(snapshot, 'c')).toHaveLength(2);
    expect(snapshotTaskConfig(snapshot, { connector: 'c', task: 1 })).toEqual(props(1));
    expect(snapshot.pendingFencing.has('c')).toBe(true);
    expect(snapshot.taskConfigGenerations.get('c')).toBe(0);
  });

  it('marks a connector inconsistent when a commit finds task configs missing, until a complete set arrives', () => {
    const state = new ConfigState();
    feed(state, [
      [configKeys.connector('c'), configValues.properties({})],
      // Task 0's record was compacted away.
      [configKeys.task({ connector: 'c', task: 1 }), configValues.properties(props(1))],
      [configKeys.commit('c'), configValues.commit(2)],
    ]);
    expect(state.snapshot().inconsistent.has('c')).toBe(true);
    expect(snapshotTasks(state.snapshot(), 'c')).toEqual([]);
    feed(state, [
      [configKeys.task({ connector: 'c', task: 0 }), configValues.properties(props(0))],
      [configKeys.commit('c'), configValues.commit(1)],
    ]);
    expect(state.snapshot().inconsistent.has('c')).toBe(false);
    expect(snapshotTasks(state.snapshot(), 'c')).toEqual([{ connector: 'c', task: 0 }]);
  });

  it('tells of target state changes only for known connectors and only when the state changes', () => {
    const state = new ConfigState();
    expect(feed(state, [[configKeys.targetState('c'), configValues.targetState('PAUSED')]])).toEqual([]);
    feed(state, [[configKeys.connector('c'), configValues.properties({})]]);
    expect(state.snapshot().targetStates.get('c')).toBe('PAUSED');
    expect(feed(state, [[configKeys.targetState('c'), configValues.targetState('PAUSED')]])).toEqual([]);
    expect(feed(state, [[configKeys.targetState('c'), configValues.targetState('STOPPED')]])).toEqual([{ type: 'target-state-changed', connector: 'c' }]);
  });

  it('removes a connector and its tasks on tombstones, and ignores commits of a connector compacted away', () => {
    const state = new ConfigState();
    const changes = feed(state, [
      [configKeys.connector('c'), configValues.properties({})],
      [configKeys.task({ connector: 'c', task: 0 }), configValues.properties(props(0))],
      [configKeys.commit('c'), configValues.commit(1)],
      [configKeys.connector('c'), null],
      [configKeys.targetState('c'), null],
      [configKeys.task({ connector: 'gone', task: 0 }), configValues.properties(props(0))],
      [configKeys.commit('gone'), configValues.commit(1)],
    ]);
    expect(changes.at(-1)).toEqual({ type: 'connector-removed', connector: 'c' });
    const snapshot = state.snapshot();
    expect([...snapshot.connectorConfigs.keys()]).toEqual([]);
    expect(snapshot.targetStates.size).toBe(0);
    expect(snapshot.taskConfigs.size).toBe(0);
    expect(snapshot.taskCounts.has('gone')).toBe(false);
  });

  it('keeps the session key and fencing records, and passes restart requests on', () => {
    const state = new ConfigState();
    const key = { key: new Uint8Array([9, 9]), algorithm: 'HmacSHA256', creationTimestamp: 5 };
    const changes = feed(state, [
      [configKeys.sessionKey, configValues.sessionKey(key)],
      [configKeys.restart('c'), configValues.restart({ connector: 'c', onlyFailed: true, includeTasks: true })],
      [configKeys.connector('c'), configValues.properties({})],
      [configKeys.commit('c'), configValues.commit(0)],
      [configKeys.taskCount('c'), configValues.taskCount(0)],
    ]);
    expect(changes.slice(0, 2)).toEqual([
      { type: 'session-key-updated', key },
      { type: 'restart-requested', request: { connector: 'c', onlyFailed: true, includeTasks: true } },
    ]);
    expect(state.snapshot().sessionKey).toEqual(key);
    expect(state.snapshot().taskCountRecords.get('c')).toBe(0);
    expect(state.snapshot().pendingFencing.has('c')).toBe(false);
  });
});
