import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { TenantDb } from '../db/tenant-db.js';
import type { AdapterFactory } from '../mail/sync.js';
import type { SecretBox } from '../secrets.js';
import { parseClock } from '../../core/clienttime/civil.js';
import { formatLocalIso, wallClockAt } from '../../core/clienttime/zones.js';
import { uiLanguageOf } from '../../core/i18n/index.js';
import { followUpLinkPath, followUpLinkToken } from './followup-link.js';
import { escapeHtml } from '../../core/template/escape.js';

/**
 * The morning digest (docs/followups.md): at 08:30 on each rep's clock, a mail to the rep, sent
 * through the rep's own connected mailbox, listing their follow-ups due. Once per rep and local
 * day across instances: the day's row is inserted in the transaction that sends, so a racing
 * instance's insert waits and then finds it (PostgreSQL) or is serialised (SQLite); a failed send
 * rolls the row back and the next pass tries again. A store that was down at 08:30 still sends
 * until noon; a rep with nothing due, or no connected mailbox, gets no mail (the pane and the
 * Gmail card list the same).
 */

export const DIGEST_AT = '08:30';
const DIGEST_UNTIL = '12:00';
const ITEMS_MAX = 50;

const TEXTS = {
  en: { subject: 'Follow-ups due today: {count}', intro: 'No reply yet to these mails:', line: '{subject} — to {to} — no reply since {since}', link: 'Follow up', outro: 'Open tradepane in Outlook or Gmail to follow up, snooze or mark done. “Follow up” puts a reply in your drafts, written with your team’s follow-up template in the buyer’s language.' },
  zh: { subject: '今日待跟进：{count} 封', intro: '以下邮件尚未收到回复：', line: '{subject} — 收件人 {to} — 自 {since} 起无回复', link: '跟进', outro: '在 Outlook 或 Gmail 中打开 tradepane 即可跟进、推迟或标记完成。点击“跟进”会用团队的跟进模板、以买方的语言写好回复并放入您的草稿箱。' },
} as const;

const fill = (text: string, params: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_m, k: string) => String(params[k] ?? ''));

export interface DigestOptions {
  adapterFor: AdapterFactory;
  box: SecretBox | undefined;
  now: Date;
  /** The store's address for the entries' "follow up" links (with `box`); no links without it. */
  publicUrl?: string | undefined;
  onError?: (error: unknown, who: { tenantId: string; userId: string }) => void;
}

/** One pass: every rep with something due whose clock is between 08:30 and noon and who has had no digest today. */
export async function sendMorningDigests(db: Kysely<Database>, options: DigestOptions): Promise<number> {
  const reps = await db.selectFrom('followups').select(['tenant_id', 'user_id']).distinct().where('status', '=', 'due').execute();
  let sent = 0;
  for (const { tenant_id, user_id } of reps) {
    try {
      if (await digestFor(new TenantDb(db, tenant_id), user_id, options)) sent++;
    } catch (error) {
      options.onError?.(error, { tenantId: tenant_id, userId: user_id });
    }
  }
  return sent;
}

async function digestFor(tdb: TenantDb, userId: string, options: DigestOptions): Promise<boolean> {
  const user = await tdb.selectFrom('users').select(['email', 'name', 'time_zone', 'locale', 'disabled_at']).where('id', '=', userId).executeTakeFirst();
  if (!user || user.disabled_at) return false;
  const zone = user.time_zone ?? 'UTC';
  const wall = wallClockAt(zone, options.now.getTime());
  const minutes = wall.hour * 60 + wall.minute;
  if (minutes < parseClock(DIGEST_AT) || minutes >= parseClock(DIGEST_UNTIL)) return false;
  if (await tdb.selectFrom('followup_digests').select('user_id').where('user_id', '=', userId).where('local_date', '=', wall.date).executeTakeFirst()) return false;
  const mailbox = await tdb.selectFrom('mailboxes').selectAll().where('address', '=', user.email).where('paused', '=', 0).executeTakeFirst();
  if (!mailbox || (mailbox.secrets && !options.box)) return false;

  const adapter = options.adapterFor(mailbox, mailbox.secrets ? options.box!.open(mailbox.secrets) : {});
  try {
    const send = adapter.send?.bind(adapter);
    if (!send) return false; // this provider cannot send yet
    return await tdb.transaction(async (tx) => {
      const due = await tx.selectFrom('followups').selectAll().where('user_id', '=', userId).where('status', '=', 'due').orderBy('due_at').limit(ITEMS_MAX).execute();
      if (due.length === 0) return false;
      const claimed = await tx.insertIfAbsent('followup_digests', { user_id: userId, local_date: wall.date, items: due.length, message_id: null, sent_at: options.now.toISOString() }, ['user_id', 'local_date']);
      if (!claimed) return false;
      const words = TEXTS[uiLanguageOf(user.locale ?? 'en') === 'zh-CN' ? 'zh' : 'en'];
      const lines = due.map((f) => fill(words.line, { subject: f.subject || '—', to: (JSON.parse(f.recipients) as string[]).slice(0, 3).join(', '), since: formatLocalIso(zone, Date.parse(f.sent_at ?? f.created_at)).slice(0, 16).replace('T', ' ') }));
      // One click per entry: a sealed link to the page that files the reply draft (services/followup-link.ts).
      const links = due.map((f) => (options.box && options.publicUrl ? `${options.publicUrl.replace(/\/+$/, '')}${followUpLinkPath(followUpLinkToken(options.box, { tenantId: f.tenant_id, userId, followUpId: f.id }, options.now))}` : null));
      // A failed send throws: the day's row rolls back with it and the next pass tries again.
      const { messageId } = await send({
        to: [{ address: user.email, name: user.name }],
        subject: fill(words.subject, { count: due.length }),
        html: `<p>${escapeHtml(words.intro)}</p><ul>${lines.map((l, i) => `<li>${escapeHtml(l)}${links[i] ? ` — <a href="${escapeHtml(links[i])}">${escapeHtml(words.link)}</a>` : ''}</li>`).join('')}</ul><p>${escapeHtml(words.outro)}</p>`,
        text: [words.intro, ...lines.flatMap((l, i) => [`- ${l}`, ...(links[i] ? [`  ${words.link}: ${links[i]}`] : [])]), '', words.outro].join('\n'),
      });
      await tx.updateTable('followup_digests', { message_id: messageId }).where('user_id', '=', userId).where('local_date', '=', wall.date).execute();
      return true;
    });
  } finally {
    await adapter.close();
  }
}
