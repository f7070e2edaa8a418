export type {
  ConsumedRecord,
  ConsumerOptions,
  GroupMember,
  GroupMemberOptions,
  JoinResult,
  KafkaAdmin,
  KafkaClient,
  KafkaClientOptions,
  KafkaConsumer,
  KafkaHeader,
  KafkaProducer,
  NewTopic,
  ProducerOptions,
  ProducerRecord,
  ProducerTransaction,
  RebalanceListener,
  RecordMetadata,
  TopicDescription,
  TopicPartition,
  TopicPartitionOffset,
} from './port.ts';
export { KafkaPortError, kafkaErrorCode } from './errors.ts';
export type { KafkaErrorCode } from './errors.ts';
export { kafkajsClient } from './kafkajs.ts';
export { murmur2, partitionForKey } from './partitioner.ts';
export { platformaticClient } from './platformatic.ts';
export { kafkaClient, kafkaClientNames } from './select.ts';
export type { KafkaClientName } from './select.ts';
