import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { PackageJson } from './layout.ts';

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const bytes = header.subarray(start, start + length);
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? length : end).toString('utf8');
}

/** The `path` record of a pax extended header (`<length> path=<value>\n`), if it has one. */
function paxPath(body: Buffer): string | undefined {
  for (const record of body.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * The package.json inside an npm package tarball (`npm pack` output: a gzipped tar whose one
 * top folder, `package/`, holds the package), read without unpacking anything, so a plugin
 * can be checked before npm installs it.
 */
export function readTarballManifest(file: string): PackageJson {
  let data: Buffer;
  try {
    data = gunzipSync(readFileSync(file));
  } catch (error) {
    throw new Error(`${file} is not a gzipped npm package tarball (npm pack makes one): ${(error as Error).message}`, { cause: error });
  }
  let nextPath: string | undefined;
  for (let offset = 0; offset + BLOCK <= data.length; ) {
    const header = data.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = field(header, 156, 1) || '0';
    const prefix = field(header, 345, 155);
    const path = nextPath ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    const body = data.subarray(offset + BLOCK, offset + BLOCK + size);
    nextPath = undefined;
    if (type === 'x') nextPath = paxPath(body);
    else if (type === 'L') nextPath = field(body, 0, body.length);
    else if (type === '0' && /^[^/]+\/package\.json$/.test(path.replace(/^\.\//, ''))) {
      try {
        return JSON.parse(body.toString('utf8')) as PackageJson;
      } catch (error) {
        throw new Error(`${file}: its package.json is not valid JSON: ${(error as Error).message}`, { cause: error });
      }
    }
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new Error(`${file} holds no package.json: not an npm package tarball (npm pack makes one)`);
}
