// @ts-check
/**
 * Writes the Outlook manifests from the templates beside this file, with the base URL the
 * add-in is served from. Used by the webpack build (webpack.config.js) and by the tests; plain
 * JavaScript so webpack's config can import it without a TypeScript loader.
 *
 *   ADDIN_BASE_URL   the store's public origin (https in production); pages live under /addin/
 *   ADDIN_APP_ID     the add-in's GUID (keep it stable: Outlook identifies the add-in by it)
 *   ADDIN_CLIENT_ID  the Entra ID app (client) id, enables WebApplicationInfo / SSO
 *   ADDIN_API_SCOPE  defaults to api://<host>/<client id>/access_as_user
 */
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

export const DEFAULT_APP_ID = '6f1d2b7e-3c4a-4e59-9a0b-7d2c1e8f4a36';
export const DEV_BASE_URL = 'http://localhost:3000';

const here = (name) => new URL(`./${name}`, import.meta.url);

/**
 * Without ADDIN_BASE_URL the build is a local one (`npm start`): the manifests point at the dev
 * store on localhost and the add-in asks the store for dev tokens. With it, the URL must be https
 * (Outlook refuses http add-ins), except for a loopback address during development.
 * @param {Record<string, string | undefined>} env
 */
export function manifestSettings(env = process.env) {
  const raw = env.ADDIN_BASE_URL || DEV_BASE_URL;
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`ADDIN_BASE_URL is not a URL: ${raw}`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !loopback) throw new Error(`ADDIN_BASE_URL must be https (Outlook refuses http add-ins): ${raw}`);
  if (url.pathname !== '/' || url.search || url.hash) throw new Error(`ADDIN_BASE_URL must be an origin such as https://tradepane.example.com (the add-in is served under /addin/): ${raw}`);
  const dev = !env.ADDIN_BASE_URL || loopback;
  const baseUrl = url.origin;
  const appId = env.ADDIN_APP_ID || DEFAULT_APP_ID;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appId)) throw new Error(`ADDIN_APP_ID must be a GUID: ${appId}`);
  const clientId = env.ADDIN_CLIENT_ID || null;
  if (clientId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(clientId)) throw new Error(`ADDIN_CLIENT_ID must be a GUID: ${clientId}`);
  const apiScope = env.ADDIN_API_SCOPE || (clientId ? `api://${url.host}/${clientId}/access_as_user` : null);
  const version = env.ADDIN_VERSION || JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`the add-in version must be major.minor.patch: ${version}`);
  return { baseUrl, addinUrl: `${baseUrl}/addin`, host: url.host, appId, clientId, apiScope, version, versionXml: `${version}.0`, dev };
}

const escapeXml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** @param {ReturnType<typeof manifestSettings>} settings */
export function renderManifestXml(settings) {
  const webApplicationInfo =
    settings.clientId && settings.apiScope
      ? `      <WebApplicationInfo>
        <Id>${escapeXml(settings.clientId)}</Id>
        <Resource>${escapeXml(settings.apiScope.replace(/\/access_as_user$/, ''))}</Resource>
        <Scopes>
          <Scope>openid</Scope>
          <Scope>profile</Scope>
        </Scopes>
      </WebApplicationInfo>`
      : '';
  return fill(readFileSync(here('manifest.template.xml'), 'utf8'), { ...settings, webApplicationInfo }, escapeXml)
    .replace(/^<!-- Template:.*-->\n/m, '');
}

/** @param {ReturnType<typeof manifestSettings>} settings */
export function renderManifestJson(settings) {
  const webApplicationInfoJson =
    settings.clientId && settings.apiScope ? `,\n  "webApplicationInfo": ${JSON.stringify({ id: settings.clientId, resource: settings.apiScope.replace(/\/access_as_user$/, '') })}` : '';
  const text = fill(readFileSync(here('manifest.template.json'), 'utf8'), { ...settings, appGuid: settings.appId, webApplicationInfoJson }, (s) => JSON.stringify(s).slice(1, -1));
  return JSON.stringify(JSON.parse(text), null, 2) + '\n';
}

/** Replaces {{name}}; raw blocks (webApplicationInfo*) go in unescaped. */
function fill(template, values, escape) {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name) => {
    const value = values[name];
    if (value === undefined || value === null) {
      if (name.startsWith('webApplicationInfo')) return '';
      throw new Error(`manifest template: no value for {{${name}}}`);
    }
    return name.startsWith('webApplicationInfo') ? String(value) : escape(String(value));
  });
}

// ---------- icons: plain PNGs, so the build needs no image tools ----------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A square icon: a blue tile with a white "T" (transparent background for the outline one). */
export function iconPng(size, { outline = false } = {}) {
  const rows = [];
  const bar = Math.max(1, Math.round(size / 6));
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const inT = (y >= size * 0.22 && y < size * 0.22 + bar && x >= size * 0.2 && x < size * 0.8) || (x >= size / 2 - bar / 2 && x < size / 2 + bar / 2 && y >= size * 0.22 && y < size * 0.8);
      const pixel = outline ? (inT ? [255, 255, 255, 255] : [0, 0, 0, 0]) : inT ? [255, 255, 255, 255] : [0x1f, 0x5f, 0xad, 255];
      row.set(pixel, 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** Every file the build adds to dist/ for the manifests, by path relative to dist/. */
export function manifestFiles(settings) {
  /** @type {Record<string, string | Buffer>} */
  const files = {
    'manifest.xml': renderManifestXml(settings),
    'manifest.json': renderManifestJson(settings),
    'assets/icon-color-192.png': iconPng(192),
    'assets/icon-outline-32.png': iconPng(32, { outline: true }),
  };
  // Desktop sizes, then the mobile ones: 25, 32 and 48 px at scales 1–3 (manifest/manifest.template.xml).
  for (const size of [16, 32, 64, 80, 128, 25, 50, 75, 96, 48, 144]) files[`assets/icon-${size}.png`] = iconPng(size);
  return files;
}
