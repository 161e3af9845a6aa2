import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import webpack from 'webpack';

/**
 * Builds the faces (webpack, production mode) once into .test-dist/ for the end-to-end tests,
 * and again only when src/, manifest/, webpack.config.js or the lock changed since (a content hash is kept
 * beside the output). Called from jest's global set-up, so parallel suites never build twice.
 * Plain JS because jest loads global set-up without the test transform's module mapping.
 */
export const TEST_DIST = resolve('.test-dist');

function sourcesHash() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(path).update(readFileSync(path));
    }
  };
  walk(resolve('src'));
  if (existsSync(resolve('manifest'))) walk(resolve('manifest'));
  for (const file of ['webpack.config.js', 'package-lock.json']) if (existsSync(file)) hash.update(readFileSync(file));
  return hash.digest('hex');
}

export async function ensureFacesBuilt() {
  const stamp = join(TEST_DIST, '.sources-hash');
  const hash = sourcesHash();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return TEST_DIST;
  const factory = (await import(pathToFileURL(resolve('webpack.config.js')).href)).default;
  const made = factory({}, { mode: 'production' });
  // One output dir for all configs: only the first may clean it.
  const configs = (Array.isArray(made) ? made : [made]).map((config, i) => ({
    ...config,
    devtool: false,
    output: { ...config.output, path: TEST_DIST, clean: i === 0 },
  }));
  await new Promise((done, fail) => {
    webpack(configs, (error, stats) => {
      if (error) return fail(error);
      if (stats?.hasErrors()) return fail(new Error(`webpack build for the end-to-end tests failed:\n${stats.toString('errors-only')}`));
      done();
    });
  });
  writeFileSync(stamp, hash);
  return TEST_DIST;
}
