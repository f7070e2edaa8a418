import { inspect } from 'node:util';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { assertErrorCode } from '../testing.ts';
import type { Secret } from './secret.ts';
import { defineConfig, type ConfigOf } from './spec.ts';
import { atLeast, between, custom, nonEmptyString, oneOf } from './validators.ts';

const spec = defineConfig({
  file: { type: 'string', default: null, doc: 'Source filename.', importance: 'high' },
  'batch.size': { type: 'int', default: 2000, validate: atLeast(1), importance: 'low', group: 'Common', displayName: 'Batch size', order: 1 },
  'connection.password': { type: 'password', default: null, doc: 'Password.' },
  topic: { type: 'string', doc: 'Target topic.', importance: 'high', validate: nonEmptyString() },
});

describe('config spec: types', () => {
  it('derives the TypeScript type from the definition', () => {
    type Cfg = ConfigOf<typeof spec>;
    expectTypeOf<Cfg['file']>().toEqualTypeOf<string | null>();
    expectTypeOf<Cfg['batch.size']>().toEqualTypeOf<number>();
    expectTypeOf<Cfg['connection.password']>().toEqualTypeOf<Secret | null>();
    expectTypeOf<Cfg['topic']>().toEqualTypeOf<string>();
  });
});

describe('config spec: parse', () => {
  it('parses strings, applies defaults and wraps secrets', () => {
    const cfg = spec.parse({ topic: ' lines ', 'batch.size': '10', 'connection.password': 's3cret', extra: 'kept aside' });
    expect(cfg.topic).toBe('lines');
    expect(cfg['batch.size']).toBe(10);
    expect(cfg.file).toBeNull();
    expect(cfg['connection.password']?.reveal()).toBe('s3cret');
    expect(Object.isFrozen(cfg)).toBe(true);
    expect('extra' in cfg).toBe(false);
    expect(spec.unknown({ topic: 'x', extra: 'kept aside', n: 3 })).toEqual({ extra: 'kept aside', n: '3' });
  });

  it('parses every Kafka type from strings', () => {
    const all = defineConfig({
      b: { type: 'boolean', default: false },
      s: { type: 'short', default: 0 },
      i: { type: 'int', default: 0 },
      l: { type: 'long', default: 0 },
      d: { type: 'double', default: 0 },
      list: { type: 'list', default: '' },
      c: { type: 'class', default: null },
    });
    const cfg = all.parse({ b: 'TRUE', s: '-32768', i: '2147483647', l: '9007199254740991', d: '1.5e3', list: ' a , b,,c ', c: ' x.Y ' });
    expect(cfg).toEqual({ b: true, s: -32768, i: 2147483647, l: 9007199254740991, d: 1500, list: ['a', 'b', '', 'c'], c: 'x.Y' });
    expect(all.parse({ b: 'False', list: '' })).toMatchObject({ b: false, list: [] });
    expect(all.parse({ list: ['x', 'y'], i: 5, b: true })).toMatchObject({ list: ['x', 'y'], i: 5, b: true });
    const bad = (raw: Record<string, string>) => assertErrorCode(() => all.parse(raw), 'CONFIG').message;
    expect(bad({ b: 'yes' })).toBe('config key `b`: expected BOOLEAN (`true` or `false`), got `yes`');
    expect(bad({ i: '2147483648' })).toBe('config key `i`: INT out of range [-2147483648, 2147483647], got `2147483648`');
    expect(bad({ s: '40000' })).toMatch(/^config key `s`: SHORT out of range/);
    expect(bad({ i: '1.5' })).toBe('config key `i`: expected INT, got `1.5`');
    expect(bad({ i: '0x10' })).toBe('config key `i`: expected INT, got `0x10`');
    expect(bad({ l: '9007199254740993' })).toMatch(/^config key `l`: LONG out of range .* safe JS integers/);
    expect(bad({ d: 'abc' })).toBe('config key `d`: expected DOUBLE, got `abc`');
  });

  it('collects every error, naming each key', () => {
    const e = assertErrorCode(() => spec.parse({ 'batch.size': '0' }), 'CONFIG');
    expect(e.message).toBe(
      'invalid config (2 errors): config key `batch.size`: must be at least 1, got `0`; config key `topic`: is required and has no default value',
    );
    expect(e.context['errors']).toEqual([
      { key: 'batch.size', message: 'config key `batch.size`: must be at least 1, got `0`' },
      { key: 'topic', message: 'config key `topic`: is required and has no default value' },
    ]);
    expect(assertErrorCode(() => spec.parse({ topic: 'x', 'batch.size': 'ten' }), 'CONFIG').message).toBe(
      'config key `batch.size`: expected INT, got `ten`',
    );
  });

  it('runs validators: between, oneOf (case-insensitive), nonEmptyString, custom', () => {
    const v = defineConfig({
      port: { type: 'int', default: 80, validate: between(1, 65535) },
      mode: { type: 'string', default: 'bulk', validate: oneOf('bulk', 'incrementing') },
      modes: { type: 'list', default: 'bulk', validate: oneOf('bulk', 'timestamp') },
      name: { type: 'string', default: 'n', validate: nonEmptyString() },
      even: { type: 'int', default: 2, validate: custom('even numbers', (n) => ((n as number) % 2 === 0 ? undefined : 'must be even')) },
    });
    expect(v.parse({ mode: 'BULK' }).mode).toBe('BULK');
    const msg = (raw: Record<string, string>) => assertErrorCode(() => v.parse(raw), 'CONFIG').message;
    expect(msg({ port: '0' })).toBe('config key `port`: must be between 1 and 65535, got `0`');
    expect(msg({ mode: 'nope' })).toBe('config key `mode`: must be one of `bulk`, `incrementing`, got `nope`');
    expect(msg({ modes: 'bulk, nope' })).toBe('config key `modes`: must be one of `bulk`, `timestamp`, got `nope`');
    expect(msg({ name: '   ' })).toMatch(/^config key `name`: must be a non-empty string/);
    expect(msg({ even: '3' })).toBe('config key `even`: must be even');
  });

  it('rejects an invalid default when the spec is defined', () => {
    expect(assertErrorCode(() => defineConfig({ n: { type: 'int', default: 0, validate: atLeast(1) } }), 'CONFIG').message).toBe(
      'config key `n`: invalid default: config key `n`: must be at least 1, got `0`',
    );
    expect(assertErrorCode(() => defineConfig({ n: { type: 'int', default: 'x' } }), 'CONFIG').message).toMatch(/invalid default: expected INT/);
  });
});

