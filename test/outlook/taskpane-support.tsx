import '../support/jsdom-layout.js';
import { configure, render, type RenderResult } from '@testing-library/react';
import type { StoreClient } from '../../src/client/store-client.js';
import type { PublishedPack } from '../../src/contract/me.js';
import { translator, uiLanguageOf } from '../../src/outlook/i18n/index.js';
import { TaskPaneApp } from '../../src/outlook/taskpane/app.js';
import type { FollowUpDraftForm, MailHost, MailItem } from '../../src/outlook/taskpane/mail-host.js';
import type { PaneCache } from '../../src/outlook/taskpane/pane-context.js';
import { useItem, useTemplates } from '../../src/outlook/taskpane/store.js';

/**
 * Component-test support: the task pane rendered with a mail host that records what the pane
 * asks Outlook to do, a store client whose answers each test chooses, and a Map as the cache.
 * No Office.js and no network: the pane reaches both only through these two seams.
 */

// The lazy panels are compiled by ts-jest on first import: on a busy machine that takes seconds.
// A ceiling on waiting, not a speed assertion.
configure({ asyncUtilTimeout: 15_000 });

export interface RecordingHost extends MailHost {
  body: string;
  subject: string;
  delay: Date | null;
  inserted: string[];
  replies: string[];
  signatures: string[];
  current: MailItem;
  delaySupported: boolean;
  language: string;
  /** Follow-up drafts opened (openFollowUp), and how the host answers ('new' unless a test says). */
  followUps: FollowUpDraftForm[];
  followUpOpensAs: 'reply' | 'new';
}

export function recordingHost(item: MailItem, overrides: Partial<RecordingHost> = {}): RecordingHost {
  const host: RecordingHost = {
    body: '<p>Hello</p>',
    subject: '',
    delay: null,
    inserted: [],
    replies: [],
    signatures: [],
    current: item,
    delaySupported: true,
    language: 'en-US',
    displayLanguage: () => host.language,
    me: () => ({ name: 'Rep One', address: 'rep@example.test' }),
    item: async () => host.current,
    onItemChanged: async () => () => undefined,
    getSubject: async () => host.subject,
    setSubject: async (s) => void (host.subject = s),
    getBodyHtml: async () => host.body,
    insertAtCursor: async (html) => {
      host.inserted.push(html);
      host.body = html + host.body;
    },
    replyWith: async (html) => void host.replies.push(html),
    setSignature: async (html) => {
      host.signatures.push(html);
      host.body = host.body + html;
    },
    supportsDelayDelivery: () => host.delaySupported,
    getDelayDelivery: async () => host.delay,
    setDelayDelivery: async (when) => void (host.delay = when),
    followUps: [],
    followUpOpensAs: 'new',
    openFollowUp: async (draft) => (host.followUps.push(draft), host.followUpOpensAs),
    ...overrides,
  };
  return host;
}

export function memoryCache(entries: Record<string, string> = {}): PaneCache & { map: Map<string, string> } {
  const map = new Map(Object.entries(entries));
  return { map, get: async (k) => map.get(k) ?? null, set: async (k, v) => void map.set(k, v) };
}

/** A store client with only the calls a test gives; any other call fails loudly. */
export function storeStub(calls: Partial<Record<keyof StoreClient, (...args: never[]) => unknown>>): StoreClient {
  return new Proxy(calls, {
    get(target, name: string) {
      const call = (target as Record<string, unknown>)[name];
      if (typeof call === 'function') return call;
      return () => Promise.reject(new Error(`the test did not expect StoreClient.${name}`));
    },
  }) as unknown as StoreClient;
}

export function renderPane(host: RecordingHost, client: StoreClient, cache = memoryCache(), options: { keepTemplates?: boolean } = {}): RenderResult {
  // zustand stores are module state: each test starts from nothing (unless it started a load itself).
  if (!options.keepTemplates) useTemplates.setState({ status: 'idle', packs: [], personal: [], uses: [], offline: false, cachedAt: undefined, error: undefined });
  useItem.setState({ item: undefined, generation: 0 });
  const language = uiLanguageOf(host.displayLanguage());
  return render(<TaskPaneApp services={{ client, host, cache, language, t: translator(language) }} />);
}

export const quotePack: PublishedPack = {
  pack: 'sales',
  title: 'Sales',
  version: 3,
  publishedAt: '2026-11-01T00:00:00.000Z',
  document: {
    pack: 'sales',
    title: 'Sales',
    groups: ['eu'],
    defaultLanguage: 'en',
    templates: [
      {
        id: 'quotation',
        kind: 'quote',
        title: { en: 'Quotation', zh: '报价单' },
        fields: [
          { name: 'product', type: 'text', required: true, label: { en: 'Product', zh: '产品' } },
          { name: 'moq', type: 'number', label: { en: 'Minimum order', zh: '起订量' } },
          { name: 'incoterm', type: 'choice', options: ['FOB', 'CIF'], default: 'FOB', label: 'Incoterm' },
          { name: 'validUntil', type: 'date', default: '2026-12-31', label: 'Valid until' },
          {
            name: 'lines',
            type: 'lines',
            label: 'Items',
            columns: [
              { name: 'item', type: 'text', label: 'Item', required: true },
              { name: 'price', type: 'money', currency: 'USD', label: 'Price', required: true },
            ],
          },
        ],
        variants: { en: { subject: 'Quotation {{ product }}', body: '<p>{{ product }}</p>' }, zh: { subject: '报价 {{ product }}', body: '<p>{{ product }}</p>' } },
      },
      { id: 'sample-sent', kind: 'sample', title: { en: 'Samples on their way', zh: '样品已寄出' }, variants: { en: { subject: 'Samples', body: '<p>Samples sent</p>' } } },
      { id: 'payment-reminder', kind: 'payment', title: 'Payment reminder', variants: { en: { subject: 'Payment', body: '<p>Please pay</p>' } } },
    ],
  },
};

export const composeItem = (to = 'buyer@hamburg-import.de'): MailItem => ({ mode: 'compose', to: to ? [{ name: '', address: to }] : [], from: null, conversationId: 'conv-1' });
