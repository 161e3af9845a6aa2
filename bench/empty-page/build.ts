import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import webpack from 'webpack';

/**
 * The baseline of the size and taskpane sections: the smallest React + Fluent UI page, built with
 * the faces' own webpack config (its `faces` entry of the array webpack.config.js exports) into
 * .bench-dist/empty-page/. Built again only when this folder, webpack.config.js or the lock changed
 * (a content hash beside the output, as test/support/build-faces.mjs does for the faces), so the
 * second run, and CI's check after jest, costs nothing here.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
export const EMPTY_DIST = join(root, '.bench-dist/empty-page');
/** Where the store serves it in the taskpane section (the folder is mounted beside the faces). */
export const EMPTY_PUBLIC_PATH = '/addin/bench-empty/';

function inputsHash(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(here).sort()) hash.update(name).update(readFileSync(join(here, name)));
  for (const file of ['webpack.config.js', 'package-lock.json']) if (existsSync(join(root, file))) hash.update(file).update(readFileSync(join(root, file)));
  return hash.digest('hex');
}

export async function ensureEmptyPageBuilt(): Promise<string> {
  const stamp = join(EMPTY_DIST, '.sources-hash');
  const hash = inputsHash();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return EMPTY_DIST;
  const factory = (await import(pathToFileURL(join(root, 'webpack.config.js')).href)).default as (env: unknown, argv: { mode: string }) => webpack.Configuration | webpack.Configuration[];
  const made = factory({}, { mode: 'production' });
  const faces = (Array.isArray(made) ? made : [made]).find((c, i) => c.name === 'faces' || (!Array.isArray(made) && i === 0));
  if (!faces) throw new Error('webpack.config.js has no config named "faces": the empty page must be built like the task pane');
  // Same loaders, resolution, mode and chunk splitting (the shared vendor chunk) as the task pane;
  // only the entry, the page and the output differ. No source maps: they are not shipped bytes.
  const config: webpack.Configuration = {
    ...faces,
    name: 'empty-page',
    dependencies: undefined,
    context: root,
    devtool: false,
    entry: { empty: join(here, 'index.tsx') },
    output: { ...faces.output, path: EMPTY_DIST, publicPath: EMPTY_PUBLIC_PATH, clean: true },
    plugins: [new HtmlWebpackPlugin({ filename: 'empty.html', template: join(here, 'empty.html'), chunks: ['empty'] })],
  };
  await new Promise<void>((done, fail) => {
    webpack(config, (error, stats) => {
      if (error) return fail(error);
      if (stats?.hasErrors()) return fail(new Error(`webpack build of the empty page failed:\n${stats.toString('errors-only')}`));
      done();
    });
  });
  writeFileSync(stamp, hash);
  return EMPTY_DIST;
}
