// The generated part of README.md: the config table, rendered from the spec itself.
import { spliceGeneratedDocs } from '@sluice/core';
import { sourceConfig } from './config.ts';

/** The config docs of the source, as the README holds them between the markers. */
export function configDocs(): string {
  return sourceConfig.markdown('Configuration of the MQTT source (`mqtt-source`)');
}

/** `readme` with its generated part replaced by {@link configDocs}. */
export function withConfigDocs(readme: string): string {
  return spliceGeneratedDocs(readme, configDocs());
}
