// Which tables a source reads, and how they are spread over tasks.
import { configError } from '@sluice/core';
import type { TableId } from './dialect/dialect.ts';
import type { SourceConfig } from './source-config.ts';

/** `schema.table` unquoted, as Confluent names a table in its source partitions. */
export function fullName(table: TableId): string {
  return `${table.schema}.${table.name}`;
}

/** The listed tables the config selects; fails when two of them would share a topic. */
export function selectTables(all: readonly TableId[], config: SourceConfig): TableId[] {
  const byName = (names: readonly string[]) => (t: TableId) => names.includes(t.name) || names.includes(fullName(t));
  const byPattern = (patterns: readonly string[]) => (t: TableId) => patterns.some((p) => new RegExp(`^(?:${p})$`).test(fullName(t)));
  let selected = [...all];
  if (config['table.include.list'].length > 0) {
    selected = selected.filter(byPattern(config['table.include.list']));
    selected = selected.filter((t) => !byPattern(config['table.exclude.list'])(t));
  } else if (config['table.whitelist'].length > 0) {
    selected = selected.filter(byName(config['table.whitelist']));
  } else if (config['table.blacklist'].length > 0) {
    selected = selected.filter((t) => !byName(config['table.blacklist'])(t));
  }
  const seen = new Map<string, TableId>();
  for (const table of selected) {
    const other = seen.get(table.name);
    if (other !== undefined) {
      throw configError('table.whitelist', `tables \`${fullName(other)}\` and \`${fullName(table)}\` would both write to topic \`${config['topic.prefix']}${table.name}\`; select one of them`);
    }
    seen.set(table.name, table);
  }
  return selected;
}

/** Contiguous groups, one per task, `min(tables, maxTasks)` of them (Kafka's `groupPartitions`). */
export function groupTables<T>(tables: readonly T[], maxTasks: number): T[][] {
  const groups = Math.min(tables.length, maxTasks);
  const result: T[][] = [];
  let start = 0;
  for (let i = 0; i < groups; i++) {
    const size = Math.floor(tables.length / groups) + (i < tables.length % groups ? 1 : 0);
    result.push(tables.slice(start, start + size));
    start += size;
  }
  return result;
}
