import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTopic, uniqueTopic } from '@sluice/testkit';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { testPlugins } from './test-plugins.ts';
import { WorkerProcess, freePort, propertiesText } from './worker-process.ts';

const plugins = testPlugins();
const secretsRoot = mkdtempSync(join(tmpdir(), 'sluice-secrets-'));
afterAll(() => rmSync(secretsRoot, { recursive: true, force: true }));

/**
 * A source connector with four `password` keys. Its task proves it got the real values by
 * writing their SHA-256 digests to the topic, never the values; and both the connector and the
 * task do what careless code does with secrets: log them, put one in a task config, and fail
 * with them in the error message and its cause.
 */
const PROBE_PLUGIN = `
import { createHash } from 'node:crypto';
import { defineConfig, definePlugin, defineSourceConnector, sourceRecord } from '@sluice/core';

const passwords = ['direct.password', 'file.password', 'dir.password', 'env.password'];
const keys = Object.fromEntries(passwords.map((key) => [key, { type: 'password', importance: 'high', doc: key }]));
const config = defineConfig({ ...keys, topic: { type: 'string', importance: 'high', doc: 'where digests go' } });
const taskConfig = defineConfig({ ...keys, topic: { type: 'string', importance: 'high', doc: 'where digests go' }, 'connection.url': { type: 'string', importance: 'high', doc: 'a url' } });
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const revealed = (config) => passwords.map((key) => config[key].reveal());

const probe = defineSourceConnector({
  name: 'secret-probe',
  config,
  create: () => {
    let settings;
    let timer;
    return {
      start(parsed, ctx) {
        settings = ctx.configs();
        ctx.logger.info('secret-probe connecting with ' + revealed(parsed).join(' / '));
        timer = setTimeout(() => ctx.raiseError(new Error('secret-probe lost its session for ' + revealed(parsed).join(', '))), 1500);
      },
      taskConfigs: () => [{ ...settings, 'connection.url': 'probe://admin:' + settings['direct.password'] + '@db.example/?token=' + settings['env.password'] }],
      stop() {
        clearTimeout(timer);
      },
    };
  },
  task: {
    config: taskConfig,
    create: () => {
      let values;
      let topic;
      let polls = 0;
      return {
        start(parsed, ctx) {
          values = revealed(parsed);
          topic = parsed.topic;
          ctx.logger.warn('secret-probe task using ' + values.join(' and ') + ' at ' + parsed['connection.url']);
        },
        async poll() {
          polls += 1;
          if (polls === 1) {
            const value = JSON.stringify(Object.fromEntries(passwords.map((key, i) => [key, sha256(values[i])])));
            return [sourceRecord({ topic, value, sourcePartition: { probe: 'p' }, sourceOffset: { n: 1 } })];
          }
          // Time for the digest record to be acknowledged before the task fails.
          await new Promise((resolve) => setTimeout(resolve, 1000));
          throw new Error('authentication failed for ' + values.join(', '), { cause: new Error('server rejected ' + values[1]) });
        },
        stop() {},
      };
    },
  },
});

export default definePlugin({ name: 'secret-probe-plugin', version: '1.0.0', connectors: [probe] });
`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Setup {
  readonly dir: string;
  readonly rest: string;
  readonly secrets: { direct: string; file: string; dir: string; env: string };
  readonly files: { properties: string; folder: string };
  readonly env: NodeJS.ProcessEnv;
  readonly topic: string;
  worker(connector: Record<string, string>): Record<string, string>;
}

