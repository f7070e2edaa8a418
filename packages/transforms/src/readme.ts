// The generated part of README.md: every transform and predicate of the plugin, with the names
// a config may give it and its config table, rendered from the plugin value itself.
import { spliceGeneratedDocs } from '@sluice/core';
import type { ConfigSpec, Plugin } from '@sluice/core';
import plugin from './index.ts';

interface Component {
  readonly name: string;
  readonly doc?: string;
  readonly config: ConfigSpec;
}

/** Components documented in one section: a lone one, or the `$Key`/`$Value` pair of a family. */
interface Section {
  readonly title: string;
  readonly members: readonly Component[];
  readonly doc: string;
}

const VARIANT = /^(.*)\$(Key|Value)$/;
// keyValueTransform (variant.ts) appends this to the family doc; a section for both drops it.
const SIDE_SUFFIX = / \(on the record (?:key|value)\)$/;

function sentence(text: string): string {
  const trimmed = text.trim();
  return trimmed === '' || /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** One section per component, except a `$Key`/`$Value` pair with one spec and one doc. */
function sections(components: readonly Component[]): Section[] {
  const byName = new Map(components.map((c) => [c.name, c]));
  const done = new Set<string>();
  const out: Section[] = [];
  for (const component of components) {
    if (done.has(component.name)) continue;
    const family = VARIANT.exec(component.name)?.[1];
    const key = family === undefined ? undefined : byName.get(`${family}$Key`);
    const value = family === undefined ? undefined : byName.get(`${family}$Value`);
    const keyDoc = key?.doc?.replace(SIDE_SUFFIX, '');
    if (family !== undefined && key !== undefined && value !== undefined && key.config === value.config && keyDoc === value.doc?.replace(SIDE_SUFFIX, '')) {
      done.add(key.name).add(value.name);
      const doc = `${sentence(keyDoc ?? '')} \`${key.name}\` works on the record key, \`${value.name}\` on the record value.`;
      out.push({ title: family, members: [key, value], doc: doc.trim() });
    } else {
      done.add(component.name);
      out.push({ title: component.name, members: [component], doc: sentence(component.doc ?? '') });
    }
  }
  return out.sort((a, b) => a.title.localeCompare(b.title));
}

/** `markdown` with every heading moved `levels` deeper, to nest a spec's section under ours. */
function deeper(markdown: string, levels: number): string {
  return markdown.replace(/^(#+) /gm, (_match, hashes: string) => `${hashes}${'#'.repeat(levels)} `);
}

function names(component: Component, aliases: Readonly<Record<string, string>>): string {
  const others = Object.entries(aliases)
    .filter(([, target]) => target === component.name)
    .map(([alias]) => alias);
  return [component.name, ...others].map((n) => `\`${n}\``).join(' or ');
}

function renderSection(section: Section, aliases: Readonly<Record<string, string>>, typeKey: string): string {
  const [first] = section.members;
  const spec = first?.config;
  const lines = [`### ${section.title}`, '', section.doc, ''];
  lines.push(`\`${typeKey}\`: ${section.members.map((m) => names(m, aliases)).join('; ')}.`, '');
  if (spec === undefined || spec.keys().length === 0) {
    lines.push(`No config keys of its own.`, '');
  } else {
    lines.push(deeper(spec.markdown(`Config of ${section.members.map((m) => `\`${m.name}\``).join(', ')}`), 2));
  }
  return lines.join('\n');
}

/** The docs of every transform and predicate of `p`, as the README holds them between the markers. */
export function componentDocs(p: Plugin = plugin): string {
  return [
    '## Transforms',
    '',
    ...sections(p.transforms).map((s) => renderSection(s, p.aliases, 'transforms.<alias>.type')),
    '## Predicates',
    '',
    ...sections(p.predicates).map((s) => renderSection(s, p.aliases, 'predicates.<alias>.type')),
  ].join('\n');
}

/** `readme` with its generated part replaced by {@link componentDocs}. */
export function withComponentDocs(readme: string): string {
  return spliceGeneratedDocs(readme, componentDocs());
}
