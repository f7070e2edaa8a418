import { kafkajsClient } from './kafkajs.ts';
import { platformaticClient } from './platformatic.ts';
import type { KafkaClient, KafkaClientOptions } from './port.ts';
import { configError } from '@sluice/core';

const adapters = {
  platformatic: platformaticClient,
  kafkajs: kafkajsClient,
} satisfies Record<string, (options: KafkaClientOptions) => KafkaClient>;

export type KafkaClientName = keyof typeof adapters;

export const kafkaClientNames = Object.keys(adapters) as KafkaClientName[];

/**
 * The default adapter is the one bench/kafka-clients measured faster on our machines
 * (see the README's figures); `kafka.client` in a worker file chooses another.
 */
export const DEFAULT_KAFKA_CLIENT: KafkaClientName = 'platformatic';

export function kafkaClient(options: KafkaClientOptions, name: string = DEFAULT_KAFKA_CLIENT): KafkaClient {
  const adapter = (adapters as Record<string, (options: KafkaClientOptions) => KafkaClient>)[name];
  if (!adapter) {
    throw configError('kafka.client', `\`${name}\` is not a known Kafka client; choose one of ${kafkaClientNames.join(', ')}`);
  }
  return adapter(options);
}
