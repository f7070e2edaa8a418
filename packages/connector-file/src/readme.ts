// The generated part of README.md: the config tables, rendered from the specs themselves.
import { spliceGeneratedDocs } from '@sluice/core';
import { sinkConfig, sourceConfig } from './config.ts';

/** The config docs of both connectors, as the README holds them between the markers. */
export function configDocs(): string {
  return [
    sourceConfig.markdown('Configuration of FileStreamSource (`file-source`)'),
    sinkConfig.markdown('Configuration of FileStreamSink (`file-sink`)'),
    'The sink also takes the worker\'s `topics` or `topics.regex`, as every sink connector does.',
  ].join('\n');
}

/** `readme` with its generated part replaced by {@link configDocs}. */
export function withConfigDocs(readme: string): string {
  return spliceGeneratedDocs(readme, configDocs());
}
