import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { DOMParser, type Document as XmlDocument, type Element } from '@xmldom/xmldom';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import * as acorn from 'acorn';
// @ts-expect-error plain JavaScript module without types (the build imports it too)
import { manifestFiles, manifestSettings } from '../../manifest/generate.js';
import { TEST_DIST } from '../support/build-faces.mjs';
import { COMMANDS, HANDLERS } from '../../src/outlook/events/names.js';

// CommonJS packages whose default export NodeNext types as the module object.
const Ajv04 = ((Ajv04Module as unknown as { default?: typeof Ajv04Module.default }).default ?? Ajv04Module) as unknown as typeof Ajv04Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule.default }).default ?? addFormatsModule) as unknown as typeof addFormatsModule.default;

/**
 * The manifests as the build writes them, checked for what breaks add-ins in practice, and the
 * event bundle they point at.
 */

const BASE = 'https://tradepane.example.com';
const settings = manifestSettings({ ADDIN_BASE_URL: BASE, ADDIN_CLIENT_ID: '0b0c1d2e-3f40-4152-8364-758697a8b9c0' });
const files = manifestFiles(settings) as Record<string, string | Buffer>;
const xml = new DOMParser().parseFromString(String(files['manifest.xml']), 'text/xml');
const json = JSON.parse(String(files['manifest.json'])) as Record<string, any>;

const elements = (root: Element | XmlDocument, name: string): Element[] => Array.from(root.getElementsByTagNameNS('*', name) as unknown as ArrayLike<Element>);
const childNames = (el: Element): string[] => Array.from(el.childNodes as unknown as ArrayLike<Element>).filter((n) => n.nodeType === 1).map((n) => n.localName!);
const only = (root: Element | XmlDocument, name: string): Element => {
  const found = elements(root, name);
  if (found.length === 0) throw new Error(`no <${name}>`);
  return found[0]!;
};

/** The names the built events.js registers, by running it with an Office that records associate(). */
function registeredByBundle(): string[] {
  const source = readFileSync(join(TEST_DIST, 'events.js'), 'utf8');
  const names: string[] = [];
  const Office = { actions: { associate: (name: string) => names.push(name) }, context: {} };
  runInNewContext(source, { Office, console, setTimeout, clearTimeout, Promise }, { filename: 'events.js' });
  return names;
}

