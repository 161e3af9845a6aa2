import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_DIST } from '../support/build-faces.mjs';

/**
 * The task pane's production build (the one the end-to-end tests and the bench load), checked for
 * the shape its cold load depends on (docs/performance.md, 'Where the task pane's time goes'):
 * the HTML preloads the chunks of the templates list, and those chunks carry no template engine.
 */

const html = readFileSync(join(TEST_DIST, 'taskpane.html'), 'utf8');
const preloadTags = [...html.matchAll(/<link\b[^>]*\brel="?preload"?[^>]*>/g)].map((m) => m[0]);
const preloaded = preloadTags.map((tag) => /\bhref="?([^"\s>]+)/.exec(tag)![1]!);
/** The scripts the HTML names from the build: the first paint (Office.js is Microsoft's). */
const initial = [...html.matchAll(/<script\b[^>]*\bsrc="?(\/addin\/[^"\s>]+)/g)].map((m) => m[1]!);
const fileOf = (href: string) => join(TEST_DIST, href.replace(/^\/addin\//, ''));

describe('taskpane.html', () => {
  it('preloads the first view with the templates list in it, in two files (its code, its libraries), beside the entry, not after it', async () => {
    const names = preloaded.map((href) => href.split('/').pop());
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^views\.[0-9a-f]{8}\.js$/), expect.stringMatching(/^views-libs\.[0-9a-f]{8}\.js$/)]));
    // Ten files before (a shared file per set of chunks using a library): fetched a few at a time over HTTP/1.1.
    expect(preloaded).toHaveLength(2);
    // The list is in the view's file (its search box label is the catalogue key it renders).
    expect(readFileSync(fileOf(preloaded.find((href) => /\/views\./.test(href))!), 'utf8')).toContain('templates.searchPlaceholder');
    // Low priority: the page's own scripts (high) come first.
    for (const tag of preloadTags) expect(tag).toMatch(/^(?=.*\bas="?script"?)(?=.*\bfetchpriority="?low"?)/);
    for (const href of preloaded) {
      expect(href.startsWith('/addin/')).toBe(true);
      expect(initial).not.toContain(href);
      expect(existsSync(fileOf(href))).toBe(true);
    }
  });

  it("runs the boot script first, which asks for the rep's packs before React and the pane's code load", () => {
    expect(initial[0]).toMatch(/^\/addin\/taskpane-boot\.[0-9a-f]{8}\.js$/);
    const boot = readFileSync(fileOf(initial[0]!), 'utf8');
    expect(boot).toContain('/me/packs');
    // No library in it (React, Fluent): a few kilobytes that arrive and run first.
    expect(boot).not.toContain('react.element');
    expect(boot.length).toBeLessThan(16_000);
  });

  it('does not preload what only a picked template needs (its own chunk)', () => {
    expect(readdirSync(TEST_DIST).filter((name) => /^template-detail\.[0-9a-f]{8}\.js$/.test(name))).toHaveLength(1);
    expect(preloaded.filter((href) => href.includes('template-detail'))).toEqual([]);
  });

  it('has no template engine (liquidjs) on the way to the list', () => {
    // liquidjs's Drop, the base of the typed values (core/template/values.ts), names this method.
    expect(initial.length).toBeGreaterThan(0);
    for (const href of [...initial, ...preloaded]) expect({ href, liquid: readFileSync(fileOf(href), 'utf8').includes('liquidMethodMissing') }).toEqual({ href, liquid: false });
    // The marker is real: the build carries liquidjs, in chunks the list does not load.
    const scripts = readdirSync(TEST_DIST).filter((name) => name.endsWith('.js'));
    expect(scripts.some((name) => readFileSync(join(TEST_DIST, name), 'utf8').includes('liquidMethodMissing'))).toBe(true);
  });
});
