import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { ensureFacesBuilt } from '../../test/support/build-faces.mjs';
import { CHROMIUM_PATH, collectPageErrors } from '../../test/support/browser.js';
import { EMPTY_PUBLIC_PATH, ensureEmptyPageBuilt } from '../empty-page/build.js';
import { compare, median, percentile, sortedCopy, type Row } from '../measure.js';

/**
 * Time from navigation start to the template list on screen, in headless Chromium: the real task
 * pane (production build), served by a real `tradepane serve --dev` process (SQLite, the demo
 * tenant), signed in as the demo rep with the dev token, inside the playground, whose Office.js
 * stand-in is what the end-to-end tests use in place of Microsoft's CDN. Beside it, the same
 * measure for the empty React + Fluent UI page (time to its first rendered element), served by the
 * same store from the same frame. Both from cold: a fresh browser context for every load and the
 * cache disabled, so every script, and the rep's templates, come over the wire.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const REP = 'rep@demo.tradepane.test';
const ADMIN = 'admin@demo.tradepane.test';
const RUNS = Number(process.env.BENCH_TASKPANE_RUNS ?? 10);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_TASKPANE_RUNS: expected a whole number ≥ 1, got "${process.env.BENCH_TASKPANE_RUNS}"`);
const PANE_PATH = '/addin/taskpane.html';
const EMPTY_PATH = `${EMPTY_PUBLIC_PATH}empty.html`;

interface Store {
  base: string;
  stop(): Promise<void>;
}

/** `tradepane serve --dev` in a working folder whose ./dist (the add-in files) is the faces plus the empty page. */
async function startStore(work: string): Promise<Store> {
  const child = spawn(process.execPath, [join(root, 'bin/tradepane.js'), 'serve', '--dev', '--port', '0'], {
    cwd: work,
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'bench', DATABASE_URL: '', TRADEPANE_DATA_DIR: join(work, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  let listening: RegExpExecArray | null = null;
  while (!(listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`the store did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base: listening[1]!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

declare global {
  interface Window {
    /** Set by the init script below in the measured frame: ms since its navigation started. */
    __benchVisible?: { inDom: number; painted: number };
  }
}

/**
 * Runs in every frame before its own scripts. In the measured page it watches the DOM for the
 * target, then waits for the next frame to be painted (requestAnimationFrame, then a task) and
 * records the time since the frame's navigation started (performance.now()'s origin). Only
 * querySelector in the mutation callback: forcing layout there would slow what is measured.
 * Plain source text: tsx rewrites a function's own text (it adds `__name` calls the page lacks).
 */
const watchForTarget = (targets: Record<string, string>) => `(() => {
  const selector = ${JSON.stringify(targets)}[location.pathname];
  if (!selector) return;
  let inDom = 0;
  const painted = () => requestAnimationFrame(() => {
    const box = document.querySelector(selector)?.getBoundingClientRect();
    if (!box || box.width === 0 || box.height === 0) return painted();
    setTimeout(() => (window.__benchVisible = { inDom, painted: performance.now() }));
  });
  const observer = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    observer.disconnect();
    inDom = performance.now();
    painted();
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

interface Load {
  /** ms from the frame's navigation start to its target painted */
  visible: number;
  /** when the last of the scripts its HTML names arrived */
  scripts: number;
  /** when the last lazy chunk that arrived before the list was painted arrived (NaN: none) */
  lazy: number;
  /** when the rep's packs arrived (the pane only) */
  packs: number;
}

/** One cold load of the pane (or the empty page) in the task pane's frame of a fresh playground. */
async function coldLoad(browser: Browser, base: string, target: 'pane' | 'empty', demoOnly = true): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  try {
    // Nothing may leave this machine: Office.js is the playground's stand-in, the store is on 127.0.0.1.
    await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => route.abort());
    // The playground opens the pane at once; hold it back (a blank page) until the compose item
    // exists, so the measured load is the pane's first, as when a rep opens it on a new message.
    let hold = true;
    await context.route(
      (url) => hold && url.pathname === PANE_PATH,
      (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>held back by the bench</title>' }),
    );
    // The store lets only the add-in's own pages be framed (frame-ancestors); the empty page stands
    // in for the task pane here, so it gets the task pane's framing rule. Only its HTML goes through this.
    await context.route(
      (url) => url.pathname === EMPTY_PATH,
      async (route) => {
        const response = await route.fetch();
        const headers = { ...response.headers() };
        headers['content-security-policy'] = (headers['content-security-policy'] ?? '').replace(/frame-ancestors [^;]*/, "frame-ancestors 'self'");
        await route.fulfill({ response, headers });
      },
    );
    // The template list as the end-to-end tests find it (a list named "Templates" of template buttons).
    await context.addInitScript({ content: watchForTarget({ [PANE_PATH]: 'ul[aria-label="Templates"] > li button', [EMPTY_PATH]: '#root > *' }) });

    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${base}/dev/playground?email=${encodeURIComponent(REP)}`);
    await page.getByRole('heading', { name: 'tradepane playground' }).waitFor();
    await page.getByLabel('Events runtime').getByText(/handlers registered|not loaded/).waitFor();
    await page.getByRole('button', { name: 'New message' }).click();
    // The compose event handler (signature) talks to the store: let it finish before measuring.
    if (await page.evaluate(() => window.tradepanePlayground!.events.has('OnNewMessageCompose'))) await page.getByLabel('Event log').getByText('OnNewMessageCompose').waitFor({ state: 'attached' });

    const frameElement = page.locator('iframe[title="tradepane task pane"]');
    const paneUrl = await frameElement.evaluate((f) => (f as HTMLIFrameElement).src);
    const frame = (await (await frameElement.elementHandle())!.contentFrame())!;
    hold = false;
    // A fresh context has no cached files, but the playground itself loaded the shared vendor
    // chunk: without this the pane would find it in the cache, which Outlook's page never fills.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    // The frame still shows the held page at the pane's very URL: going there again would only move
    // to the fragment, without loading. Leave it first.
    await frame.goto('about:blank');
    await frame.goto(target === 'pane' ? paneUrl : `${base}${EMPTY_PATH}`);
    await frame.waitForFunction(() => window.__benchVisible !== undefined, null, { timeout: 30_000 });
    const visible = (await frame.evaluate(() => window.__benchVisible))!;

    // The demo pack's own template (with the 5,000 more, the list shows the first page of them).
    if (target === 'pane' && demoOnly) await frame.getByRole('button', { name: 'Quotation', exact: true }).waitFor({ timeout: 1000 });
    // webpack removes the tags of the lazy chunks it loaded: the script tags left are the HTML's.
    const { resources, initial } = await frame.evaluate(() => ({
      resources: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => ({ name: e.name, type: e.initiatorType, transferSize: e.transferSize, responseEnd: e.responseEnd })),
      initial: [...document.querySelectorAll('script[src]')].map((e) => (e as HTMLScriptElement).src),
    }));
    // Scripts, and the chunks the HTML preloads (<link rel=preload>: their script tags reuse the preload).
    const scripts = resources.filter((r) => r.type === 'script' || (r.type === 'link' && /\.js$/.test(new URL(r.name).pathname)));
    if (scripts.length === 0) throw new Error(`the ${target} page loaded no scripts: not the page meant`);
    const cached = scripts.filter((r) => r.transferSize === 0).map((r) => r.name);
    if (cached.length) throw new Error(`the ${target} load was not cold: ${cached.join(', ')} came from a cache`);
    const packs = resources.find((r) => new URL(r.name).pathname === '/api/v1/me/packs');
    if (target === 'pane' && !packs) throw new Error("the pane showed templates without asking the store for the rep's packs: not a cold load");
    const bugs = errors.filter((e) => !/ERR_FAILED|net::/.test(e));
    if (bugs.length) throw new Error(`the ${target} page failed while measured:\n${bugs.join('\n')}`);
    const lastIn = (list: typeof scripts) => (list.length ? Math.max(...list.map((r) => r.responseEnd)) : NaN);
    // The lazy chunks the list waited for: what arrived before it was painted (the pane fetches more when idle).
    const lazy = scripts.filter((r) => !initial.includes(r.name) && r.responseEnd <= visible.painted);
    return { visible: visible.painted, scripts: lastIn(scripts.filter((r) => initial.includes(r.name))), lazy: lastIn(lazy), packs: packs?.responseEnd ?? NaN };
  } finally {
    await context.close();
  }
}

/** 5,000 more templates for the demo rep: 10 packs of 500 (a pack holds at most 20,000 nodes), pushed by the demo admin. */
const MANY = 5000;
const PACKS = 10;
const KINDS = ['inquiry', 'quote', 'sample', 'follow-up', 'shipping', 'payment', 'other'];
const WORDS = ['quotation', 'sample', 'shipment', 'payment', 'invoice', 'container', 'pallet', 'freight', 'discount', 'delivery', 'inquiry', 'catalogue', 'warranty', 'certificate', 'packing', 'customs'];
async function pushManyTemplates(base: string): Promise<void> {
  const tokenResponse = await fetch(`${base}/dev/token?email=${encodeURIComponent(ADMIN)}`);
  if (!tokenResponse.ok) throw new Error(`no dev token for ${ADMIN}: ${tokenResponse.status}`);
  const { token } = (await tokenResponse.json()) as { token: string };
  const per = MANY / PACKS;
  for (let p = 0; p < PACKS; p++) {
    const templates = Array.from({ length: per }, (_, j) => {
      const i = p * per + j;
      const w = [WORDS[i % WORDS.length], WORDS[(i * 7 + 3) % WORDS.length], WORDS[(i * 11 + 5) % WORDS.length]];
      return {
        id: `bulk-${i}`,
        kind: KINDS[i % KINDS.length],
        title: { en: `${w[0]} ${w[1]} ${i}`, zh: `报价 ${i}` },
        tags: [w[2]],
        variants: { en: { subject: `${w[2]} ${i}`, body: `<p>Dear {{ contact.firstName | default: 'Sir or Madam' }}, about the ${w.join(' ')} we discussed.</p>` } },
      };
    });
    const source = JSON.stringify({ pack: `bench-bulk-${p}`, title: `Bench bulk ${p}`, groups: ['sales-eu'], defaultLanguage: 'en', templates });
    const response = await fetch(`${base}/api/v1/packs`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ source, fileName: `bench-bulk-${p}.json` }) });
    if (!response.ok) throw new Error(`pushing bench pack ${p} failed: ${response.status} ${(await response.text()).slice(0, 500)}`);
  }
}

export async function taskpaneSection(): Promise<Row[]> {
  const faces = await ensureFacesBuilt();
  const empty = await ensureEmptyPageBuilt();
  const work = mkdtempSync(join(tmpdir(), 'tp-bench-taskpane-'));
  const served = join(work, 'dist');
  mkdirSync(served);
  for (const name of readdirSync(faces)) symlinkSync(join(faces, name), join(served, name));
  symlinkSync(empty, join(served, EMPTY_PUBLIC_PATH.split('/').filter(Boolean).pop()!));

  let store: Store | undefined;
  let browser: Browser | undefined;
  try {
    if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run "apt-get install chromium" or set CHROMIUM_PATH`);
    store = await startStore(work);
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      // As test/support/browser.ts, plus: no V8 compilation cache, which would otherwise hand the
      // pane the playground's compiled copy of the shared vendor chunk (same renderer, same source).
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--js-flags=--no-compilation-cache'],
    });
    // One load of each first, not counted: the browser's own first start (its renderer, fonts).
    await coldLoad(browser, store.base, 'pane');
    await coldLoad(browser, store.base, 'empty');
    const pane: Load[] = [];
    const baseline: Load[] = [];
    // Alternated, so drift on a shared machine falls on both.
    for (let i = 0; i < RUNS; i++) {
      pane.push(await coldLoad(browser, store.base, 'pane'));
      baseline.push(await coldLoad(browser, store.base, 'empty'));
    }
    // Issue #18's bench: the task pane with 5,000 templates. The same store after 5,000 more are
    // published to the rep (one load first, not counted: the store's view of them is built once).
    await pushManyTemplates(store.base);
    await coldLoad(browser, store.base, 'pane', false);
    const many: Load[] = [];
    const baselineMany: Load[] = [];
    for (let i = 0; i < RUNS; i++) {
      many.push(await coldLoad(browser, store.base, 'pane', false));
      baselineMany.push(await coldLoad(browser, store.base, 'empty'));
    }
    const ms = (n: number) => `${Math.round(n)} ms`;
    const at = (loads: Load[], step: 'scripts' | 'packs' | 'lazy') => ms(median(loads.map((l) => l[step])));
    /** Median and p95 to the list beside the empty page's, and where the time went. */
    const listRows = (suffix: string, loads: Load[], empty: Load[], emptyName: string, whereNote: string): Row[] => {
      const visible = sortedCopy(loads.map((l) => l.visible));
      const emptyVisible = sortedCopy(empty.map((l) => l.visible));
      return [
        compare({ section: 'taskpane', name: `time to the template list${suffix}, median`, value: median(visible), unit: 'ms', higherIsBetter: false, baseline: { name: emptyName, value: median(emptyVisible) } }),
        compare({ section: 'taskpane', name: `time to the template list${suffix}, p95`, value: percentile(visible, 95), unit: 'ms', higherIsBetter: false, baseline: { name: `empty page p95 (${RUNS} cold loads each)`, value: percentile(emptyVisible, 95) } }),
        { section: 'taskpane', name: `where the time goes${suffix} (medians)`, value: NaN, unit: '', higherIsBetter: false, note: whereNote },
      ];
    };
    return [
      ...listRows('', pane, baseline, 'empty React + Fluent UI page, first element', `pane: its first-paint scripts in at ${at(pane, 'scripts')}, the rep's packs at ${at(pane, 'packs')}, its lazy chunks at ${at(pane, 'lazy')}; empty page: scripts in at ${at(baseline, 'scripts')}`),
      ...listRows(', demo pack + 5,000 templates', many, baselineMany, 'empty page, loaded alternately in the same conditions', `first-paint scripts in at ${at(many, 'scripts')}, the rep's packs at ${at(many, 'packs')}, the lazy chunks at ${at(many, 'lazy')}`),
    ];
  } finally {
    await browser?.close();
    await store?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