describe('config spec: secrets', () => {
  const secretSpec = defineConfig({
    password: { type: 'password', default: null },
    token: { type: 'string', secret: true, default: null, validate: custom('long tokens', (t) => (String(t).length > 3 ? undefined : `too short, got \`${String(t)}\``)) },
  });

  it('never prints a secret', () => {
    const cfg = secretSpec.parse({ password: 'hunter2', token: 'tok-123' });
    expectTypeOf(cfg.token).toEqualTypeOf<Secret | null>();
    for (const value of [cfg.password, cfg.token]) {
      expect(String(value)).toBe('[hidden]');
      expect(`${String(value)}`).toBe('[hidden]');
      expect(JSON.stringify(value)).toBe('"[hidden]"');
      expect(inspect(value)).toBe('[hidden]');
      expect(inspect(cfg, { showHidden: true, depth: 5 })).not.toMatch(/hunter2|tok-123/);
    }
    expect(JSON.stringify(cfg)).toBe('{"password":"[hidden]","token":"[hidden]"}');
    expect(cfg.password?.reveal()).toBe('hunter2');
    expect(cfg.token?.reveal()).toBe('tok-123');
    expect(secretSpec.secretKeys()).toEqual(['password', 'token']);
    expect(secretSpec.redact({ password: 'hunter2', other: 'x' })).toEqual({ password: '[hidden]', other: 'x' });
  });

  it('hides secrets in validation output and error messages', () => {
    const values = secretSpec.validate({ password: 'hunter2', token: 'ab' });
    expect(values.map((v) => v.value)).toEqual(['[hidden]', '[hidden]']);
    expect(JSON.stringify(values)).not.toMatch(/hunter2|"ab"|`ab`/);
    const infos = secretSpec.configInfos('x', { password: 'hunter2' });
    expect(infos.configs[0]?.value.value).toBe('[hidden]');
    const e = assertErrorCode(() => secretSpec.parse({ token: 'ab' }), 'CONFIG');
    expect(e.message).toBe('config key `token`: too short');
  });
});

