// @sluice/connector-file: Apache Kafka's FileStream connectors for Sluice.
import { readFileSync } from 'node:fs';
import { definePlugin } from '@sluice/core';
import { fileSink } from './sink-connector.ts';
import { fileSource } from './source-connector.ts';

// src/ in the workspace and dist/ when published both sit one level below package.json.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export { fileSource, fileSink };

export default definePlugin({
  name: '@sluice/connector-file',
  version,
  connectors: [fileSource, fileSink],
  aliases: {
    FileStreamSource: 'file-source',
    'org.apache.kafka.connect.file.FileStreamSourceConnector': 'file-source',
    FileStreamSink: 'file-sink',
    'org.apache.kafka.connect.file.FileStreamSinkConnector': 'file-sink',
  },
});
