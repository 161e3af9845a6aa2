import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ENV_VARS } from '../../src/server/config.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
const ciRun = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');

describe('the README stays true', () => {
  it('documents every environment variable the store reads, with its default', () => {
    for (const v of ENV_VARS) expect(readme).toContain(`| \`${v.name}\` |`);
  });

  it('lists in ENV_VARS every variable config.ts actually reads', () => {
    const source = readFileSync(new URL('../../src/server/config.ts', import.meta.url), 'utf8');
    const read = new Set([...source.matchAll(/env\.([A-Z_]+)|integer\(env, '([A-Z_]+)'/g)].map((m) => m[1] ?? m[2]));
    expect(read.size).toBeGreaterThan(10);
    expect([...read].filter((name) => !ENV_VARS.some((v) => v.name === name))).toEqual([]);
  });

  it('gives the two set-up commands, and CI runs exactly the test command', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toMatch(/^npm test\s*$/m);
    expect(packageJson.scripts.start).toBeDefined();
    expect(ciRun).toMatch(/^npm test$/m);
  });
});