describe('config spec: REST shapes and docs', () => {
  const sink = defineConfig({
    topics: {
      type: 'list',
      default: '',
      importance: 'high',
      doc: 'List of topics to consume, separated by commas',
      group: 'Common',
      order: 4,
      width: 'long',
      displayName: 'Topics',
    },
    file: { type: 'string', importance: 'high', doc: 'Destination filename.', group: 'File', order: 1, width: 'medium', dependents: ['topics'] },
    'batch.size': { type: 'int', default: 2000, validate: atLeast(1), importance: 'low', recommended: [100, 2000] },
  });

  it('produces exactly Kafka\'s ConfigInfos JSON', () => {
    const infos = sink.configInfos('org.apache.kafka.connect.file.FileStreamSinkConnector', { topics: '', 'batch.size': '0' });
    expect(JSON.parse(JSON.stringify(infos))).toEqual({
      name: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
      error_count: 2,
      groups: ['Common', 'File'],
      configs: [
        {
          definition: {
            name: 'topics',
            type: 'LIST',
            required: false,
            default_value: '',
            importance: 'HIGH',
            documentation: 'List of topics to consume, separated by commas',
            group: 'Common',
            order: 4,
            width: 'LONG',
            display_name: 'Topics',
            dependents: [],
          },
          value: { name: 'topics', value: '', recommended_values: [], errors: [], visible: true },
        },
        {
          definition: {
            name: 'file',
            type: 'STRING',
            required: true,
            default_value: null,
            importance: 'HIGH',
            documentation: 'Destination filename.',
            group: 'File',
            order: 1,
            width: 'MEDIUM',
            display_name: 'file',
            dependents: ['topics'],
          },
          value: { name: 'file', value: null, recommended_values: [], errors: ['config key `file`: is required and has no default value'], visible: true },
        },
        {
          definition: {
            name: 'batch.size',
            type: 'INT',
            required: false,
            default_value: '2000',
            importance: 'LOW',
            documentation: '',
            group: null,
            order: -1,
            width: 'NONE',
            display_name: 'batch.size',
            dependents: [],
          },
          value: {
            name: 'batch.size',
            value: '0',
            recommended_values: ['100', '2000'],
            errors: ['config key `batch.size`: must be at least 1, got `0`'],
            visible: true,
          },
        },
      ],
    });
    expect(sink.configInfos('x', { file: '/tmp/out' }, ['Common', 'Transforms']).groups).toEqual(['Common', 'Transforms']);
    expect(sink.configInfos('x', { file: '/tmp/out' }).error_count).toBe(0);
  });

  it('lists ConfigKeyInfo for GET /connector-plugins/{p}/config', () => {
    const keys = sink.configKeyInfos();
    expect(keys.map((k) => k.name)).toEqual(['topics', 'file', 'batch.size']);
    expect(keys[1]).toMatchObject({ required: true, default_value: null, type: 'STRING' });
  });

  it('validate() returns ConfigValues with visibility and recommendations from the parsed config', () => {
    const dyn = defineConfig({
      mode: { type: 'string', default: 'bulk' },
      'incrementing.column.name': { type: 'string', default: '', visible: (p) => p['mode'] === 'incrementing', recommended: (p) => (p['mode'] === 'bulk' ? [] : ['id']) },
    });
    expect(dyn.validate({ mode: 'incrementing' })[1]).toEqual({
      name: 'incrementing.column.name',
      value: '',
      recommendedValues: ['id'],
      errors: [],
      visible: true,
    });
    expect(dyn.validate({})[1]?.visible).toBe(false);
  });

  it('renders markdown that documents every key', () => {
    const md = sink.markdown('File sink');
    expect(md.startsWith('## File sink\n')).toBe(true);
    for (const key of sink.keys()) expect(md).toContain(`\`${key}\``);
    expect(md).toContain('### Common');
    expect(md).toContain('| `file` | string | *required* |');
    expect(md).toContain('| `batch.size` | int | `2000` | [1,...] | low |');
  });

  it('shows an empty default as `""` rather than an empty code span', () => {
    const md = defineConfig({ list: { type: 'list', default: '' }, text: { type: 'string', default: '' } }).markdown('Empty');
    expect(md).toContain('| `list` | list | `""` |');
    expect(md).toContain('| `text` | string | `""` |');
  });

  it('merges specs and refuses a key defined twice', () => {
    const common = defineConfig({ name: { type: 'string' }, 'tasks.max': { type: 'int', default: 1, validate: atLeast(1) } });
    const merged = sink.merge(common);
    expect(merged.keys()).toEqual(['topics', 'file', 'batch.size', 'name', 'tasks.max']);
    const cfg = merged.parse({ file: 'f', name: 'n', 'tasks.max': '3' });
    expectTypeOf(cfg['tasks.max']).toEqualTypeOf<number>();
    expect(cfg['tasks.max']).toBe(3);
    expect(assertErrorCode(() => merged.merge(common), 'CONFIG').message).toBe('config key `name`: is defined by both config specs being merged');
  });
});
