import { defineSourceConnector } from '@sluice/core';
import type { TaskConfig } from '@sluice/core';
import { checkSourceConfig, defaultClientId, sourceConfig } from './config.ts';
import { MqttSourceTask } from './source-task.ts';

/**
 * The MQTT source: subscribes to MQTT topic filters and writes every message to one Kafka topic,
 * as Confluent's `MqttSourceConnector`. One task, whatever `tasks.max` says.
 */
export const mqttSource = defineSourceConnector({
  name: 'mqtt-source',
  doc: 'Subscribes to MQTT topic filters and writes each message to a Kafka topic (key: the MQTT topic, value: the payload bytes), acknowledging QoS 1/2 messages to the broker only after Kafka has them.',
  config: sourceConfig,
  create: () => {
    let taskConfig: TaskConfig = {};
    return {
      start(config, ctx) {
        checkSourceConfig(config);
        const raw = ctx.configs();
        taskConfig = { ...raw, 'mqtt.client.id': config['mqtt.client.id'] ?? defaultClientId(raw.name ?? 'mqtt-source', 0) };
        ctx.logger.info(`starting MQTT source connector for ${config['mqtt.topics'].join(', ')} into ${config['kafka.topic']}`);
      },
      // One connection per connector in this release: a second task would subscribe to the same
      // filters and write every message twice.
      taskConfigs: () => [taskConfig],
      stop() {},
    };
  },
  task: { config: sourceConfig, create: () => new MqttSourceTask() },
});
