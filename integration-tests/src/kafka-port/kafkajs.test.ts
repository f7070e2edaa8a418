import { kafkajsClient } from '@sluice/worker/kafka';
import { describeKafkaPort } from './conformance.ts';

describeKafkaPort('kafkajs', kafkajsClient);
