import type { TestProject } from 'vitest/node';
import { kafkaService } from './kafka.ts';
import { resolveService } from './services.ts';

/** vitest globalSetup: resolves Kafka once for the run and provides its address as `kafkaBootstrap`. */
export default async function setup(project: TestProject): Promise<void> {
  const kafka = await resolveService(kafkaService);
  console.log(`[testkit] Kafka at ${kafka.address} (${kafka.source})`);
  project.provide('kafkaBootstrap', kafka.address);
}
