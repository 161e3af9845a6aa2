import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '../../src/server/db/connect.js';
import { pushPack } from '../../src/server/services/packs.js';
import { updateUser } from '../../src/server/services/people.js';
import { createFollowUp, fireDueFollowUps } from '../../src/server/services/followups.js';
import type { Actor } from '../../src/server/auth/principal.js';
import { permissionsOfRole } from '../../src/core/access/permissions.js';
import { operator, packYaml } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { actions, addonEvent, cardTexts, notification, post, shownCard, startHarness, type Harness } from './gmail-harness.js';

/** "Remind me if no reply" on the Gmail compose card and "Follow-ups due" on the home card, in English and Chinese. */
describe.each(storeKinds())('follow-ups in the Gmail add-on on $name', (kind) => {
  let store: Store;
  let h: Harness;
  let actor: Actor;
  const buyer = 'ahmed@alfaisal-trading.com.sa';

  beforeAll(async () => {
    store = await kind.open();
    h = await startHarness(store, 'gfu');
    const t = h.tenant;
    // The pack's follow-up policy: an inquiry waits 2 of the buyer's business days.
    await pushPack(t.tdb, operator(t.tenantId), `${packYaml(t.packSlug, [t.groupSlug])}policies:\n  followUps:\n    days: {inquiry: 2}\n`);
    await updateUser(t.tdb, operator(t.tenantId), t.rep.id, { timeZone: 'Asia/Shanghai' });
    actor = { tenantId: t.tenantId, userId: t.rep.id, role: 'rep', permissions: permissionsOfRole('rep'), label: t.rep.email };
  });
  afterAll(async () => {
    await h.close();
    await store.close();
  });

  const compose = (parts: Parameters<typeof addonEvent>[2] = {}) => addonEvent(h, h.tenant.rep.email, { gmail: { toRecipients: [buyer], accessToken: 'compose-token' }, ...parts });
  const selected = (card: ReturnType<typeof shownCard>, name: string) =>
    card.sections!.flatMap((s) => s.widgets ?? []).find((w) => w.selectionInput?.name === name)?.selectionInput?.items?.find((i) => i.selected)?.value;

  it('offers the reminder on the compose card (off with no template) and the template card (the pack’s default for its kind)', async () => {
    const home = shownCard((await post(h, '/compose', await compose())).json());
    expect(cardTexts(home)).toContain('Remind me if no reply');
    expect(selected(home, 'followup_days')).toBe('off');
    const pick = actions(home).find((a) => a.path === '/compose/template')!;
    const template = shownCard((await post(h, '/compose/template', await compose({ parameters: pick.parameters }))).json());
    expect(selected(template, 'followup_days')).toBe('2');
    expect(actions(template).find((a) => a.path === '/followups/remind')?.parameters).toEqual({ kind: 'inquiry' });
  });

  it('stores the reminder against the draft’s recipients until the mail leaves', async () => {
    const res = await post(h, '/followups/remind', await compose({ formInputs: { followup_days: '3' }, parameters: { kind: 'quote' } }));
    expect(notification(res.json())).toBe(`I will remind you in 3 of their business days if ${buyer} has not replied.`);
    const row = await h.tenant.tdb.selectFrom('followups').selectAll().where('user_id', '=', h.tenant.rep.id).where('template_kind', '=', 'quote').executeTakeFirst();
    expect(row).toMatchObject({ status: 'awaiting-send', recipients: JSON.stringify([buyer]), rule: JSON.stringify({ kind: 'business-days', days: 3, hour: '09:00' }) });
    expect(notification((await post(h, '/followups/remind', await compose({ formInputs: { followup_days: 'off' } }))).json())).toBe('No reminder for this mail.');
    expect(notification((await post(h, '/followups/remind', await compose({ gmail: { toRecipients: [] }, formInputs: { followup_days: '3' } }))).json())).toBe('Add a recipient first.');
  });

  it('lists what is due on the home card, with done and later, in English and Chinese', async () => {
    const made = await createFollowUp(h.tenant.tdb, actor, { rule: { kind: 'business-days', days: 3 }, subject: 'Quotation QT-77', to: [buyer], messageId: '<qt-77@gfu.test>', sentAt: '2026-05-21T08:00:00Z' });
    const later = await createFollowUp(h.tenant.tdb, actor, { rule: { kind: 'business-days', days: 3 }, subject: 'Quotation QT-78', to: [buyer], messageId: '<qt-78@gfu.test>', sentAt: '2026-05-21T08:00:00Z' });
    expect(await fireDueFollowUps(store.db, 'gmail-test', new Date('2026-06-01T01:00:00Z'))).toBe(2);

    const card = shownCard((await post(h, '/homepage', await addonEvent(h, h.tenant.rep.email))).json());
    expect(card.sections![0]!.header).toBe('Follow-ups due');
    expect(cardTexts(card)).toEqual(expect.arrayContaining(['Quotation QT-77', 'Quotation QT-78', 'No reply since 2026-05-21 10:00']));
    const done = actions(card).find((a) => a.path === '/followups/done' && a.parameters.id === made.followUp.id)!;
    const afterDone = (await post(h, '/followups/done', await addonEvent(h, h.tenant.rep.email, { parameters: done.parameters }))).json();
    expect(notification(afterDone)).toBe('Marked done.');
    expect(cardTexts(shownCard(afterDone))).not.toContain('Quotation QT-77');

    const zh = shownCard((await post(h, '/homepage', await addonEvent(h, h.tenant.rep.email, { locale: 'zh-CN' }))).json());
    expect(zh.sections![0]!.header).toBe('待跟进');
    const snooze = actions(zh).find((a) => a.path === '/followups/snooze' && a.parameters.id === later.followUp.id)!;
    expect(snooze.text).toBe('稍后（2 个工作日）');
    const snoozed = (await post(h, '/followups/snooze', await addonEvent(h, h.tenant.rep.email, { locale: 'zh-CN', parameters: snooze.parameters }))).json();
    expect(notification(snoozed)).toMatch(/^已推迟到 \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(Europe\/Berlin\)。$/);
    expect((await h.tenant.tdb.selectFrom('followups').select(['status', 'snoozes']).where('id', '=', later.followUp.id).executeTakeFirst())).toEqual({ status: 'waiting', snoozes: 1 });
    expect(cardTexts(shownCard(snoozed))).toContain('暂无到期的跟进。等待回复：2 封。');
  });
});
