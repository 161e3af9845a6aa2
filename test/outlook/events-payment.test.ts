import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Store } from '../../src/server/db/connect.js';
import { pushPack } from '../../src/server/services/packs.js';
import { setCompanyProfile } from '../../src/server/services/company-profile.js';
import { operator, packYaml, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { installOffice, messageState, uninstallOffice, type MessageState } from './office-stand-in.js';

/**
 * The on-send payment guard in the event bundle (Smart Alerts), driven against a real store on
 * 127.0.0.1: bank details that are not the official account warn or block by the pack's policy.
 */

type Completion = { allowEvent?: boolean; errorMessage?: string; sendModeOverride?: string } | null;

const storage = new Map<string, string>();
const associated: Record<string, (event: unknown) => unknown> = {};

async function run(name: string): Promise<Completion[]> {
  const completions: Completion[] = [];
  await associated[name]!({ completed: (options?: Completion) => completions.push(options ?? null) });
  return completions;
}

let bundleLoaded = false;
async function loadBundle(state: MessageState): Promise<void> {
  if (bundleLoaded) return;
  installOffice(state);
  await import('../../src/outlook/events/index.js');
  Object.assign(associated, state.associated);
  bundleLoaded = true;
}

describe.each(storeKinds())('Outlook on-send payment guard on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let baseUrl: string;
  let state: MessageState;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'paysend');
    await setCompanyProfile(t.tdb, operator(t.tenantId), { legalName: 'Paysend Co.', bankAccounts: [{ label: 'EUR', beneficiary: 'Paysend Co.', bankName: 'Deutsche Bank', iban: 'DE89370400440532013000', swift: 'DEUTDEFF' }] });
    app = await testApp(store);
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    uninstallOffice();
    delete (globalThis as { __TRADEPANE_ADDIN__?: unknown }).__TRADEPANE_ADDIN__;
    await app.close();
    await store.close();
  });

  afterAll(() => {
    jest.useRealTimers();
  });

  beforeEach(async () => {
    // Only Date is faked: a Tuesday 10:00 in Germany, inside Hans's business hours, so only the payment guard speaks.
    jest.useFakeTimers({ now: new Date('2025-06-03T08:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'] });
    storage.clear();
    state = messageState({ storage, to: [{ displayName: 'Hans', emailAddress: 'hans@buyer-of-paysend.de' }], body: '<html><body><div>Hello Hans</div></body></html>' });
    await loadBundle(state);
    installOffice(state, { displayLanguage: 'en-US' });
    (globalThis as { __TRADEPANE_ADDIN__?: unknown }).__TRADEPANE_ADDIN__ = { storeUrl: baseUrl, dev: false, clientId: null, apiScope: null };
    storage.set('tradepane:store-token', JSON.stringify({ token: t.rep.key, expiresAt: Date.now() + 3_600_000, source: 'dev' }));
  });

  it('lets the official account go', async () => {
    state.body = '<html><body><p>Please pay to IBAN DE89 3704 0044 0532 0130 00</p></body></html>';
    expect(await run('onMessageSendHandler')).toEqual([{ allowEvent: true }]);
  });

  it('warns about another account by default, with the reason; the rep may send anyway', async () => {
    state.body = '<html><body><p>Please pay to IBAN GB82 WEST 1234 5698 7654 32</p></body></html>';
    const [warned] = await run('onMessageSendHandler');
    expect(warned).toEqual({
      allowEvent: false,
      sendModeOverride: 'promptUser',
      errorMessage: "This message carries bank details that are not the company's official ones. Check them before sending. Bank details GB82…5432 (IBAN) are not one of the company's official accounts.",
    });
  });

  it('blocks under a block policy, in Chinese when Office is', async () => {
    await pushPack(t.tdb, operator(t.tenantId), `${packYaml('paysend-strict', [t.groupSlug])}policies:\n  payments: block\n`);
    installOffice(state, { displayLanguage: 'zh-CN' });
    state.body = '<html><body><p>账号：6222 0212 3456 7890</p></body></html>';
    const [blocked] = await run('onMessageSendHandler');
    expect(blocked).toEqual({ allowEvent: false, errorMessage: '此邮件包含的银行信息不是公司的官方账户，公司政策禁止发送。请改为插入官方资料中的银行信息。 银行信息 6222…7890（账号）不是公司的官方账户。' });
  });

  it('fails open when the store cannot be reached', async () => {
    (globalThis as { __TRADEPANE_ADDIN__?: unknown }).__TRADEPANE_ADDIN__ = { storeUrl: 'http://127.0.0.1:9', dev: false, clientId: null, apiScope: null };
    state.body = '<html><body><p>IBAN GB82 WEST 1234 5698 7654 32</p></body></html>';
    expect(await run('onMessageSendHandler')).toEqual([{ allowEvent: true }]);
  });
});
