// The MQTT source task: one MQTT.js connection, subscribed to `mqtt.topics`, whose QoS 1/2
// messages are acknowledged to the broker only once Kafka acknowledged their records.
//
// How the acknowledgement is deferred. MQTT.js handles the inbound packets of a connection one
// at a time and sends the acknowledgement of a QoS 1/2 PUBLISH from a callback it hands to
// the client:
// - MQTT 3.1.1: `handleMessage(packet, done)`; for QoS 1 the PUBACK is sent when `done` is
//   called. (For QoS 2 the PUBREC goes out before `handleMessage`, which is why the config
//   refuses QoS 2 under 3.1.1.)
// - MQTT 5: `customHandleAcks(topic, payload, packet, cb)`, called when the PUBLISH arrives;
//   the PUBACK (QoS 1) or the PUBREC (QoS 2, whose PUBCOMP follows the broker's PUBREL) is sent
//   when `cb(0)` is called.
// The task calls those callbacks from `commitRecord`, i.e. after the Kafka write. Until then
// MQTT.js reads no further packet from that connection, so one QoS 1/2 message per connection
// is between the broker and Kafka at any time.
import { connectionError, illegalStateError } from '@sluice/core';
import type { Logger, RecordMetadata, SourceRecord, SourceTask, SourceTaskContext } from '@sluice/core';
import mqtt from 'mqtt';
import type { IClientOptions, IConnackPacket, IPublishPacket, MqttClient } from 'mqtt';
import { checkSourceConfig, defaultClientId } from './config.ts';
import type { SourceConfig } from './config.ts';
import { toRecord } from './mapping.ts';

/** MQTT 3.1.1 CONNACK return codes and MQTT 5 reason codes that retrying cannot fix. */
const REFUSED_FOR_GOOD = new Set([1, 2, 4, 5, 0x84, 0x85, 0x86, 0x87, 0x8c]);

interface Buffered {
  readonly record: SourceRecord;
  /** Sends the broker's acknowledgement; absent for QoS 0. */
  readonly ack: (() => void) | undefined;
}

/** `host:port` of each broker URI, for messages (never with credentials). */
function brokerAddresses(uris: readonly string[]): string {
  return uris.map((uri) => new URL(uri).host || uri).join(', ');
}

export class MqttSourceTask implements SourceTask<SourceConfig> {
  #client: MqttClient | undefined;
  #logger: Logger | undefined;
  #config: SourceConfig | undefined;
  #brokers = '';
  readonly #queue: Buffered[] = [];
  /** The acknowledgements of polled records, sent by `commitRecord`. */
  readonly #acks = new Map<SourceRecord, () => void>();
  /** QoS 0 packets' `done` callbacks held while the queue is full: MQTT.js reads no further packet until called. */
  readonly #held: (() => void)[] = [];
  /** Wakes a `poll` waiting for a message. */
  #wake: (() => void) | undefined;
  /** Counts connections: an acknowledgement is sent only on the connection its message came on. */
  #connection = 0;
  #failure: Error | undefined;
  #subscribed = false;

