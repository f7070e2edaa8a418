import { Schemas, hasErrorCode, noopLogger } from '@sluice/core';
import type { SourceConnectorContext } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { checkSourceConfig, sourceConfig } from './config.ts';
import plugin, { mqttSource } from './index.ts';
import { toRecord } from './mapping.ts';

const pkg = (await import('../package.json', { with: { type: 'json' } })) as { default: { version: string } };
const base = { 'mqtt.server.uri': 'tcp://127.0.0.1:1883', 'mqtt.topics': 'sensors/+/temp', 'kafka.topic': 'readings' };

function configError(parse: () => unknown): { code: boolean; message: string; key: unknown } {
  try {
    parse();
  } catch (error) {
    return { code: hasErrorCode(error, 'CONFIG'), message: (error as Error).message, key: (error as { context?: { key?: unknown } }).context?.key };
  }
  throw new Error('expected a CONFIG error');
}

function connectorContext(raw: Record<string, string>): SourceConnectorContext {
  return {
    logger: noopLogger,
    configs: () => raw,
    requestTaskReconfiguration: () => undefined,
    raiseError: () => undefined,
    offsetReader: { offset: () => Promise.resolve(null), offsets: () => Promise.resolve([]) },
  };
}

describe('the plugin', () => {
  it('is named after the package, with its version and the source, under Confluent’s class names too', () => {
    expect(plugin).toMatchObject({ kind: 'plugin', name: '@sluice/connector-mqtt', version: pkg.default.version });
    expect(plugin.connectors).toEqual([mqttSource]);
    expect(mqttSource.type).toBe('source');
    expect(plugin.aliases).toEqual({ MqttSourceConnector: 'mqtt-source', 'io.confluent.connect.mqtt.MqttSourceConnector': 'mqtt-source' });
  });
});

