// Internal: the markdown docs of a config spec.
import type { ConfigKey } from './key.ts';
import { toConfigString } from './parse.ts';

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

// An empty code span (two backticks) renders as literal backticks, so an empty default (an empty
// string or list) is shown as `""`, as Kafka's own config docs show it.
function defaultText(key: ConfigKey): string {
  if (key.required) return '*required*';
  if (key.defaultValue === null) return '`null`';
  const text = toConfigString(key.defaultValue) ?? '';
  return text === '' ? '`""`' : `\`${text}\``;
}

function row(key: ConfigKey): string {
  const valid = key.validators.map((v) => v.description).join('; ');
  const doc = key.secret ? `${key.doc} (secret)`.trim() : key.doc;
  return `| \`${key.name}\` | ${key.type} | ${cell(defaultText(key))} | ${cell(valid)} | ${key.importance} | ${cell(doc)} |`;
}

/** Renders a `## title` section with one table per group (ungrouped keys first). */
export function renderMarkdown(title: string, keys: readonly ConfigKey[]): string {
  const groups = new Map<string | null, ConfigKey[]>();
  for (const key of keys) groups.set(key.group, [...(groups.get(key.group) ?? []), key]);
  const ordered = [...groups.entries()].sort(([a], [b]) => (a === null ? -1 : b === null ? 1 : 0));
  const lines = [`## ${title}`, ''];
  for (const [group, members] of ordered) {
    if (group !== null) lines.push(`### ${group}`, '');
    lines.push('| Key | Type | Default | Valid values | Importance | Description |', '|---|---|---|---|---|---|');
    const sorted = [...members].sort((a, b) => a.order - b.order);
    for (const key of sorted) lines.push(row(key));
    lines.push('');
  }
  return lines.join('\n');
}
