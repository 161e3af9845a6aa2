import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import webpack from 'webpack';

/**
 * Builds the faces (webpack, production mode) once into .test-dist/ for the end-to-end tests, and
 * again only when something the build read changed: the source files webpack reported it used (so
 * editing the server or the CLI does not rebuild the faces), manifest/, assets/, webpack.config.js
 * or the lock. The list and a content hash are kept beside the output. Called from jest's global
 * set-up, so parallel suites never build twice.
 * Plain JS because jest loads global set-up without the test transform's module mapping.
 */
export const TEST_DIST = resolve('.test-dist');
const STAMP = join(TEST_DIST, '.sources.json');

function walk(dir, files) {
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, files);
    else files.push(path);
  }
  return files;
}

/** The hash of the build's inputs: the sources it used (relative paths) and what every build reads. */
function inputsHash(sources, read = readFileSync) {
  const hash = createHash('sha256');
  const fixed = [...walk(resolve('manifest'), []), ...walk(resolve('assets'), []), resolve('webpack.config.js'), resolve('package-lock.json')];
  for (const file of [...fixed, ...sources.map((s) => resolve(s))]) {
    hash.update(relative(resolve('.'), file)).update('\0');
    // A source that is gone changes the hash (the build must fail or change without it).
    hash.update(existsSync(file) ? read(file) : 'missing').update('\0');
  }
  return hash.digest('hex');
}

function builtIsCurrent() {
  try {
    const { sources, hash } = JSON.parse(readFileSync(STAMP, 'utf8'));
    return Array.isArray(sources) && sources.length > 0 && inputsHash(sources) === hash;
  } catch {
    return false;
  }
}

export async function ensureFacesBuilt() {
  if (builtIsCurrent()) return TEST_DIST;
  // The sources as they are now: a file saved during the build must leave the stamp stale.
  const before = new Map(walk(resolve('src'), []).map((file) => [file, readFileSync(file)]));
  const factory = (await import(pathToFileURL(resolve('webpack.config.js')).href)).default;
  const made = factory({}, { mode: 'production' });
  // One output dir for all configs: only the first may clean it.
  const configs = (Array.isArray(made) ? made : [made]).map((config, i) => ({
    ...config,
    devtool: false,
    output: { ...config.output, path: TEST_DIST, clean: i === 0 },
  }));
  const used = await new Promise((done, fail) => {
    webpack(configs, (error, stats) => {
      if (error) return fail(error);
      if (stats?.hasErrors()) return fail(new Error(`webpack build for the end-to-end tests failed:\n${stats.toString('errors-only')}`));
      // Every file any of the builds read (modules, HTML templates), as webpack tracked them.
      const files = new Set();
      for (const one of stats.stats) for (const file of one.compilation.fileDependencies) files.add(file);
      done(files);
    });
  });
  const src = resolve('src');
  // (webpack also lists the folders it looked in; only files are inputs.)
  const sources = [...used]
    .filter((file) => file.startsWith(src + sep) && statSync(file, { throwIfNoEntry: false })?.isFile())
    .map((file) => relative(resolve('.'), file))
    .sort();
  writeFileSync(STAMP, JSON.stringify({ sources, hash: inputsHash(sources, (file) => before.get(file) ?? readFileSync(file)) }));
  return TEST_DIST;
}
