import { configError, custom, dataError, defineConfig, newRecord } from '@sluice/core';
import { singleTransform } from '../variant.ts';
import { SimpleDateFormat, datePatternProblem } from './simple-date-format.ts';

const config = defineConfig({
  'topic.format': {
    type: 'string',
    default: '${topic}-${timestamp}',
    importance: 'high',
    doc: 'The new topic name; `${topic}` stands for the original topic and `${timestamp}` for the formatted record timestamp.',
  },
  'timestamp.format': {
    type: 'string',
    default: 'yyyyMMdd',
    validate: custom('java.text.SimpleDateFormat pattern', (v) => (typeof v === 'string' ? datePatternProblem(v) : undefined)),
    importance: 'high',
    doc: 'How `${timestamp}` is written: a `java.text.SimpleDateFormat` pattern, applied in UTC.',
  },
});

/** TimestampRouter: routes each record to a topic named after its topic and timestamp, e.g. `orders-20240131`. */
export const timestampRouter = singleTransform({
  name: 'TimestampRouter',
  doc: 'Sets the topic of each record from its original topic and its timestamp, e.g. to write one table or index per day.',
  config,
  create() {
    let topicFormat = '';
    let format: SimpleDateFormat | undefined;
    return {
      configure(c) {
        topicFormat = c['topic.format'];
        try {
          format = new SimpleDateFormat(c['timestamp.format']);
        } catch (error) {
          throw configError('timestamp.format', (error as Error).message, { cause: error });
        }
      },
      apply(record) {
        if (record.timestamp === undefined) {
          throw dataError(`TimestampRouter needs a record timestamp, but the record on topic \`${record.topic}\` has none`, { context: { topic: record.topic } });
        }
        const stamp = format?.format(new Date(record.timestamp)) ?? '';
        // Placeholders are replaced one kind after the other, as Kafka does: a topic that itself
        // contains "${timestamp}" gets it replaced too.
        const topic = topicFormat.replaceAll('${topic}', () => record.topic).replaceAll('${timestamp}', () => stamp);
        return newRecord(record, { topic });
      },
    };
  },
});
