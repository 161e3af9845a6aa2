import { expect } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import type { Config } from '../../src/server/config.js';
import type { AppDeps } from '../../src/server/app.js';
import { cardProblems, type AddonResponse, type Card } from '../../src/gmail/cards.js';
import type { AddonEvent } from '../../src/gmail/event.js';
import { nowSeconds, startIssuer, type Issuer } from '../support/jwks-server.js';
import { seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';

/**
 * What the Gmail add-on tests share: a Google stand-in signing ID tokens with keys made here, a
 * store whose tenant is the Workspace domain `<slug>.test`, and Google-shaped add-on requests.
 */

export const ENDPOINT_BASE = 'https://addon.tradepane.test/gmail';
export const ADDON_SERVICE_ACCOUNT = 'service-1234567890@gcp-sa-gsuiteaddons.iam.gserviceaccount.com';
export const ADDON_CLIENT_ID = '1234567890-addon.apps.googleusercontent.com';
export const GOOGLE_ISSUER = 'https://accounts.google.com';

export interface Harness {
  store: Store;
  app: FastifyInstance;
  google: Issuer;
  tenant: SeededTenant;
  domain: string;
  close(): Promise<void>;
}

export function addonConfig(google: Issuer): Partial<Config> {
  return {
    google: { audience: undefined, jwksUrl: google.url, issuers: [GOOGLE_ISSUER, 'accounts.google.com'] },
    gmailAddon: { endpointBase: ENDPOINT_BASE, serviceAccount: ADDON_SERVICE_ACCOUNT, oauthClientId: ADDON_CLIENT_ID },
  };
}

export async function startHarness(store: Store, slug: string, extra: Partial<AppDeps> = {}): Promise<Harness> {
  const google = await startIssuer();
  const tenant = await seedTenant(store, slug);
  const domain = `${slug}.test`;
  await store.db.updateTable('tenants').set({ google_domain: domain }).where('id', '=', tenant.tenantId).execute();
  const app = await testApp(store, addonConfig(google), extra);
  return {
    store,
    app,
    google,
    tenant,
    domain,
    async close() {
      await app.close();
      await google.close();
    },
  };
}

/** Google's system ID token for one endpoint (what it sends as Authorization: Bearer). */
export function systemToken(google: Issuer, path: string, overrides: Record<string, unknown> = {}): Promise<string> {
  return google.sign({ iss: GOOGLE_ISSUER, aud: ENDPOINT_BASE + path, sub: '1111', email: ADDON_SERVICE_ACCOUNT, email_verified: true, iat: nowSeconds(), exp: nowSeconds() + 3600, ...overrides });
}

/** The user's ID token as the event carries it. */
export function userToken(google: Issuer, email: string, domain: string, overrides: Record<string, unknown> = {}): Promise<string> {
  return google.sign({ iss: GOOGLE_ISSUER, aud: ADDON_CLIENT_ID, sub: `sub-${email}`, email, email_verified: true, hd: domain, iat: nowSeconds(), exp: nowSeconds() + 3600, ...overrides });
}

export interface EventParts {
  formInputs?: Record<string, string | string[] | { ms: number }>;
  parameters?: Record<string, string>;
  gmail?: AddonEvent['gmail'];
  locale?: string;
  timeZone?: string;
}

export async function addonEvent(h: Harness, email: string, parts: EventParts = {}): Promise<AddonEvent> {
  const formInputs: NonNullable<AddonEvent['commonEventObject']>['formInputs'] = {};
  for (const [name, value] of Object.entries(parts.formInputs ?? {})) {
    formInputs[name] = typeof value === 'object' && !Array.isArray(value)
      ? { dateTimeInput: { msSinceEpoch: String(value.ms), hasDate: true, hasTime: true }, dateInput: { msSinceEpoch: String(value.ms) } }
      : { stringInputs: { value: Array.isArray(value) ? value : [value] } };
  }
  return {
    commonEventObject: {
      hostApp: 'GMAIL',
      platform: 'WEB',
      userLocale: parts.locale ?? 'en-GB',
      timeZone: { id: parts.timeZone ?? 'Europe/Berlin', offset: 3600000 },
      formInputs,
      parameters: parts.parameters ?? {},
    },
    authorizationEventObject: { userIdToken: await userToken(h.google, email, h.domain), userOAuthToken: `ya29.user-${email}`, systemIdToken: 'ignored' },
    ...(parts.gmail ? { gmail: parts.gmail } : {}),
  };
}

/** POSTs an add-on request the way Google does, with a valid system token unless one is given. */
export async function post(h: Harness, path: string, event: AddonEvent, token?: string) {
  return h.app.inject({ method: 'POST', url: `/gmail${path}`, headers: { authorization: `Bearer ${token ?? (await systemToken(h.google, path))}`, 'content-type': 'application/json' }, payload: event });
}

const ALLOWED_MARKUP = /<\/?b>|<br>|<font color="#[0-9a-f]{6}">|<\/font>/g;

/** Every text a card shows, from the widgets that show text. */
export function cardTexts(card: Card): string[] {
  const out: string[] = [card.header?.title ?? '', card.header?.subtitle ?? ''];
  for (const s of card.sections ?? []) {
    out.push(s.header ?? '');
    for (const w of s.widgets ?? []) {
      if (w.textParagraph) out.push(w.textParagraph.text ?? '');
      if (w.decoratedText) out.push(w.decoratedText.text ?? '', w.decoratedText.topLabel ?? '', w.decoratedText.bottomLabel ?? '', w.decoratedText.button?.text ?? '');
      if (w.textInput) out.push(w.textInput.label ?? '', w.textInput.hintText ?? '');
      if (w.selectionInput) out.push(w.selectionInput.label ?? '', ...(w.selectionInput.items ?? []).map((i) => i.text ?? ''));
      if (w.dateTimePicker) out.push(w.dateTimePicker.label ?? '');
      for (const b of w.buttonList?.buttons ?? []) out.push(b.text ?? '');
    }
  }
  return out.filter(Boolean);
}

/** The card a response shows (pushed or updated), checked against the card model and the markup rule. */
export function shownCard(response: AddonResponse): Card {
  const navigation = response.renderActions?.action?.navigations?.[0];
  const card = navigation?.pushCard ?? navigation?.updateCard;
  if (!card) throw new Error(`no card in ${JSON.stringify(response).slice(0, 300)}`);
  expect(cardProblems(card)).toEqual([]);
  for (const text of cardTexts(card)) expect(text.replace(ALLOWED_MARKUP, '')).not.toMatch(/[<>]/);
  return card;
}

export const notification = (response: AddonResponse) => response.renderActions?.action?.notification?.text;

/** Every action button of a card: its endpoint path and parameters. */
export function actions(card: Card): { text: string; path: string; parameters: Record<string, string> }[] {
  const out: { text: string; path: string; parameters: Record<string, string> }[] = [];
  for (const s of card.sections ?? []) {
    for (const w of s.widgets ?? []) {
      const list = [...(w.buttonList?.buttons ?? []), ...(w.decoratedText?.button ? [w.decoratedText.button] : [])];
      for (const b of list) {
        const fn = b.onClick?.action?.function;
        if (!fn) continue;
        out.push({ text: b.text ?? '', path: fn.slice(ENDPOINT_BASE.length), parameters: Object.fromEntries((b.onClick?.action?.parameters ?? []).map((p) => [p.key ?? '', p.value ?? ''])) });
      }
    }
  }
  return out;
}
