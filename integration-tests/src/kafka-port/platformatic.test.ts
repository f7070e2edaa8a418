import { platformaticClient } from '@sluice/worker/kafka';
import { describeKafkaPort } from './conformance.ts';

describeKafkaPort('platformatic', platformaticClient);
