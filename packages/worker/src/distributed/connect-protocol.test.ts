// Kafka Connect's group protocol against Apache Kafka Connect's own bytes.
//
// connect-protocol-vectors.json is printed by stack/connect/ProtocolVectors.java with Kafka
// Connect 4.1.1's ConnectProtocol and IncrementalCooperativeConnectProtocol; each entry holds the
// bytes Kafka wrote and those bytes read back by Kafka's deserializer. To regenerate it (Java 17
// and Maven; from the repository root):
//   stack/stack jars connect
//   java -cp '.stack/connect/lib/*' stack/connect/ProtocolVectors.java \
//     > packages/worker/src/distributed/connect-protocol-vectors.json
import { readFileSync } from 'node:fs';
import { hasErrorCode } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { decodeAssignment, decodeWorkerMetadata, encodeAssignment, encodeWorkerMetadata, joinProtocols } from './connect-protocol.ts';
import type { ConnectAssignment, WorkerMetadata } from './connect-protocol.ts';

interface JsonAssignment extends Omit<ConnectAssignment, 'configOffset'> {
  readonly configOffset: string;
}
interface JsonMetadata {
  readonly version: number;
  readonly url: string;
  readonly configOffset: string;
  readonly allocation: JsonAssignment | null;
}
type Vector =
  | { kind: 'metadata'; name: string; hex: string; value: JsonMetadata; decodeOnly?: true }
  | { kind: 'assignment'; name: string; hex: string; value: JsonAssignment; decodeOnly?: true }
  | { kind: 'protocols'; name: string; protocols: { name: string; hex: string }[] };

const vectors = JSON.parse(readFileSync(new URL('./connect-protocol-vectors.json', import.meta.url), 'utf8')) as Vector[];
const metadataVectors = vectors.filter((v) => v.kind === 'metadata');
const assignmentVectors = vectors.filter((v) => v.kind === 'assignment');
const protocolVectors = vectors.filter((v) => v.kind === 'protocols');

const assignmentOf = (json: JsonAssignment): ConnectAssignment => ({ ...json, configOffset: BigInt(json.configOffset) });
const metadataOf = (json: JsonMetadata): WorkerMetadata => ({
  ...json,
  configOffset: BigInt(json.configOffset),
  allocation: json.allocation && assignmentOf(json.allocation),
});
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const unhex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

describe('connect protocol: bytes of Apache Kafka Connect 4.1.1', () => {
  it('has vectors of every version of both messages', () => {
    expect(new Set(metadataVectors.map((v) => v.value.version))).toEqual(new Set([0, 1, 2]));
    expect(new Set(assignmentVectors.map((v) => v.value.version))).toEqual(new Set([0, 1, 2]));
    expect(protocolVectors).toHaveLength(2);
  });

  describe('worker metadata', () => {
    it.each(metadataVectors.map((v) => [v.name, v] as const))('reads %s', (_name, v) => {
      expect(decodeWorkerMetadata(unhex(v.hex))).toEqual(metadataOf(v.value));
    });

    it.each(metadataVectors.filter((v) => !v.decodeOnly).map((v) => [v.name, v] as const))('writes %s', (_name, v) => {
      expect(hex(encodeWorkerMetadata(metadataOf(v.value)))).toBe(v.hex);
    });
  });

  describe('assignment', () => {
    it.each(assignmentVectors.map((v) => [v.name, v] as const))('reads %s', (_name, v) => {
      expect(decodeAssignment(unhex(v.hex))).toEqual(assignmentOf(v.value));
    });

    it.each(assignmentVectors.filter((v) => !v.decodeOnly).map((v) => [v.name, v] as const))('writes %s', (_name, v) => {
      expect(hex(encodeAssignment(assignmentOf(v.value)))).toBe(v.hex);
    });
  });

  it.each(protocolVectors.map((v) => [v.name, v] as const))('offers the protocols a Kafka worker offers with %s, without eager `default`', (_name, v) => {
    const [first] = v.protocols;
    const state = decodeWorkerMetadata(unhex(first!.hex));
    const ours = joinProtocols(v.name.endsWith('=sessioned') ? 'sessioned' : 'compatible', state);
    const kafkas = v.protocols.filter((p) => p.name !== 'default');
    expect(ours.map((p) => ({ name: p.name, hex: hex(p.metadata) }))).toEqual(kafkas);
    expect(v.protocols.at(-1)!.name).toBe('default');
  });
});

describe('connect protocol: edge cases', () => {
  const assignment: ConnectAssignment = {
    version: 1,
    error: 0,
    leader: 'leader-1',
    leaderUrl: 'http://a:8083/',
    configOffset: 3n,
    connectors: ['c'],
    tasks: [{ connector: 'c', task: 0 }],
    revokedConnectors: [],
    revokedTasks: [],
    delayMs: 0,
  };

  it('refuses revocations or a delay in an eager (version 0) assignment', () => {
    const error = (() => {
      try {
        encodeAssignment({ ...assignment, version: 0, revokedTasks: [{ connector: 'c', task: 1 }] });
      } catch (e) {
        return e;
      }
    })();
    expect(hasErrorCode(error, 'DATA')).toBe(true);
  });

  it('ignores fields appended by a newer version', () => {
    const bytes = encodeAssignment({ ...assignment, version: 7, delayMs: 12 });
    const extended = new Uint8Array([...bytes, 0, 0, 0, 42]);
    expect(decodeAssignment(extended)).toEqual({ ...assignment, version: 7, delayMs: 12 });
  });

  it('fails naming the field when the bytes end early', () => {
    const bytes = encodeWorkerMetadata({ version: 1, url: 'http://a:8083/', configOffset: 1n, allocation: assignment });
    expect(() => decodeWorkerMetadata(bytes.subarray(0, bytes.length - 5))).toThrow(/allocation needs \d+ bytes/);
    expect(() => decodeAssignment(new Uint8Array([0, 1, 0]))).toThrow(/connect group assignment: error needs 2 bytes/);
  });

  it('refuses a negative version', () => {
    expect(() => decodeAssignment(new Uint8Array([0xff, 0xff]))).toThrow(/unsupported version -1/);
  });
});
