import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The runtime the suite runs on is the one the README promises: the `node` devDependency's
 * Node 24 (first on the PATH of every npm script), with the native module built for it and
 * CommonJS packages able to require() ESM-only ones (no compile step for them in jest.config.js).
 */
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string> };
const require = createRequire(import.meta.url);

describe('the runtime', () => {
  it('is Node 24, within the engines package.json declares and the node devDependency pins', () => {
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    expect(pkg.engines.node).toBe('^24.16.0');
    expect(pkg.devDependencies.node).toBe(pkg.engines.node);
    expect(major).toBe(24);
    expect(minor).toBeGreaterThanOrEqual(16);
  });

  it('loads better-sqlite3 (a native module) and runs SQL on it', () => {
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    const db = new Database(':memory:');
    try {
      expect(db.prepare('select 6 * 7 as answer').get()).toEqual({ answer: 42 });
    } finally {
      db.close();
    }
  });

  it('lets CommonJS require() an ESM-only package (cookie, which fastify’s inject needs)', () => {
    const cookie = require('cookie') as typeof import('cookie');
    expect(cookie.parseCookie('a=1; b=two')).toEqual({ a: '1', b: 'two' });
  });
});
