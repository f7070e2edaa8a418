import { defineSinkConnector } from '@sluice/core';
import type { TaskConfig } from '@sluice/core';
import { fileOf, sinkConfig } from './config.ts';
import { FileSinkTask } from './sink-task.ts';

/**
 * FileStreamSink: appends each record's value as a line to a file (or stdout), as Apache Kafka's
 * `FileStreamSinkConnector`.
 */
export const fileSink = defineSinkConnector({
  name: 'file-sink',
  doc: 'Appends the value of each record as a line to a file (or standard output).',
  config: sinkConfig,
  create: () => {
    let taskConfig: TaskConfig = {};
    return {
      start(config, ctx) {
        taskConfig = { ...ctx.configs() };
        ctx.logger.info(`starting file sink connector writing to ${fileOf(config) ?? 'standard output'}`);
      },
      // As Apache: tasks.max identical tasks, all appending to the same file.
      taskConfigs: (maxTasks) => Array.from({ length: maxTasks }, () => taskConfig),
      stop() {},
    };
  },
  task: { config: sinkConfig, create: () => new FileSinkTask() },
  // Offsets are the consumer group's; nothing of the connector needs changing.
  alterOffsets: () => true,
});
