import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { compare, type Row } from '../measure.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function gzippedJs(dir: string, html: string): { firstPaint: number; files: string[] } {
  // What loads before first paint: the scripts the page's HTML references.
  const page = readFileSync(join(dir, html), 'utf8');
  const files = [...page.matchAll(/<script[^>]+src="?\/addin\/([^"\s>]+)/g)].map((m) => m[1]!);
  if (files.length === 0) throw new Error(`no scripts found in ${html}: the measure would read 0 and pass every budget`);
  return { firstPaint: files.reduce((n, f) => n + gzipSync(readFileSync(join(dir, f))).length, 0), files };
}

/** Builds the task pane with the production config, and beside it an empty React + Fluent UI page built the same way. */
export async function bundleSection(): Promise<Row[]> {
  const out = mkdtempSync(join(tmpdir(), 'tp-bundle-'));
  const webpack = join(root, 'node_modules/webpack-cli/bin/cli.js');
  execFileSync(process.execPath, [webpack, '--mode', 'production', '--output-path', join(out, 'app')], { cwd: root, stdio: 'pipe' });


  const emptyDir = join(root, 'bench/empty-page');
  const config = join(out, 'empty.config.mjs');
  writeFileSync(
    config,
    `import base from ${JSON.stringify(join(root, 'webpack.config.js'))};\nimport HtmlWebpackPlugin from ${JSON.stringify(join(root, 'node_modules/html-webpack-plugin/index.js'))};\nexport default (env, argv) => { const c = base(env, argv); return { ...c, context: ${JSON.stringify(root)}, entry: { empty: ${JSON.stringify(join(emptyDir, 'index.tsx'))} }, output: { ...c.output, path: ${JSON.stringify(join(out, 'empty'))} }, plugins: [new HtmlWebpackPlugin({ filename: 'empty.html', template: ${JSON.stringify(join(emptyDir, 'empty.html'))}, chunks: ['empty'] })] }; };\n`,
  );
  execFileSync(process.execPath, [webpack, '--mode', 'production', '--config', config], { cwd: root, stdio: 'pipe' });

  const app = gzippedJs(join(out, 'app'), 'taskpane.html');
  const empty = gzippedJs(join(out, 'empty'), 'empty.html');
  const all = readdirSync(join(out, 'app')).filter((f) => f.endsWith('.js'));
  return [
    compare({ section: 'bundle', name: 'task pane JS before first paint (gzipped)', value: app.firstPaint / 1024, unit: 'KB', higherIsBetter: false, baseline: { name: 'empty React + Fluent UI page, same config', value: empty.firstPaint / 1024 } }),
    { section: 'bundle', name: 'task pane: all JS files', value: all.length, unit: 'files', higherIsBetter: false, note: all.join(', ') },
  ];
}
