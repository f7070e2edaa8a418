import { defineSourceConnector, dataError } from '@sluice/core';
import type { TaskConfig } from '@sluice/core';
import { fileOf, sourceConfig } from './config.ts';
import { FILENAME_FIELD, FileSourceTask, POSITION_FIELD } from './source-task.ts';

/**
 * FileStreamSource: reads lines from a file (or stdin) into one topic, as Apache Kafka's
 * `FileStreamSourceConnector`, with byte positions as offsets. Always one task.
 */
export const fileSource = defineSourceConnector({
  name: 'file-source',
  doc: 'Reads the lines of a file (or standard input) into a Kafka topic, one STRING record per line.',
  config: sourceConfig,
  create: () => {
    let taskConfig: TaskConfig = {};
    return {
      start(config, ctx) {
        // the task gets the connector's whole config, as Apache's connector hands it over
        taskConfig = { ...ctx.configs() };
        ctx.logger.info(`starting file source connector reading from ${fileOf(config) ?? 'standard input'}`);
      },
      // Only one reader of a file makes sense, whatever tasks.max says.
      taskConfigs: () => [taskConfig],
      stop() {},
    };
  },
  task: { config: sourceConfig, create: () => new FileSourceTask() },
  exactlyOnceSupport: (config) => (fileOf(config) === null ? 'unsupported' : 'supported'),
  alterOffsets(config, offsets) {
    if (fileOf(config) === null) {
      throw dataError("offsets cannot be altered when 'file' is unset: standard input is read without offsets");
    }
    for (const { partition, offset } of offsets) {
      if (offset === null) continue; // resetting is always allowed, even for garbage partitions
      const position = offset[POSITION_FIELD];
      if (position === undefined) throw dataError(`an offset must be null or contain the key '${POSITION_FIELD}'`);
      const valid = typeof position === 'bigint' ? position >= 0n : typeof position === 'number' && Number.isSafeInteger(position) && position >= 0;
      if (!valid) throw dataError(`the '${POSITION_FIELD}' of an offset must be a non-negative integer (a byte position), got ${JSON.stringify(String(position))}`);
      if (!(FILENAME_FIELD in partition)) throw dataError(`a source partition must contain the key '${FILENAME_FIELD}'`);
    }
    return true;
  },
});
