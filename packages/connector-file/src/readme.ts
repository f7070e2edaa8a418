// The generated part of README.md: the config tables, rendered from the specs themselves.
import { sinkConfig, sourceConfig } from './config.ts';

export const GENERATED_START = '<!-- generated config: start. Run `pnpm run docs` to update; do not edit by hand. -->';
export const GENERATED_END = '<!-- generated config: end -->';

/** The config docs of both connectors, as the README holds them between the markers. */
export function configDocs(): string {
  return [
    sourceConfig.markdown('Configuration of FileStreamSource (`file-source`)'),
    sinkConfig.markdown('Configuration of FileStreamSink (`file-sink`)'),
    'The sink also takes the worker\'s `topics` or `topics.regex`, as every sink connector does.',
  ].join('\n');
}

/** `readme` with the text between the markers replaced by {@link configDocs}. */
export function withConfigDocs(readme: string): string {
  const start = readme.indexOf(GENERATED_START);
  const end = readme.indexOf(GENERATED_END);
  if (start === -1 || end < start) throw new Error(`README.md needs the markers ${GENERATED_START} and ${GENERATED_END}`);
  return `${readme.slice(0, start + GENERATED_START.length)}\n\n${configDocs()}\n${readme.slice(end)}`;
}
