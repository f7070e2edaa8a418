export { ServiceUnavailableError, findStackScript, resolveService } from './services.ts';
export type { ResolvedService, ServiceDefinition } from './services.ts';
export { createTopic, kafkaService, produceRaw, produceRecords, readTopic, uniqueTopic } from './kafka.ts';
export type { ReadOptions, ReadRecord } from './kafka.ts';
