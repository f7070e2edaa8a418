// A path to one field, possibly nested (KIP-821): `field.syntax.version` V1 reads the whole text
// as one top-level name; V2 splits it on dots, with backticks around a name that has dots in it
// ("`foo.bar`.baz") and a backslash before a backtick that belongs to the name.
import { configError, fieldOf, isStruct, oneOf } from '@sluice/core';
import type { Field, Schema, Struct } from '@sluice/core';
import { requireMap, requireStruct } from '../values.ts';

export const FIELD_SYNTAX_VERSION = 'field.syntax.version';

/** The `field.syntax.version` key. */
export const FIELD_SYNTAX_VERSION_KEY = {
  type: 'string',
  default: 'V1',
  validate: oneOf('V1', 'V2'),
  importance: 'high',
  doc:
    'How field paths are read. `V1`: the path is the name of a top-level field. `V2`: dots separate the names of nested ' +
    'fields; wrap a name that contains dots in backticks (e.g. "`foo.bar`.baz" is field `baz` inside field `foo.bar`).',
} as const;

export type FieldSyntaxVersion = 'V1' | 'V2';

export function syntaxVersion(configured: string): FieldSyntaxVersion {
  return configured.toUpperCase() === 'V2' ? 'V2' : 'V1';
}

const BACKTICK = '`';
const DOT = '.';
const BACKSLASH = '\\';

/** A field path: one or more names, outermost first. */
export class FieldPath {
  readonly steps: readonly string[];
  readonly text: string;

  /** Parses `text`; a backtick without its pair is a CONFIG error naming `key`. */
  constructor(text: string, version: FieldSyntaxVersion, key = 'field') {
    this.text = text;
    this.steps = version === 'V1' ? [text] : splitV2(text, key);
  }

  /** The field at this path in `schema`, or `undefined` when a step is missing. */
  fieldFrom(schema: Schema): Field | undefined {
    let current: Schema = schema;
    let field: Field | undefined;
    for (const step of this.steps) {
      if (field !== undefined) current = field.schema;
      field = current.type === 'STRUCT' ? fieldOf(current, step) : undefined;
      if (field === undefined) return undefined;
    }
    return field;
  }

  /** The value at this path in a struct; null when a step is missing or an enclosing struct is null. */
  valueFromStruct(struct: Struct, withDefault: boolean): unknown {
    let current = struct;
    const last = this.steps.length - 1;
    for (let i = 0; i < last; i++) {
      const step = this.steps[i] as string;
      if (fieldOf(current.schema, step) === undefined) return null;
      const next = current.get(step);
      if (next === null || next === undefined) return null;
      current = isStruct(next) ? next : requireStruct(next, 'nested field access');
    }
    const name = this.steps[last] as string;
    if (fieldOf(current.schema, name) === undefined) return null;
    return withDefault ? current.get(name) : current.getWithoutDefault(name);
  }

  /** The value at this path in a schemaless map; null when a step is missing or null. */
  valueFromMap(map: Map<string, unknown>): unknown {
    let current = map;
    const last = this.steps.length - 1;
    for (let i = 0; i < last; i++) {
      const next = current.get(this.steps[i] as string);
      if (next === null || next === undefined) return null;
      current = requireMap(next, 'nested field access');
    }
    return current.get(this.steps[last] as string) ?? null;
  }
}

function incomplete(path: string, at: number, key: string): never {
  throw configError(key, `the backtick at position ${at} of \`${path}\` has no closing backtick; put a backslash before it if it is part of the name`);
}

/** Splits a V2 path into its steps. */
function splitV2(path: string, key: string): string[] {
  const steps: string[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] !== BACKTICK) {
      const dot = path.indexOf(DOT, i);
      steps.push(dot < 0 ? path.slice(i) : path.slice(i, dot));
      i = dot < 0 ? path.length : dot + 1;
      continue;
    }
    // A quoted name ends at a backtick that is followed by a dot or ends the path and is not
    // escaped; an escaped one followed by a dot stands for a literal backtick, any other stays as written.
    const opening = i;
    let name = '';
    let start = i + 1;
    let search = start;
    for (;;) {
      const close = path.indexOf(BACKTICK, search);
      if (close < 0) incomplete(path, opening, key);
      const escaped = path[close - 1] === BACKSLASH;
      if (close === path.length - 1) {
        if (escaped) incomplete(path, opening, key);
        steps.push(name + path.slice(start, close));
        i = path.length;
        break;
      }
      if (path[close + 1] !== DOT) {
        search = close + 1;
        continue;
      }
      if (escaped) {
        name += path.slice(start, close - 1) + BACKTICK;
        start = close + 1;
        search = start;
        continue;
      }
      steps.push(name + path.slice(start, close));
      i = close + 2;
      break;
    }
  }
  if (path === '' || path.endsWith(DOT)) steps.push('');
  return steps;
}
