// The CLI as built JavaScript: `node bin/cli-build.js` (run by `npm run build`) compiles the
// TypeScript the `tradepane` command can reach, file by file, into dist-cli/ (same layout as src/),
// and bin/tradepane.js runs that build while it is fresh (see docs/performance.md, "CLI").
// Plain JavaScript: it runs before anything can compile TypeScript.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = 'src/cli/main.ts';
const OUT = 'dist-cli';
const STAMP = '.built.json';

/**
 * The built entry module's URL when dist-cli/ holds a build of the current sources: every source
 * file it was built from is still there and none was changed since. Else null. Costs one stat per
 * source file (a few ms), so it runs on every start.
 */
export function freshBuild(root = ROOT) {
  const out = join(root, OUT);
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(out, STAMP), 'utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(stamp.sources) || typeof stamp.builtAt !== 'number') return null;
  for (const source of stamp.sources) {
    try {
      // A changed source is newer than the build; a new file only matters once a changed file imports it.
      if (statSync(join(root, source)).mtimeMs > stamp.builtAt) return null;
    } catch {
      return null;
    }
  }
  const entry = join(out, stamp.entry);
  return existsSync(entry) ? pathToFileURL(entry).href : null;
}

/** Compiles what src/cli/main.ts reaches (static and dynamic imports) into dist-cli/. */
export async function buildCli(root = ROOT) {
  const esbuild = await import('esbuild'); // tsx's compiler, installed with it
  const out = join(root, OUT);
  const startedAt = Date.now();
  // Find the sources by bundling in memory (packages stay external), then compile each one alone,
  // so lazy `await import()`s stay lazy and paths beside a module (import.meta.url) still hold.
  const probe = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [ENTRY],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  // esbuild names inputs by their real path (src/ may be a link), relative to the working folder.
  const src = realpathSync(join(root, 'src'));
  const sources = Object.keys(probe.metafile.inputs)
    .map((file) => resolve(root, file))
    .filter((file) => file.startsWith(src + sep) && /\.tsx?$/.test(file))
    .map((file) => join('src', relative(src, file)))
    .sort();
  if (!sources.some((file) => file === join(...ENTRY.split('/')))) throw new Error(`building the CLI: ${ENTRY} was not among the sources found`);
  rmSync(out, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: sources.map((file) => join(src, relative('src', file))),
    outdir: OUT,
    outbase: src,
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    logLevel: 'warning',
  });
  // Files the sources read beside themselves (e.g. the demo pack's YAML).
  const dirs = new Set(sources.map((file) => dirname(file)));
  for (const dir of dirs) {
    for (const name of readdirSync(join(root, dir))) {
      if (/\.(tsx?|md|html|css)$/.test(name) || !statSync(join(root, dir, name)).isFile()) continue;
      const target = join(out, relative('src', dir), name);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(root, dir, name), target);
    }
  }
  // builtAt is when the build started: a source saved during the build makes it stale at once.
  writeFileSync(join(out, STAMP), `${JSON.stringify({ builtAt: startedAt, entry: 'cli/main.js', sources }, null, 1)}\n`);
  return { out, sources: sources.length, ms: Date.now() - startedAt };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { out, sources, ms } = await buildCli();
  console.log(`built the tradepane CLI: ${sources} files into ${relative(process.cwd(), out) || out} in ${ms} ms`);
}
