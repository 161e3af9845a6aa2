import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { TenantDb } from '../db/tenant-db.js';
import { AppError } from '../errors.js';
import type { AdapterFactory } from '../mail/sync.js';
import { MailboxError } from '../mail/types.js';
import type { Renderer } from '../render/render-task.js';
import type { SecretBox } from '../secrets.js';
import type { FollowUpDraftFiled } from '../../contract/followups.js';
import { draftFor } from './followup-draft.js';

/**
 * The digest's one-click "follow up" (docs/followups.md): each entry links to a store page whose
 * button files the reply draft in the rep's own connected mailbox (IMAP Drafts, Graph, Gmail) and
 * says where it is. The link's token is sealed with the store's secret key (AES-GCM: nobody can
 * make or alter one), names one follow-up of one rep in one tenant, and lapses after two weeks.
 * The page asks before filing because mail scanners open every link in a mail.
 */

export const FOLLOW_UP_LINK_DAYS = 14;
const DAY_MS = 86_400_000;

interface LinkClaims {
  tenantId: string;
  userId: string;
  followUpId: string;
}

/** The token rides in the query: it is longer than a path parameter may be. */
export const followUpLinkPath = (token: string) => `/followups/draft?token=${token}`;

export function followUpLinkToken(box: SecretBox, claims: LinkClaims, now: Date): string {
  return box.seal({ k: 'followup-draft', t: claims.tenantId, u: claims.userId, f: claims.followUpId, x: new Date(now.getTime() + FOLLOW_UP_LINK_DAYS * DAY_MS).toISOString() });
}

export type LinkProblem = 'invalid' | 'expired';

export function openFollowUpLink(box: SecretBox, token: string, now: Date): LinkClaims | LinkProblem {
  if (token.length > 2000 || !/^v1\.[A-Za-z0-9_.-]+$/.test(token)) return 'invalid';
  let claims: Record<string, string>;
  try {
    claims = box.open(token);
  } catch {
    return 'invalid'; // altered, truncated, or sealed under another key
  }
  if (claims.k !== 'followup-draft' || !claims.t || !claims.u || !claims.f || !claims.x) return 'invalid';
  if (Date.parse(claims.x) <= now.getTime()) return 'expired';
  return { tenantId: claims.t, userId: claims.u, followUpId: claims.f };
}

export interface FileDraftDeps {
  db: Kysely<Database>;
  box: SecretBox;
  adapterFor: AdapterFactory;
  renderer?: Renderer | undefined;
}

/** The rep's language for the page (their profile's locale). */
export async function linkLocale(db: Kysely<Database>, claims: LinkClaims): Promise<string | null> {
  return (await new TenantDb(db, claims.tenantId).selectFrom('users').select('locale').where('id', '=', claims.userId).executeTakeFirst())?.locale ?? null;
}

/** Renders the follow-up and files it as a draft in the rep's own connected mailbox. */
export async function fileFollowUpDraft(deps: FileDraftDeps, claims: LinkClaims, now: Date): Promise<FollowUpDraftFiled> {
  const tdb = new TenantDb(deps.db, claims.tenantId);
  const user = await tdb.selectFrom('users').select(['email', 'name', 'disabled_at']).where('id', '=', claims.userId).executeTakeFirst();
  if (!user || user.disabled_at) throw new AppError(404, 'not_found', 'the account this link was made for no longer exists or is disabled');
  const row = await tdb.selectFrom('followups').selectAll().where('id', '=', claims.followUpId).where('user_id', '=', claims.userId).executeTakeFirst();
  if (!row) throw new AppError(404, 'not_found', 'this follow-up no longer exists');
  const mailbox = await tdb.selectFrom('mailboxes').selectAll().where('address', '=', user.email).where('paused', '=', 0).executeTakeFirst();
  if (!mailbox) throw new AppError(409, 'no_mailbox', `no connected mailbox for ${user.email}: ask your admin to connect it, or follow up from Outlook or Gmail`);
  const draft = await draftFor(tdb, row, { now, renderer: deps.renderer });
  // Gmail threads a draft by its thread id: the sent mail's, as the sync stored it.
  const sent = row.message_key ? await tdb.selectFrom('mail_messages').select('provider_thread_id').where('mailbox_id', '=', mailbox.id).where('message_key', '=', row.message_key).executeTakeFirst() : undefined;
  const adapter = deps.adapterFor(mailbox, mailbox.secrets ? deps.box.open(mailbox.secrets) : {});
  try {
    if (!adapter.createDraft) throw new AppError(409, 'cannot_draft', `the ${mailbox.provider} mailbox ${mailbox.address} cannot hold drafts from the store`);
    const filed = await adapter.createDraft({
      from: { address: user.email, name: user.name },
      to: draft.to.map((address) => ({ address })),
      subject: draft.subject,
      html: draft.html,
      text: draft.text,
      ...(draft.inReplyTo ? { inReplyTo: draft.inReplyTo, references: [draft.inReplyTo] } : {}),
      threadId: sent?.provider_thread_id ?? row.thread_id,
    });
    return { mailbox: mailbox.address, provider: mailbox.provider, folder: filed.folder, webLink: filed.webLink, subject: draft.subject };
  } catch (error) {
    if (error instanceof MailboxError) throw new AppError(502, 'mailbox_error', `${mailbox.address} did not take the draft: ${error.message}`);
    throw error;
  } finally {
    await adapter.close();
  }
}