/** A worker folder with the probe plugin, secret files in an allowed folder, and a secret in the environment. */
async function setup(bootstrap: string): Promise<Setup> {
  const dir = mkdtempSync(join(secretsRoot, 'run-'));
  const allowed = join(dir, 'secrets');
  mkdirSync(join(allowed, 'mounted'), { recursive: true });
  const secrets = { direct: `direct-${randomUUID()}`, file: `file-${randomUUID()}`, dir: `dir-${randomUUID()}`, env: `env-${randomUUID()}` };
  const files = { properties: join(allowed, 'db.properties'), folder: join(allowed, 'mounted') };
  writeFileSync(files.properties, `# the database credentials\nprobe.password=${secrets.file}\nother.password=${randomUUID()}\n`);
  // As `echo … > file` writes it: Kafka's directory provider keeps the newline, so does Sluice.
  writeFileSync(join(files.folder, 'probe-password'), `${secrets.dir}\n`);
  const port = await freePort();
  const pluginPath = plugins.add('secret-probe', PROBE_PLUGIN);
  return {
    dir,
    rest: `http://127.0.0.1:${port}`,
    secrets,
    files,
    env: { PROBE_PASSWORD: secrets.env, PROBE_FLUSH_MS: '1000', SLUICE_LOG_LEVEL: 'debug' },
    topic: uniqueTopic('secrets'),
    worker: () => ({
      'bootstrap.servers': bootstrap,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'offset.storage.file.filename': join(dir, 'connect.offsets'),
      // The worker file uses a provider too, as Kafka allows.
      'offset.flush.interval.ms': '${env:PROBE_FLUSH_MS}',
      'plugin.path': pluginPath,
      listeners: `http://127.0.0.1:${port}`,
      'config.providers': 'file,dir,env',
      'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
      'config.providers.file.param.allowed.paths': allowed,
      'config.providers.dir.class': 'DirectoryConfigProvider',
      'config.providers.dir.param.allowed.paths': allowed,
      'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
      'config.providers.env.param.allowlist.pattern': 'PROBE_.*',
    }),
  };
}

function start(s: Setup, connector: Record<string, string>): WorkerProcess {
  writeFileSync(join(s.dir, 'worker.properties'), propertiesText(s.worker(connector)));
  writeFileSync(join(s.dir, 'probe.properties'), propertiesText(connector));
  return new WorkerProcess(s.dir, ['standalone', 'worker.properties', 'probe.properties'], s.env);
}

function probeConnector(s: Setup, changes: Record<string, string> = {}): Record<string, string> {
  return {
    name: 'probe',
    'connector.class': 'secret-probe',
    'tasks.max': '1',
    topic: s.topic,
    'direct.password': s.secrets.direct,
    'file.password': `\${file:${s.files.properties}:probe.password}`,
    'dir.password': `\${dir:${s.files.folder}:probe-password}`,
    'env.password': '${env:PROBE_PASSWORD}',
    ...changes,
  };
}

/** The secrets, as configured (the directory's file adds a newline). */
const forms = (s: Setup) => Object.values(s.secrets);

