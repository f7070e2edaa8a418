// The generated part of README.md: the connector-level keys every connector config takes,
// rendered from the runtime's own specs. Not part of any exported entry point.
import { defineConfig, spliceGeneratedDocs } from '@sluice/core';
import { commonConnectorConfig, sinkConnectorConfig } from './runtime/connector-config.ts';

/** The keys a sink connector takes on top of the common ones (`topics`, `topics.regex`). */
function sinkOnlyConfig() {
  const common = new Set(commonConnectorConfig.keys());
  return defineConfig(Object.fromEntries(Object.entries(sinkConnectorConfig.definitions).filter(([name]) => !common.has(name))));
}

/** The connector key docs, as the README holds them between the markers. */
export function connectorConfigDocs(): string {
  return [
    commonConnectorConfig.markdown('Keys of every connector'),
    sinkOnlyConfig().markdown('Keys of sink connectors'),
    'A sink connector also takes every key above. Each transform and predicate named in `transforms` and `predicates` takes `transforms.<alias>.*` / `predicates.<alias>.*` keys of its own; see `@sluice/transforms`.',
  ].join('\n');
}

/** `readme` with its generated part replaced by {@link connectorConfigDocs}. */
export function withConnectorConfigDocs(readme: string): string {
  return spliceGeneratedDocs(readme, connectorConfigDocs());
}
