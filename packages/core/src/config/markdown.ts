// Internal: the markdown docs of a config spec.
import type { ConfigKey } from './key.ts';
import { toConfigString } from './parse.ts';

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function row(key: ConfigKey): string {
  const defaultText = key.required ? '*required*' : key.defaultValue === null ? '`null`' : `\`${toConfigString(key.defaultValue) ?? ''}\``;
  const valid = key.validators.map((v) => v.description).join('; ');
  const doc = key.secret ? `${key.doc} (secret)`.trim() : key.doc;
  return `| \`${key.name}\` | ${key.type} | ${cell(defaultText)} | ${cell(valid)} | ${key.importance} | ${cell(doc)} |`;
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
