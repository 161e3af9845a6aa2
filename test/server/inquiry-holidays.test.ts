import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { pushPack } from '../../src/server/services/packs.js';
import { updateUser } from '../../src/server/services/people.js';
import { unansweredInquiries } from '../../src/server/services/followups.js';
import { validatePack } from '../../src/core/pack/validate.js';
import { operator, packYaml, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/**
 * The inquiry reply rule on the company's own clock: its country's work week and public holidays
 * (with China's make-up workdays) and its own closed days stop the 24 business hours.
 */
describe.each(storeKinds())('the inquiry clock with the company’s holidays on $name', (kind) => {
  let store: Store;
  let t: SeededTenant;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, `inqh${kind.name}`);
    await updateUser(t.tdb, operator(t.tenantId), t.rep.id, { timeZone: 'Asia/Shanghai' });
    const mb = await addMailbox(t.tdb, operator(t.tenantId), new SecretBox(randomBytes(32)), { provider: 'imap', address: t.rep.email, settings: { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port: 9, security: 'none' } }, secrets: { password: 'x' } }, { backfillDays: 30 });
    const at = '2026-09-30T09:00:00.000Z'; // Wednesday 17:00 in Shanghai, the eve of National Day
    await t.tdb.insert('conversations', { id: 'rfq', subject: 'RFQ: porcelain tiles', subject_key: 'rfq: porcelain tiles', participants: '[]', customer_ids: '[]', customer_id: null, first_message_at: at, last_message_at: at, last_inbound_at: at, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'open', assignee_id: null, first_response_at: null, created_at: at, updated_at: at });
    await t.tdb.insert('mail_messages', { id: 'msg-rfq', mailbox_id: mb.id, conversation_id: 'rfq', provider_id: 'p-rfq', folder: 'inbox', message_key: 'rfq@x.test', second_key: null, in_reply_to: null, reference_keys: '[]', provider_thread_id: null, from_address: 'buyer@new-importer.com.au', from_name: null, to_addresses: '[]', cc_addresses: '[]', date_header: null, utc_offset_minutes: null, received_at: at, subject: 'RFQ: porcelain tiles', direction: 'inbound', size_bytes: 0, attachments: '[]', auto_verdict: 'none', language: null, excerpt: '', created_at: at });
  });
  afterAll(async () => {
    await store.close();
  });

  const listed = async (iso: string) => (await unansweredInquiries(t.tdb, { ...operator(t.tenantId), userId: t.rep.id }, 'mine', new Date(iso))).map((i) => [i.conversationId, i.businessHoursWaiting]);
  const withPolicy = (policy: string) => pushPack(t.tdb, operator(t.tenantId), `${packYaml(t.packSlug, [t.groupSlug])}policies:\n  inquiries:\n${policy}`);

  it('counts Monday to Friday without holidays when the pack names no country', async () => {
    // Wed 17–18 (1) + Thu 1 Oct (9) + Fri 2 Oct (9) + Mon 5 Oct 09–14 (5) = 24 at 14:00 (06:00Z).
    expect(await listed('2026-10-05T05:59:00Z')).toEqual([]);
    expect(await listed('2026-10-05T06:00:00Z')).toEqual([['rfq', 24]]);
  });

  it('stops for China’s National Day and counts its make-up Saturday', async () => {
    await withPolicy('    country: CN\n');
    // Wed 30 Sep 17–18 (1); 1–7 Oct off; Thu 8 (9) + Fri 9 (9) + Sat 10 Oct, a make-up workday, 09–14 (5) = 24.
    expect(await listed('2026-10-05T06:00:00Z')).toEqual([]);
    expect(await listed('2026-10-10T05:59:00Z')).toEqual([]);
    expect(await listed('2026-10-10T06:00:00Z')).toEqual([['rfq', 24]]);
  });

  it('stops for the company’s own closed days too', async () => {
    await withPolicy('    country: CN\n    closedDates: ["2026-10-08"]\n');
    // Closed Thu 8 Oct: Fri 9 (9) + Sat 10 (9) + Mon 12 Oct 09–14 (5) + 1 = 24 on Monday at 14:00.
    expect(await listed('2026-10-10T06:00:00Z')).toEqual([]);
    expect(await listed('2026-10-12T06:00:00Z')).toEqual([['rfq', 24]]);
  });

  it('refuses a pack whose company country is not a country', () => {
    const bad = validatePack({ pack: 'p', title: 'P', groups: ['g'], defaultLanguage: 'en', templates: [{ id: 'a', kind: 'inquiry', title: 'A', variants: { en: { subject: 's', body: 'b' } } }], policies: { inquiries: { country: 'XX' } } });
    expect(bad.issues.filter((i) => i.severity === 'error').map((i) => [i.path, i.message])).toEqual([['policies.inquiries.country', 'the company country "XX" is not an ISO 3166-1 alpha-2 country code (e.g. "SA", "DE", "US")']]);
  });
});