  async start(config: SourceConfig, ctx: SourceTaskContext): Promise<void> {
    checkSourceConfig(config);
    this.#config = config;
    this.#logger = ctx.logger;
    const uris = config['mqtt.server.uri'];
    this.#brokers = brokerAddresses(uris);
    const clientId = config['mqtt.client.id'] ?? defaultClientId(ctx.configs().name ?? 'mqtt-source', 0);
    const v5 = config['mqtt.protocol.version'] === 5;
    const clean = config['mqtt.clean.session.enabled'];
    const options: IClientOptions = {
      servers: uris.map((uri) => {
        const url = new URL(uri);
        return { host: url.hostname, port: url.port === '' ? 1883 : Number(url.port), protocol: 'mqtt' as const };
      }),
      clientId,
      clean,
      protocolVersion: v5 ? 5 : 4,
      connectTimeout: config['mqtt.connect.timeout.seconds'] * 1000,
      keepalive: config['mqtt.keepalive.interval.seconds'],
      reconnectPeriod: 1000,
      // subscriptions are made again by the `connect` handler when the broker kept no session
      resubscribe: false,
      ...(config['mqtt.username'] === null ? {} : { username: config['mqtt.username'] }),
      ...(config['mqtt.password'] === null ? {} : { password: config['mqtt.password'].reveal() }),
      ...(v5 && !clean ? { properties: { sessionExpiryInterval: config['mqtt.session.expiry.interval.seconds'] } } : {}),
      ...(v5 ? { customHandleAcks: (_topic: string, _payload: Buffer, packet: IPublishPacket, cb: (error: Error | number, code?: number) => void) => this.#received(packet, () => cb(0)) } : {}),
    };
    const client = mqtt.connect(options);
    this.#client = client;
    client.handleMessage = (packet, done) => {
      // under MQTT 5 a QoS 1/2 message was buffered (and is in Kafka) before this is called
      if (v5 && packet.qos > 0) done();
      else if (packet.qos > 0) this.#received(packet, () => done());
      else this.#receivedQos0(packet, () => done());
    };
    client.on('close', () => {
      this.#connection++;
    });
    client.on('connect', (connack) => this.#connected(connack));
    client.on('error', (error) => this.#connectionFailed(error));
    client.on('reconnect', () => ctx.logger.info(`MQTT source ${clientId}: reconnecting to ${this.#brokers}`));

    await this.#firstConnection(config['mqtt.connect.timeout.seconds'] * 1000);
    ctx.logger.info(`MQTT source ${clientId}: connected to ${this.#brokers}, subscribed to ${config['mqtt.topics'].join(', ')} with QoS ${config['mqtt.qos']}`);
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[] | null> {
    this.#throwIfFailed();
    const config = this.#config!;
    if (this.#queue.length === 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          this.#wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, config['records.buffer.queue.empty.timeout']);
        signal.addEventListener('abort', done);
        this.#wake = done;
      });
      this.#throwIfFailed();
    }
    const batch = this.#queue.splice(0, config['records.buffer.queue.max.batch.size']);
    while (this.#held.length > 0 && this.#queue.length < config['records.buffer.queue.size']) this.#held.shift()!();
    if (batch.length === 0) return null;
    return batch.map(({ record, ack }) => {
      if (ack) this.#acks.set(record, ack);
      return record;
    });
  }

  /** Kafka has the record (or a transform dropped it, or its failure was tolerated): acknowledge it to the broker. */
  commitRecord(record: SourceRecord, _metadata: RecordMetadata | null): void {
    const ack = this.#acks.get(record);
    if (ack === undefined) return;
    this.#acks.delete(record);
    ack();
  }

  async stop(): Promise<void> {
    this.#wake?.();
    const client = this.#client;
    this.#client = undefined;
    // unacknowledged QoS 1/2 messages stay with the broker, which delivers them again
    if (client) await client.endAsync(true);
  }

  #received(packet: IPublishPacket, ack: () => void): void {
    const connection = this.#connection;
    const record = toRecord(packet, this.#config!['kafka.topic']);
    // an acknowledgement on a later connection could match another message with the same id
    this.#queue.push({ record, ack: () => connection === this.#connection && ack() });
    this.#wake?.();
  }

  #receivedQos0(packet: IPublishPacket, done: () => void): void {
    this.#queue.push({ record: toRecord(packet, this.#config!['kafka.topic']), ack: undefined });
    this.#wake?.();
    if (this.#queue.length < this.#config!['records.buffer.queue.size']) done();
    else this.#held.push(done);
  }

  #connected(connack: IConnackPacket): void {
    // The first connection always subscribes: a kept session may hold the filters of an older
    // config. Later ones subscribe when the broker kept no session.
    const first = !this.#subscribed;
    this.#subscribed = true;
    if (connack.sessionPresent && !first) return;
    const config = this.#config!;
    const qos = config['mqtt.qos'] as 0 | 1 | 2;
    const filters = Object.fromEntries(config['mqtt.topics'].map((filter) => [filter, { qos }]));
    this.#client?.subscribe(filters, (error, granted) => {
      const refused = (granted ?? []).filter((g) => g.qos === 128 || g.qos > 2);
      if (error) this.#fail(connectionError(`MQTT broker ${this.#brokers} did not take the subscriptions: ${error.message}`, { cause: error }));
      else if (refused.length > 0) this.#fail(connectionError(`MQTT broker ${this.#brokers} refused the subscription to ${refused.map((g) => g.topic).join(', ')}`));
    });
  }

  #connectionFailed(error: Error & { code?: number | string }): void {
    const reason = error.message;
    if (typeof error.code === 'number' && REFUSED_FOR_GOOD.has(error.code)) {
      this.#fail(connectionError(`MQTT broker ${this.#brokers} refused the connection: ${reason}`, { cause: error }));
    } else {
      this.#logger?.warn(`MQTT source: connection to ${this.#brokers} failed (${reason}); retrying`);
    }
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure;
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#wake?.();
  }

  /** Resolves once the first connection is up and subscribed; fails naming the broker and the reason. */
  #firstConnection(timeoutMs: number): Promise<void> {
    const client = this.#client!;
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        clearTimeout(timer);
        client.off('connect', connected);
        client.off('error', failed);
        if (error === undefined) {
          resolve();
          return;
        }
        client.end(true);
        reject(error);
      };
      const connected = () => settle();
      const failed = (error: Error) => settle(connectionError(`cannot connect to MQTT broker ${this.#brokers}: ${error.message}`, { cause: error }));
      const timer = setTimeout(
        () => settle(connectionError(`cannot connect to MQTT broker ${this.#brokers}: no answer within ${timeoutMs / 1000} s (mqtt.connect.timeout.seconds)`)),
        timeoutMs,
      );
      client.on('connect', connected);
      client.on('error', failed);
    }).then(() => {
      this.#throwIfFailed();
      if (this.#client === undefined) throw illegalStateError('the MQTT source task was stopped while connecting');
    });
  }
}