describe('the MQTT source config', () => {
  it('has Confluent’s defaults', () => {
    const config = sourceConfig.parse(base);
    expect(config).toMatchObject({
      'mqtt.server.uri': ['tcp://127.0.0.1:1883'],
      'mqtt.topics': ['sensors/+/temp'],
      'kafka.topic': 'readings',
      'mqtt.qos': 0,
      'mqtt.clean.session.enabled': true,
      'mqtt.client.id': null,
      'mqtt.protocol.version': 4,
      'mqtt.username': null,
      'mqtt.password': null,
      'mqtt.connect.timeout.seconds': 30,
      'mqtt.keepalive.interval.seconds': 60,
    });
  });

  it('requires the server URIs, the topics and the Kafka topic', () => {
    expect(configError(() => sourceConfig.parse({})).message).toContain('config key `mqtt.server.uri`: is required');
    expect(configError(() => sourceConfig.parse({ ...base, 'kafka.topic': undefined })).key).toBe('kafka.topic');
  });

  it.each([
    ['http://broker:1883', 'has the scheme `http`; only tcp:// and mqtt:// are supported'],
    ['broker:1883', 'has the scheme `broker`'],
    ['not a uri', 'is not a URI'],
  ])('rejects the URI %s naming mqtt.server.uri', (uri, reason) => {
    const error = configError(() => sourceConfig.parse({ ...base, 'mqtt.server.uri': `tcp://ok:1883,${uri}` }));
    expect(error.code).toBe(true);
    expect(error.key).toBe('mqtt.server.uri');
    expect(error.message).toContain(reason);
  });

  it('accepts mqtt:// and wildcard filters, and rejects wildcards that do not fill a level', () => {
    expect(sourceConfig.parse({ ...base, 'mqtt.server.uri': 'mqtt://a, tcp://b:1884', 'mqtt.topics': '#, a/+/b/#, +' })['mqtt.topics']).toEqual(['#', 'a/+/b/#', '+']);
    expect(configError(() => sourceConfig.parse({ ...base, 'mqtt.topics': 'a/#/b' })).message).toContain('`#` must be the last level');
    expect(configError(() => sourceConfig.parse({ ...base, 'mqtt.topics': 'a/b+' })).message).toContain('must fill a whole level');
  });

  it('takes QoS 0 to 2 and protocol versions 4 and 5 only, QoS 2 only with MQTT 5', () => {
    expect(configError(() => sourceConfig.parse({ ...base, 'mqtt.qos': '3' })).message).toBe('config key `mqtt.qos`: must be between 0 and 2, got `3`');
    expect(configError(() => sourceConfig.parse({ ...base, 'mqtt.protocol.version': '3' })).key).toBe('mqtt.protocol.version');
    const qos2 = sourceConfig.parse({ ...base, 'mqtt.qos': '2' });
    expect(configError(() => checkSourceConfig(qos2))).toMatchObject({ code: true, key: 'mqtt.qos' });
    expect(() => checkSourceConfig(sourceConfig.parse({ ...base, 'mqtt.qos': '2', 'mqtt.protocol.version': '5' }))).not.toThrow();
  });

  it('keeps the password out of the parsed config’s text and the validate answer', () => {
    const raw = { ...base, 'mqtt.username': 'u', 'mqtt.password': 'hunter2' };
    const config = sourceConfig.parse(raw);
    expect(config['mqtt.password']?.reveal()).toBe('hunter2');
    expect(JSON.stringify(config)).not.toContain('hunter2');
    expect(JSON.stringify(sourceConfig.configInfos('MqttSourceConnector', raw))).not.toContain('hunter2');
  });

  it('makes one task config with a stable client id, whatever tasks.max is', async () => {
    const raw = { ...base, name: 'sensors', 'connector.class': 'MqttSourceConnector', 'tasks.max': '4' };
    const connector = mqttSource.create();
    await connector.start(sourceConfig.parse(raw), connectorContext(raw));
    expect(await connector.taskConfigs(4)).toEqual([{ ...raw, 'mqtt.client.id': 'sluice-sensors-0' }]);
    const own = { ...raw, 'mqtt.client.id': 'plant-7' };
    await connector.start(sourceConfig.parse(own), connectorContext(own));
    expect(await connector.taskConfigs(1)).toEqual([own]);
  });
});

describe('the record of an MQTT message', () => {
  it('has the MQTT topic as key, the payload bytes as value and the MQTT attributes as headers', () => {
    const record = toRecord({ topic: 'sensors/a/temp', payload: Buffer.from([1, 2, 3]), qos: 1, retain: true, dup: false, messageId: 42 }, 'readings');
    expect(record).toMatchObject({ topic: 'readings', key: 'sensors/a/temp', keySchema: Schemas.STRING, value: Buffer.from([1, 2, 3]), valueSchema: Schemas.BYTES, sourcePartition: null, sourceOffset: null });
    expect([...record.headers].map((h) => [h.key, h.value, h.schema?.type])).toEqual([
      ['mqtt.topic', 'sensors/a/temp', 'STRING'],
      ['mqtt.message.id', 42, 'INT32'],
      ['mqtt.qos', 1, 'INT32'],
      ['mqtt.retained', true, 'BOOLEAN'],
      ['mqtt.duplicate', false, 'BOOLEAN'],
    ]);
  });

  it('gives QoS 0 messages message id 0, and MQTT 5 user properties one header per value', () => {
    const record = toRecord({ topic: 't', payload: Buffer.from('x'), qos: 0, retain: false, dup: false, properties: { userProperties: { site: 'north', tag: ['a', 'b'] } } }, 'k');
    expect([...record.headers].slice(1, 2).map((h) => h.value)).toEqual([0]);
    expect([...record.headers].slice(5).map((h) => [h.key, h.value])).toEqual([
      ['mqtt.user.property.site', 'north'],
      ['mqtt.user.property.tag', 'a'],
      ['mqtt.user.property.tag', 'b'],
    ]);
  });
});
