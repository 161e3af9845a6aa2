import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureFacesBuilt } from '../../test/support/build-faces.mjs';
import { EMPTY_PUBLIC_PATH, ensureEmptyPageBuilt } from '../empty-page/build.js';
import { compare, type Row } from '../measure.js';

/**
 * Bytes a rep's machine downloads, gzipped (the store's static files go out compressed behind any
 * proxy; gzip -6 is what such a proxy does). Cheap: it reads the production build the end-to-end
 * tests use (.test-dist/, built once, cached by a content hash) and the empty-page baseline
 * (cached the same way), so it runs in CI after jest in a second or two.
 */

const KB = 1024;
const gz = (path: string) => gzipSync(readFileSync(path)).length;

/** What loads before first paint: the scripts the page's HTML references from the store (Office.js, Microsoft's, is not ours). */
function firstPaint(dir: string, html: string, publicPath: string): { bytes: number; files: string[] } {
  const page = readFileSync(join(dir, html), 'utf8');
  const prefix = publicPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const files = [...page.matchAll(new RegExp(`<script[^>]+src="?${prefix}([^"\\s>]+)`, 'g'))].map((m) => m[1]!);
  if (files.length === 0) throw new Error(`no scripts under ${publicPath} in ${html}: the measure would read 0 and pass every budget`);
  return { bytes: files.reduce((n, f) => n + gz(join(dir, f)), 0), files };
}

/**
 * The task pane's lazy chunks: every file its runtime can load on demand. Webpack's runtime, in
 * one of the page's first-paint scripts (the boot entry's, taskpane-boot.*.js), maps each async
 * chunk id to its content hash ("[name].[contenthash:8].js"), so a chunk belongs to the task pane
 * when its hash is quoted there. The admin console's chunks are not.
 */
function lazyChunks(dir: string, initial: string[]): { name: string; bytes: number }[] {
  const runtime = initial.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  return readdirSync(dir)
    .filter((f) => !initial.includes(f))
    .map((f) => ({ f, hash: /\.([0-9a-f]{8})\.js$/.exec(f)?.[1] }))
    .filter((c): c is { f: string; hash: string } => c.hash !== undefined && runtime.includes(`"${c.hash}"`))
    .map((c) => ({ name: c.f, bytes: gz(join(dir, c.f)) }))
    .sort((a, b) => b.bytes - a.bytes);
}

/** The first library a chunk's licence file names (webpack writes one beside chunks with licensed code). */
function whatIsIn(dir: string, file: string): string {
  const licence = join(dir, `${file}.LICENSE.txt`);
  const name = existsSync(licence) ? /\/\*!\s*(\S+)/.exec(readFileSync(licence, 'utf8'))?.[1] : undefined;
  return name ? ` (${name}, …)` : '';
}

export async function sizeSection(): Promise<Row[]> {
  const dist = await ensureFacesBuilt();
  const emptyDist = await ensureEmptyPageBuilt();

  const pane = firstPaint(dist, 'taskpane.html', '/addin/');
  const empty = firstPaint(emptyDist, 'empty.html', EMPTY_PUBLIC_PATH);
  const entry = pane.files.find((f) => f.startsWith('taskpane.'));
  if (!entry) throw new Error(`taskpane.html loads no taskpane.*.js (it loads ${pane.files.join(', ')}): the build changed shape`);
  const lazy = lazyChunks(dist, pane.files);
  if (lazy.length === 0) throw new Error('found no lazy chunks of the task pane: its panels are lazy (src/outlook/taskpane/app.tsx), so the lookup is broken');
  const lazyTotal = lazy.reduce((n, c) => n + c.bytes, 0);
  const events = gz(join(dist, 'events.js'));
  const admin = firstPaint(dist, 'admin.html', '/addin/');
  const inbox = firstPaint(dist, 'inbox.html', '/addin/');

  const kb = (n: number) => n / KB;
  return [
    compare({ section: 'size', name: 'task pane JS before first paint (gzipped)', value: kb(pane.bytes), unit: 'KB', higherIsBetter: false, baseline: { name: 'empty React + Fluent UI page, same config', value: kb(empty.bytes) } }),
    { section: 'size', name: 'task pane lazy chunks, total (gzipped)', value: kb(lazyTotal), unit: 'KB', higherIsBetter: false, note: `${lazy.length} chunks, loaded when a panel or sign-in needs them` },
    { section: 'size', name: 'task pane lazy chunks, largest (gzipped)', value: kb(lazy[0]!.bytes), unit: 'KB', higherIsBetter: false, note: `${lazy[0]!.name}${whatIsIn(dist, lazy[0]!.name)}` },
    { section: 'size', name: 'Outlook event bundle events.js (gzipped)', value: kb(events), unit: 'KB', higherIsBetter: false, note: 'one file, ES2016, no React' },
    compare({ section: 'size', name: 'admin console JS before first paint (gzipped)', value: kb(admin.bytes), unit: 'KB', higherIsBetter: false, baseline: { name: 'empty React + Fluent UI page, same config', value: kb(empty.bytes) } }),
    compare({ section: 'size', name: 'team inbox /inbox JS before first paint (gzipped)', value: kb(inbox.bytes), unit: 'KB', higherIsBetter: false, baseline: { name: 'empty React + Fluent UI page, same config', value: kb(empty.bytes) } }),
  ];
}