describe('secrets on the standalone worker', () => {
  const bootstrap = inject('kafkaBootstrap');
  let worker: WorkerProcess | undefined;
  afterEach(async () => {
    await worker?.stop('SIGKILL');
    worker = undefined;
  });

  it('gives the task the real values from a password key and the file, dir and env providers, and shows none of them in logs or REST', async () => {
    const s = await setup(bootstrap);
    worker = start(s, probeConnector(s));
    const failed = (body: unknown) => {
      const status = body as { connector?: { state?: string }; tasks?: { state?: string; trace?: string }[] };
      return status.connector?.state === 'FAILED' && status.tasks?.[0]?.state === 'FAILED' && (status.tasks[0].trace ?? '').includes('authentication failed');
    };
    await worker.waitFor(`${s.rest}/connectors/probe/status`, failed);

    // The task got the real values: the digests of exactly what was configured.
    const [record] = await readTopic(bootstrap, s.topic, 1);
    expect(JSON.parse(record!.value!.toString())).toEqual({
      'direct.password': sha256(s.secrets.direct),
      'file.password': sha256(s.secrets.file),
      // The file's newline is kept by the provider and trimmed by the password key, as in Kafka.
      'dir.password': sha256(s.secrets.dir),
      'env.password': sha256(s.secrets.env),
    });

    const paths = [
      '/',
      '/connectors',
      '/connectors?expand=status&expand=info',
      '/connectors/probe',
      '/connectors/probe/config',
      '/connectors/probe/status',
      '/connectors/probe/tasks',
      '/connectors/probe/tasks-config',
      '/connectors/probe/tasks/0/status',
      '/connectors/probe/offsets',
      '/connectors/probe/topics',
      '/connector-plugins',
      '/connector-plugins?connectorsOnly=false',
      '/connector-plugins/secret-probe/config',
      '/admin/loggers',
    ];
    const bodies = new Map<string, string>();
    for (const path of paths) {
      const response = await fetch(`${s.rest}${path}`);
      expect(response.status, path).toBe(200);
      bodies.set(path, await response.text());
    }
    const validate = await fetch(`${s.rest}/connector-plugins/secret-probe/config/validate`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(probeConnector(s)),
    });
    expect(validate.status).toBe(200);
    bodies.set('PUT validate', await validate.text());
    expect(await worker.stop('SIGTERM')).toBe(0);

    for (const secret of forms(s)) {
      for (const [path, body] of bodies) expect(body, `GET ${path}`).not.toContain(secret);
      expect(worker.output, 'the worker log').not.toContain(secret);
    }

    // What shows instead: the raw references, and [hidden] where a value was or held a secret.
    const config = JSON.parse(bodies.get('/connectors/probe/config')!) as Record<string, string>;
    expect(config).toEqual({ ...probeConnector(s), 'direct.password': '[hidden]' });
    const [task] = JSON.parse(bodies.get('/connectors/probe/tasks')!) as { config: Record<string, string> }[];
    expect(task!.config).toEqual({ ...probeConnector(s), 'direct.password': '[hidden]', 'connection.url': '[hidden]' });
    // Validation shows password values [hidden], as Kafka Connect does, references included.
    const validated = JSON.parse(bodies.get('PUT validate')!) as { error_count: number; configs: { value: { name: string; value: string | null } }[] };
    expect(validated.error_count).toBe(0);
    const shown = Object.fromEntries(validated.configs.map((c) => [c.value.name, c.value.value]));
    expect(shown).toMatchObject({ 'direct.password': '[hidden]', 'file.password': '[hidden]', 'dir.password': '[hidden]', 'env.password': '[hidden]', topic: s.topic });
    const status = JSON.parse(bodies.get('/connectors/probe/status')!) as { connector: { trace: string }; tasks: { trace: string }[] };
    expect(status.connector.trace).toContain('secret-probe lost its session for [hidden], [hidden], [hidden], [hidden]');
    expect(status.tasks[0]!.trace).toContain('authentication failed for [hidden], [hidden], [hidden], [hidden]');
    expect(status.tasks[0]!.trace).toContain('Caused by: Error: server rejected [hidden]');
    expect(worker.output).toContain('secret-probe connecting with [hidden] / [hidden] / [hidden] / [hidden]');
    expect(worker.output).toContain('secret-probe task using [hidden] and [hidden] and [hidden] and [hidden] at probe://admin:[hidden]@db.example/?token=[hidden]');
  });

  it('refuses to start a connector whose provider lacks the key or may not read the path, naming the config key and no secret', async () => {
    const s = await setup(bootstrap);
    const outside = join(s.dir, 'outside.properties');
    writeFileSync(outside, `probe.password=${s.secrets.file}\n`);
    const refused = async (changes: Record<string, string>, message: string) => {
      worker = start(s, probeConnector(s, changes));
      expect(await worker.exited).toBe(1);
      expect(worker.output).toContain(message);
      for (const secret of forms(s)) expect(worker.output).not.toContain(secret);
    };
    await refused(
      { 'file.password': `\${file:${s.files.properties}:absent.password}` },
      `config key \`file.password\`: \`\${file:${s.files.properties}:absent.password}\`: ${s.files.properties} has no key \`absent.password\``,
    );
    await refused(
      { 'file.password': `\${file:${outside}:probe.password}` },
      `config key \`file.password\`: \`\${file:${outside}:probe.password}\`: path ${outside} is outside the allowed.paths of config provider \`file\``,
    );
    await refused({ 'env.password': '${env:HOME}' }, 'config key `env.password`: `${env:HOME}`: environment variable HOME does not match allowlist.pattern `PROBE_.*`');
  });
});
