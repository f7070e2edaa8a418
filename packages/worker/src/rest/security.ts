import { configError } from '@sluice/core';
import type { ConfigOf } from '@sluice/core';
import type { FastifyInstance } from 'fastify';
import { BasicAuthenticator, requireBasicAuth } from './basic-auth.ts';
import { allowCors, corsPolicy } from './cors.ts';
import type { CorsPolicy } from './cors.ts';
import { jaasFileOfKafkaOpts, usersFileOfJaas } from './jaas-config.ts';
import type { restSecurityConfig } from './security-config.ts';

/** What every REST listener of a worker applies before its routes. TLS is per listener: see tls.ts. */
export interface RestSecurity {
  readonly cors?: CorsPolicy;
  readonly basicAuth?: BasicAuthenticator;
}

export const BASIC_AUTH_EXTENSION = 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension';

type SecurityKeys = Pick<
  ConfigOf<typeof restSecurityConfig>,
  'rest.extension.classes' | 'rest.basic.auth.jaas.file' | 'rest.basic.auth.users.file' | 'access.control.allow.origin' | 'access.control.allow.methods'
>;

/**
 * Basic auth and CORS from a worker config. Basic auth is on with Kafka's setup —
 * `rest.extension.classes` naming BasicAuthSecurityRestExtension and a JAAS file whose
 * `KafkaConnect` entry names a users file, found through `rest.basic.auth.jaas.file` or else
 * `-Djava.security.auth.login.config=` in `KAFKA_OPTS` — or with Sluice's
 * `rest.basic.auth.users.file` alone.
 *
 * @param env where `KAFKA_OPTS` is looked up
 */
export async function restSecurity(config: SecurityKeys, env: Readonly<Record<string, string | undefined>>): Promise<RestSecurity> {
  const extensions = config['rest.extension.classes'];
  for (const extension of extensions) {
    if (extension !== BASIC_AUTH_EXTENSION && extension !== 'BasicAuthSecurityRestExtension') {
      throw configError('rest.extension.classes', `\`${extension}\` is a Java REST extension Sluice cannot run; Sluice provides ${BASIC_AUTH_EXTENSION} only`);
    }
  }
  const usersFile = config['rest.basic.auth.users.file'];
  const jaasFile = config['rest.basic.auth.jaas.file'];
  let basicAuth: BasicAuthenticator | undefined;
  if (usersFile !== null && jaasFile !== null) {
    throw configError('rest.basic.auth.users.file', 'give either a users file or rest.basic.auth.jaas.file, not both');
  }
  if (usersFile !== null) {
    basicAuth = await BasicAuthenticator.fromFile(usersFile, 'rest.basic.auth.users.file');
  } else if (extensions.length > 0) {
    const fromOpts = jaasFileOfKafkaOpts(env.KAFKA_OPTS);
    const key = jaasFile !== null ? 'rest.basic.auth.jaas.file' : 'KAFKA_OPTS';
    const jaas = jaasFile ?? fromOpts;
    if (jaas === undefined) {
      throw configError(
        'rest.extension.classes',
        'BasicAuthSecurityRestExtension needs a JAAS file: set rest.basic.auth.jaas.file, or pass -Djava.security.auth.login.config=<file> in the KAFKA_OPTS environment variable as for Kafka (or set rest.basic.auth.users.file)',
      );
    }
    const users = await usersFileOfJaas(jaas, key);
    basicAuth = await BasicAuthenticator.fromFile(users, key);
  } else if (jaasFile !== null) {
    throw configError('rest.basic.auth.jaas.file', `takes effect only with rest.extension.classes=${BASIC_AUTH_EXTENSION}`);
  }
  const cors = corsPolicy(config['access.control.allow.origin'], config['access.control.allow.methods']);
  return { ...(cors ? { cors } : {}), ...(basicAuth ? { basicAuth } : {}) };
}

/** Installs the hooks: CORS first, so preflights are answered without credentials, then basic auth. */
export function applyRestSecurity(app: FastifyInstance, security: RestSecurity): void {
  if (security.cors) allowCors(app, security.cors);
  if (security.basicAuth) requireBasicAuth(app, security.basicAuth);
}