describe('manifest.xml (add-in only)', () => {
  it('is well-formed XML for a MailApp', () => {
    const root = xml.documentElement!;
    expect(root.localName).toBe('OfficeApp');
    expect(root.getAttribute('xsi:type')).toBe('MailApp');
  });

  it('keeps the element order the schema requires', () => {
    const top = childNames(xml.documentElement!);
    const order = ['Id', 'Version', 'ProviderName', 'DefaultLocale', 'DisplayName', 'Description', 'IconUrl', 'HighResolutionIconUrl', 'SupportUrl', 'AppDomains', 'Hosts', 'Requirements', 'FormSettings', 'Permissions', 'Rule', 'DisableEntityHighlighting', 'VersionOverrides'];
    expect(top).toEqual(order);
    const v11 = elements(xml, 'VersionOverrides').find((e) => e.getAttribute('xsi:type') === 'VersionOverridesV1_1')!;
    expect(childNames(v11)).toEqual(['Description', 'Requirements', 'Hosts', 'Resources', 'WebApplicationInfo']);
    expect(childNames(only(xml, 'Resources'))).toEqual(['Images', 'Urls', 'ShortStrings', 'LongStrings']);
    const desktop = only(xml, 'DesktopFormFactor');
    expect(childNames(desktop).slice(0, 2)).toEqual(['SupportsSharedFolders', 'FunctionFile']);
    expect(childNames(desktop).slice(2).every((n) => n === 'ExtensionPoint')).toBe(true);
    const mailHost = elements(xml, 'Host').find((h) => h.getAttribute('xsi:type') === 'MailHost')!;
    expect(childNames(mailHost)).toEqual(['Runtimes', 'DesktopFormFactor', 'MobileFormFactor']);
    for (const control of elements(desktop, 'Control')) expect(childNames(control)).toEqual(['Label', 'Supertip', 'Icon', 'Action']);
    // Mobile controls have no Supertip; each mobile extension point has exactly one child.
    const mobile = only(xml, 'MobileFormFactor');
    expect(childNames(mobile)).toEqual(['FunctionFile', 'ExtensionPoint', 'ExtensionPoint']);
    for (const control of elements(mobile, 'Control')) expect(childNames(control)).toEqual(['Label', 'Icon', 'Action']);
    for (const launch of elements(xml, 'ExtensionPoint').filter((e) => e.getAttribute('xsi:type') === 'LaunchEvent')) expect(childNames(launch)).toEqual(['LaunchEvents', 'SourceLocation']);
  });

  it('resolves every resid to a resource of the right kind', () => {
    const ids = (kind: string) => new Set(elements(only(xml, kind), kind === 'Images' ? 'Image' : kind === 'Urls' ? 'Url' : 'String').map((e) => e.getAttribute('id')));
    const images = ids('Images');
    const urls = ids('Urls');
    const strings = new Set([...ids('ShortStrings'), ...ids('LongStrings')]);
    const all = new Set([...images, ...urls, ...strings]);
    const withResid = Array.from(xml.getElementsByTagName('*') as unknown as ArrayLike<Element>).filter((e) => e.hasAttribute('resid'));
    expect(withResid.length).toBeGreaterThan(20);
    for (const el of withResid) {
      const resid = el.getAttribute('resid')!;
      expect(all.has(resid) ? resid : `unresolved resid ${resid} on <${el.localName}>`).toBe(resid);
      if (el.localName === 'Image') expect(images.has(resid)).toBe(true);
      if (['SourceLocation', 'Runtime', 'Override', 'FunctionFile'].includes(el.localName!)) expect(urls.has(resid)).toBe(true);
      if (['Label', 'Title', 'Description'].includes(el.localName!)) expect(strings.has(resid)).toBe(true);
    }
    for (const s of elements(only(xml, 'ShortStrings'), 'String')) expect(s.getAttribute('DefaultValue')!.length).toBeLessThanOrEqual(125);
    for (const s of elements(only(xml, 'LongStrings'), 'String')) expect(s.getAttribute('DefaultValue')!.length).toBeLessThanOrEqual(250);
  });

  it('has only https URLs under the base URL', () => {
    const urls: string[] = [];
    for (const el of Array.from(xml.getElementsByTagName('*') as unknown as ArrayLike<Element>)) {
      const value = el.getAttribute('DefaultValue') ?? '';
      if (/^[a-z]+:\/\//i.test(value)) urls.push(value);
      if (el.localName === 'AppDomain') urls.push(el.textContent!.trim());
    }
    expect(urls.length).toBeGreaterThan(8);
    for (const url of urls) {
      expect(url.startsWith(`${BASE}/`) || url === BASE ? url : `outside the base URL: ${url}`).toBe(url);
      expect(new URL(url).protocol).toBe('https:');
    }
    expect(files['manifest.xml']).not.toMatch(/playground|localhost|\{\{/);
  });

  it('declares the launch events, SoftBlock on send, and the JavaScript-only runtime override', () => {
    const events = elements(only(xml, 'DesktopFormFactor'), 'LaunchEvent').map((e) => [e.getAttribute('Type'), e.getAttribute('FunctionName'), e.getAttribute('SendMode')]);
    expect(events).toEqual([
      ['OnNewMessageCompose', HANDLERS.newMessageCompose, null],
      ['OnMessageFromChanged', HANDLERS.messageFromChanged, null],
      ['OnMessageSend', HANDLERS.messageSend, 'SoftBlock'],
    ]);
    const override = only(only(xml, 'Runtime'), 'Override');
    expect(override.getAttribute('type')).toBe('javascript');
    const url = (resid: string) => elements(xml, 'Url').find((u) => u.getAttribute('id') === resid)!.getAttribute('DefaultValue');
    expect(url(override.getAttribute('resid')!)).toBe(`${BASE}/addin/events.js`);
    expect(url(only(xml, 'Runtime').getAttribute('resid')!)).toBe(`${BASE}/addin/events.html`);
    // The Smart Alerts dialog's actions name these buttons.
    const controls = elements(xml, 'Control').map((c) => c.getAttribute('id'));
    expect(controls).toEqual(expect.arrayContaining(Object.values(COMMANDS)));
    expect(only(xml, 'WebApplicationInfo').textContent).toContain('0b0c1d2e-3f40-4152-8364-758697a8b9c0');
  });

  it('works on shared folders and shared mailboxes (the team inbox): SupportsSharedFolders on the desktop form factor only', () => {
    expect(only(only(xml, 'DesktopFormFactor'), 'SupportsSharedFolders').textContent).toBe('true');
    // Outlook mobile has no shared-mailbox support for add-ins: the element is desktop-only in the schema.
    expect(elements(only(xml, 'MobileFormFactor'), 'SupportsSharedFolders')).toEqual([]);
  });

  it('runs on phones: the read pane button with the mobile icon set, and only the events Outlook mobile raises', () => {
    const mobile = only(xml, 'MobileFormFactor');
    const surfaces = elements(mobile, 'ExtensionPoint').map((e) => e.getAttribute('xsi:type'));
    expect(surfaces).toEqual(['MobileMessageReadCommandSurface', 'LaunchEvent']);
    const button = only(mobile, 'Control');
    expect(button.getAttribute('xsi:type')).toBe('MobileButton');
    expect(only(only(button, 'Action'), 'SourceLocation').getAttribute('resid')).toBe('Taskpane.Url');
    // Label at most 16 characters so it fits the phone's ribbon (Microsoft's guidance), in every language.
    const label = elements(only(xml, 'ShortStrings'), 'String').find((s) => s.getAttribute('id') === only(button, 'Label').getAttribute('resid'))!;
    for (const text of [label.getAttribute('DefaultValue')!, ...elements(label, 'Override').map((o) => o.getAttribute('Value')!)]) expect(text.length).toBeLessThanOrEqual(16);
    // 25, 32 and 48 px at scales 1–3, each a PNG of size × scale pixels.
    const icon = only(button, 'Icon');
    expect(icon.getAttribute('xsi:type')).toBe('bt:MobileIconList');
    const url = (resid: string) => elements(xml, 'Url').concat(elements(xml, 'Image')).find((u) => u.getAttribute('id') === resid)!.getAttribute('DefaultValue')!;
    const images = elements(icon, 'Image').map((i) => [Number(i.getAttribute('size')), Number(i.getAttribute('scale')), url(i.getAttribute('resid')!)] as const);
    expect(images.map(([size, scale]) => `${size}@${scale}`)).toEqual(['25@1', '25@2', '25@3', '32@1', '32@2', '32@3', '48@1', '48@2', '48@3']);
    for (const [size, scale, href] of images) {
      const png = files[href.slice(`${BASE}/addin/`.length)] as Buffer;
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(size * scale); // IHDR width
    }
    // OnMessageSend does not exist on phones: declaring it there would be ignored at best.
    const events = elements(mobile, 'LaunchEvent').map((e) => [e.getAttribute('Type'), e.getAttribute('FunctionName')]);
    expect(events).toEqual([
      ['OnNewMessageCompose', HANDLERS.newMessageCompose],
      ['OnMessageFromChanged', HANDLERS.messageFromChanged],
    ]);
  });

  it('names only functions the built event bundle registers', () => {
    const registered = registeredByBundle();
    expect(registered.sort()).toEqual(Object.values(HANDLERS).sort());
    const named = [...elements(xml, 'LaunchEvent').map((e) => e.getAttribute('FunctionName')!), ...elements(xml, 'FunctionName').map((e) => e.textContent!.trim())];
    expect(named.length).toBe(7); // 3 desktop events + 2 buttons + 2 mobile events
    for (const name of named) expect(registered).toContain(name);
  });
});

describe('manifest.json (unified)', () => {
  it('is valid against the bundled Microsoft 365 app manifest schema', () => {
    const require = createRequire(import.meta.url);
    const schemaPath = require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${json.manifestVersion}/MicrosoftTeams.schema.json`);
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
    const ajv = new Ajv04({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const valid = validate(json);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check can fail: a broken manifest is refused', () => {
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(readFileSync(require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${json.manifestVersion}/MicrosoftTeams.schema.json`), 'utf8'));
    const ajv = new Ajv04({ allErrors: true, strict: false });
    addFormats(ajv);
    expect(ajv.validate(schema, { ...json, extensions: [{ ...json.extensions[0], autoRunEvents: [{ events: [{ type: 'messageSending' }] }] }] })).toBe(false);
  });

  it('wires the same events and actions as the XML one, all registered by the bundle', () => {
    const extension = json.extensions[0];
    const events = extension.autoRunEvents[0].events.map((e: { type: string; actionId: string; options?: { sendMode: string } }) => [e.type, e.actionId, e.options?.sendMode ?? null]);
    expect(events).toEqual([
      ['newMessageComposeCreated', HANDLERS.newMessageCompose, null],
      ['messageFromChanged', HANDLERS.messageFromChanged, null],
      ['messageSending', HANDLERS.messageSend, 'softBlock'],
    ]);
    // Shared folders and shared mailboxes (the team inbox), as SupportsSharedFolders in the XML one.
    expect(json.authorization.permissions.resourceSpecific).toEqual(expect.arrayContaining([{ name: 'Mailbox.SharedFolder', type: 'Delegated' }]));
    const runtime = extension.runtimes.find((r: { id: string }) => r.id === 'EventsRuntime');
    expect(runtime.code).toEqual({ page: `${BASE}/addin/events.html`, script: `${BASE}/addin/events.js` });
    const registered = registeredByBundle();
    for (const action of runtime.actions) expect(registered).toContain(action.id);
    const controlIds = extension.ribbons.flatMap((r: any) => r.tabs.flatMap((t: any) => t.groups.flatMap((g: any) => g.controls.map((c: any) => c.id))));
    expect(controlIds).toEqual(expect.arrayContaining(Object.values(COMMANDS)));
    // Phones: the read pane button and the two events mobile raises, as in the XML manifest.
    const read = extension.ribbons.find((r: any) => r.contexts.includes('mailRead'));
    expect(read.requirements.formFactors).toEqual(['desktop', 'mobile']);
    const mobileButton = read.tabs[0].customMobileRibbonGroups[0].controls[0];
    expect(mobileButton).toMatchObject({ type: 'mobileButton', actionId: 'openTaskpane' });
    expect(mobileButton.icons.map((i: any) => `${i.size}@${i.scale}`)).toEqual(['25@1', '25@2', '25@3', '32@1', '32@2', '32@3', '48@1', '48@2', '48@3']);
    const mobileEvents = extension.autoRunEvents.find((a: any) => a.requirements.formFactors.includes('mobile'));
    expect(mobileEvents.events.map((e: any) => e.type)).toEqual(['newMessageComposeCreated', 'messageFromChanged']);
    expect(extension.autoRunEvents[0].requirements.formFactors).toEqual(['desktop']);
    expect(String(files['manifest.json'])).not.toMatch(/http:\/\/|localhost|\{\{/);
  });

  it('ships the icons it names as PNG files', () => {
    for (const icon of [json.icons.outline, json.icons.color]) {
      const png = files[icon] as Buffer;
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    }
    expect((files['assets/icon-192.png'] as Buffer | undefined) ?? (files['assets/icon-color-192.png'] as Buffer)).toBeDefined();
  });
});

describe('the manifest settings', () => {
  it('refuse an http production URL and anything that is not an origin', () => {
    expect(() => manifestSettings({ ADDIN_BASE_URL: 'http://tradepane.example.com' })).toThrow(/must be https/);
    expect(() => manifestSettings({ ADDIN_BASE_URL: 'https://tradepane.example.com/addin' })).toThrow(/must be an origin/);
    expect(() => manifestSettings({ ADDIN_BASE_URL: BASE, ADDIN_APP_ID: 'not-a-guid' })).toThrow(/GUID/);
  });

  it('without ADDIN_BASE_URL point at the local dev store', () => {
    const dev = manifestSettings({});
    expect(dev).toMatchObject({ baseUrl: 'http://localhost:3000', addinUrl: 'http://localhost:3000/addin', dev: true });
    expect(manifestSettings({ ADDIN_BASE_URL: BASE }).dev).toBe(false);
  });
});

describe('the event bundle (.test-dist/events.js)', () => {
  const source = readFileSync(join(TEST_DIST, 'events.js'), 'utf8');

  it('parses as ES2016, the oldest JavaScript-only runtime of classic Outlook on Windows', () => {
    expect(() => acorn.parse(source, { ecmaVersion: 2016, sourceType: 'script' })).not.toThrow();
  });

  it('is one self-contained file: no React, no chunk loading, no dev-server client', () => {
    expect(source).not.toMatch(/react-dom|__SECRET_INTERNALS|webpackChunk|import\(|webpack-dev-server|sockjs|webpackHotUpdate/);
    expect(gzipSync(source).length).toBeLessThanOrEqual(60 * 1024);
  });

  it('is loaded by events.html after office.js', () => {
    const page = readFileSync(join(TEST_DIST, 'events.html'), 'utf8');
    const scripts = [...page.matchAll(/<script src="?([^"\s>]+)/g)].map((m) => m[1]);
    expect(scripts).toEqual(['https://appsforoffice.microsoft.com/lib/1/hosted/office.js', '/addin/events.js']);
  });
});
