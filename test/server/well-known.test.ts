import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { DOMParser, type Element } from '@xmldom/xmldom';
import type { Store } from '../../src/server/db/connect.js';
// @ts-expect-error plain JavaScript module without types (the build imports it too)
import { manifestFiles, manifestSettings } from '../../manifest/generate.js';
import { TEST_DIST } from '../support/build-faces.mjs';
import { testApp } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/**
 * /.well-known/microsoft-officeaddins-allowed.json: classic Outlook on Windows lets the event
 * handlers' JavaScript use SSO and CORS only when the add-in's origin lists that script there.
 */

const PATH = '/.well-known/microsoft-officeaddins-allowed.json';
const sqlite = storeKinds().find((k) => k.name === 'sqlite')!;

/** The script the add-in-only manifest gives classic Windows' JavaScript-only runtime. */
function manifestEventsScript(baseUrl: string): string {
  const files = manifestFiles(manifestSettings({ ADDIN_BASE_URL: baseUrl })) as Record<string, string>;
  const xml = new DOMParser().parseFromString(String(files['manifest.xml']), 'text/xml');
  const all = (name: string) => Array.from(xml.getElementsByTagNameNS('*', name) as unknown as ArrayLike<Element>);
  const override = all('Override').find((e) => e.getAttribute('type') === 'javascript');
  if (!override) throw new Error('the manifest has no JavaScript runtime override');
  const url = all('Url').find((e) => e.getAttribute('id') === override.getAttribute('resid'));
  return url!.getAttribute('DefaultValue')!;
}

describe('the well-known list of add-in scripts allowed SSO and CORS', () => {
  let store: Store;
  let app: FastifyInstance;

  beforeAll(async () => {
    store = await sqlite.open();
    app = await testApp(store, { publicUrl: 'https://tradepane.example.com' }, { addinDir: TEST_DIST });
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('lists events.js on the store’s public origin, without sign-in', async () => {
    const response = await app.inject({ method: 'GET', url: PATH });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ allowed: ['https://tradepane.example.com/addin/events.js'] });
  });

  it('names exactly the script the manifest points classic Windows at', async () => {
    const response = await app.inject({ method: 'GET', url: PATH });
    expect(response.json<{ allowed: string[] }>().allowed).toEqual([manifestEventsScript('https://tradepane.example.com')]);
  });

  it('lists a script the store really serves', async () => {
    const allowed = (await app.inject({ method: 'GET', url: PATH })).json<{ allowed: string[] }>().allowed;
    const path = new URL(allowed[0]!).pathname;
    const script = await app.inject({ method: 'GET', url: path });
    expect(script.statusCode).toBe(200);
    expect(script.body).toContain('onMessageSendHandler');
  });

  it('sends no CORS headers: the add-in and the store share one origin', async () => {
    const response = await app.inject({ method: 'GET', url: PATH, headers: { origin: 'https://elsewhere.example' } });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('keeps the port of a public URL that has one, and drops any path', async () => {
    const other = await testApp(store, { publicUrl: 'https://mail.example.com:8443/' });
    try {
      const response = await other.inject({ method: 'GET', url: PATH });
      expect(response.json()).toEqual({ allowed: ['https://mail.example.com:8443/addin/events.js'] });
    } finally {
      await other.close();
    }
  });
});
