import { defineConfig, oneOf } from '@sluice/core';
import type { ConfigOf } from '@sluice/core';

/**
 * Kafka's SSL keys as the REST server reads them, with Kafka's names and defaults. Kafka reads
 * them with the prefix `listeners.https.` when any key has that prefix, and unprefixed
 * otherwise (never a mix): see {@link sslSettings}.
 */
export const sslConfig = defineConfig({
  'ssl.keystore.type': {
    type: 'string',
    default: 'JKS',
    importance: 'medium',
    doc: 'Format of the key store: `PKCS12` or `PEM`. With `JKS` (the default) the file is read as PKCS12 when it is one, as Java does; a real JKS or JCEKS file is refused with the keytool command that converts it.',
  },
  'ssl.keystore.location': { type: 'string', default: null, importance: 'high', doc: 'Key store file of an https listener: PKCS12, or PEM holding the private key and the certificate chain.' },
  'ssl.keystore.password': { type: 'password', default: null, importance: 'high', doc: 'Password of a PKCS12 key store (not allowed with PEM).' },
  'ssl.key.password': { type: 'password', default: null, importance: 'high', doc: 'Password of an encrypted PEM private key.' },
  'ssl.keystore.key': { type: 'password', default: null, importance: 'high', doc: 'The private key in PEM (PKCS#8), inline, with `ssl.keystore.type=PEM`.' },
  'ssl.keystore.certificate.chain': { type: 'password', default: null, importance: 'high', doc: 'The certificate chain in PEM, inline, with `ssl.keystore.type=PEM`.' },
  'ssl.truststore.type': {
    type: 'string',
    default: 'JKS',
    importance: 'medium',
    doc: 'Format of the trust store; Sluice reads `PEM` only (the error for another format says how to convert).',
  },
  'ssl.truststore.location': { type: 'string', default: null, importance: 'high', doc: 'PEM file of the certificates that client certificates must chain to.' },
  'ssl.truststore.password': { type: 'password', default: null, importance: 'high', doc: 'Password of the trust store (not allowed with PEM).' },
  'ssl.truststore.certificates': { type: 'password', default: null, importance: 'high', doc: 'Trusted certificates in PEM, inline, with `ssl.truststore.type=PEM`.' },
  'ssl.client.auth': {
    type: 'string',
    default: 'none',
    validate: oneOf('none', 'requested', 'required'),
    importance: 'medium',
    doc: 'Client certificates on https listeners: `required`, `requested` (checked when sent) or `none`.',
  },
  'ssl.enabled.protocols': { type: 'list', default: 'TLSv1.2,TLSv1.3', importance: 'medium', doc: 'TLS versions an https listener accepts.' },
  'ssl.protocol': { type: 'string', default: 'TLSv1.3', importance: 'medium', doc: '`TLSv1.2` caps the accepted versions at TLS 1.2; `TLS` and `TLSv1.3` do not.' },
});

export type SslConfig = ConfigOf<typeof sslConfig>;

/** The worker keys of REST security besides the SSL ones: extensions, basic auth and CORS. */
const restKeys = defineConfig({
  'rest.extension.classes': {
    type: 'list',
    default: '',
    importance: 'low',
    doc: 'REST extensions. Sluice knows `org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension` (HTTP basic auth from a JAAS file); any other is refused.',
  },
  'rest.basic.auth.jaas.file': {
    type: 'string',
    default: null,
    importance: 'low',
    doc: 'Sluice only: the JAAS file of BasicAuthSecurityRestExtension, which Kafka takes from `-Djava.security.auth.login.config`. When unset, Sluice reads that option from the environment variable `KAFKA_OPTS`.',
  },
  'rest.basic.auth.users.file': {
    type: 'string',
    default: null,
    importance: 'low',
    doc: 'Sluice only: a users file (`user=password` per line; the password plain or `scrypt$…`) that turns HTTP basic auth on without a JAAS file.',
  },
  'access.control.allow.origin': {
    type: 'string',
    default: '',
    importance: 'low',
    doc: 'Origins allowed to call the REST API from a browser (CORS), separated by commas; `*` allows any, and `*` inside an origin matches any text. Empty: same origin only.',
  },
  'access.control.allow.methods': {
    type: 'string',
    default: '',
    importance: 'low',
    doc: 'Methods allowed in cross-origin requests, separated by commas; empty means GET,POST,HEAD.',
  },
});

/** Every REST security key of a worker config; merged into the standalone (and distributed) worker specs. */
export const restSecurityConfig = restKeys.merge(sslConfig);
