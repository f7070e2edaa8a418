import { readFile } from 'node:fs/promises';
import { configError } from '@sluice/core';

/** One login module line of a JAAS entry: `Class flag key="value" …;`. */
export interface JaasModule {
  readonly className: string;
  readonly flag: string;
  readonly options: ReadonlyMap<string, string>;
}

const FLAGS = new Set(['required', 'requisite', 'sufficient', 'optional']);

type Token = { kind: 'word' | 'string'; text: string } | { kind: 'punct'; text: '{' | '}' | ';' | '=' };

/** Words, quoted strings and `{ } ; =`, without `//`, `#` and `/* … *\/` comments, as Java's ConfigFile tokenizes. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (text.startsWith('//', i) || c === '#') i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new Error('a /* comment is not closed');
      i = end + 2;
    } else if (c === '{' || c === '}' || c === ';' || c === '=') {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== c; j++) value += text[j] === '\\' && j + 1 < text.length ? text[++j] : text[j];
      if (j >= text.length) throw new Error('a quoted value is not closed');
      tokens.push({ kind: 'string', text: value });
      i = j + 1;
    } else {
      const match = /^[^\s{};="'#]+/.exec(text.slice(i))!;
      tokens.push({ kind: 'word', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

/** The entries of a JAAS login configuration file (`Name { Module flag options; … };`), by name. */
export function parseJaasConfig(text: string): Map<string, JaasModule[]> {
  const tokens = tokenize(text);
  let at = 0;
  const next = (): Token => {
    const token = tokens[at++];
    if (token === undefined) throw new Error('the file ends inside an entry');
    return token;
  };
  const expect = (punct: string) => {
    const token = next();
    if (token.kind !== 'punct' || token.text !== punct) throw new Error(`expected \`${punct}\`, found \`${token.text}\``);
  };
  const entries = new Map<string, JaasModule[]>();
  while (at < tokens.length) {
    const name = next();
    if (name.kind === 'punct') throw new Error(`expected an entry name, found \`${name.text}\``);
    expect('{');
    const modules: JaasModule[] = [];
    for (let token = next(); !(token.kind === 'punct' && token.text === '}'); token = next()) {
      if (token.kind !== 'word') throw new Error(`expected a login module class in entry ${name.text}, found \`${token.text}\``);
      const flag = next();
      if (flag.kind !== 'word' || !FLAGS.has(flag.text.toLowerCase())) throw new Error(`login module ${token.text} needs a flag (required, requisite, sufficient or optional), found \`${flag.text}\``);
      const options = new Map<string, string>();
      for (let option = next(); !(option.kind === 'punct' && option.text === ';'); option = next()) {
        if (option.kind !== 'word') throw new Error(`expected an option of ${token.text}, found \`${option.text}\``);
        expect('=');
        const value = next();
        if (value.kind === 'punct') throw new Error(`option ${option.text} of ${token.text} has no value`);
        options.set(option.text, value.text);
      }
      modules.push({ className: token.text, flag: flag.text.toLowerCase(), options });
    }
    expect(';');
    entries.set(name.text, modules);
  }
  return entries;
}

/** The entry Kafka's basic auth extension logs in with. */
export const CONNECT_JAAS_ENTRY = 'KafkaConnect';
const PROPERTY_FILE_LOGIN_MODULE = 'org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule';

/**
 * The users file of the `KafkaConnect` entry of a JAAS file, which must use Kafka's
 * PropertyFileLoginModule: `KafkaConnect { …PropertyFileLoginModule required file="/path"; };`.
 * Other login modules (LDAP, Kerberos …) are Java code Sluice cannot run, so they are refused.
 *
 * @param key the config key (or environment variable) that named the JAAS file
 */
export async function usersFileOfJaas(path: string, key: string): Promise<string> {
  let entries: Map<string, JaasModule[]>;
  try {
    entries = parseJaasConfig(await readFile(path, 'utf8'));
  } catch (error) {
    throw configError(key, `JAAS file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const modules = entries.get(CONNECT_JAAS_ENTRY);
  if (modules === undefined) throw configError(key, `JAAS file ${path} has no \`${CONNECT_JAAS_ENTRY}\` entry, which BasicAuthSecurityRestExtension logs in with`);
  if (modules.length !== 1 || (modules[0]!.className !== PROPERTY_FILE_LOGIN_MODULE && modules[0]!.className !== 'PropertyFileLoginModule')) {
    const found = modules.map((m) => m.className).join(', ') || 'no login module';
    throw configError(key, `JAAS file ${path}: Sluice supports one login module in \`${CONNECT_JAAS_ENTRY}\`, ${PROPERTY_FILE_LOGIN_MODULE}; found ${found}`);
  }
  const file = modules[0]!.options.get('file');
  if (file === undefined || file.trim() === '') throw configError(key, `JAAS file ${path}: PropertyFileLoginModule needs its \`file\` option`);
  return file;
}

/** `-Djava.security.auth.login.config=<path>` (or `==`) in `KAFKA_OPTS`, as Kafka's start scripts pass it to the JVM. */
export function jaasFileOfKafkaOpts(kafkaOpts: string | undefined): string | undefined {
  const match = /(?:^|\s)-Djava\.security\.auth\.login\.config==?("[^"]*"|'[^']*'|\S+)/.exec(kafkaOpts ?? '');
  if (!match) return undefined;
  return match[1]!.replace(/^["']|["']$/g, '').replace(/^file:(\/\/)?/, '');
}
