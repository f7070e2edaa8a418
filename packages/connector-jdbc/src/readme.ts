// The generated part of README.md: the config table, rendered from the spec itself.
import { spliceGeneratedDocs } from '@sluice/core';
import { sinkConfig } from './sink-config.ts';
import { sourceConfig } from './source-config.ts';

export function configDocs(): string {
  return [sourceConfig.markdown('Configuration of the JDBC source (`jdbc-source`)'), sinkConfig.markdown('Configuration of the JDBC sink (`jdbc-sink`)')].join('\n\n');
}

/** `readme` with its generated part replaced by {@link configDocs}. */
export function withConfigDocs(readme: string): string {
  return spliceGeneratedDocs(readme, configDocs());
}
