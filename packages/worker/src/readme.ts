// The generated part of README.md: the connector-level keys every connector config takes,
// rendered from the runtime's own specs. Not part of any exported entry point.
import { defineConfig, spliceGeneratedDocs } from '@sluice/core';
import { commonConnectorConfig, sinkConnectorConfig, sourceConnectorConfig } from './runtime/connector-config.ts';

/** The keys of `spec` that are not common to every connector (`topics` for sinks, the exactly-once keys for sources). */
function onlyIn(spec: typeof sinkConnectorConfig | typeof sourceConnectorConfig) {
  const common = new Set(commonConnectorConfig.keys());
  return defineConfig(Object.fromEntries(Object.entries(spec.definitions).filter(([name]) => !common.has(name))));
}

/** The connector key docs, as the README holds them between the markers. */
export function connectorConfigDocs(): string {
  return [
    commonConnectorConfig.markdown('Keys of every connector'),
    onlyIn(sinkConnectorConfig).markdown('Keys of sink connectors'),
    onlyIn(sourceConnectorConfig).markdown('Keys of source connectors'),
    'Sink and source connectors also take every key of the first table. Each transform and predicate named in `transforms` and `predicates` takes `transforms.<alias>.*` / `predicates.<alias>.*` keys of its own; see `@sluice/transforms`.',
  ].join('\n');
}

/** `readme` with its generated part replaced by {@link connectorConfigDocs}. */
export function withConnectorConfigDocs(readme: string): string {
  return spliceGeneratedDocs(readme, connectorConfigDocs());
}
