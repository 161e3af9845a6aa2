import type { Principal } from '../auth/principal.js';
import type { CustomerRow } from '../db/tables.js';
import type { TenantDb } from '../db/tenant-db.js';
import type { StoredMessage } from '../mail/hooks.js';
import { enqueue } from './connectors.js';
import { customerOfEmail } from './customers.js';
import { getCompanyProfile } from './company-profile.js';
import { publishedPacks } from './packs.js';
import { businessDomain } from '../../core/conversation/index.js';
import { messageIdKey } from '../../core/crm/index.js';
import { htmlToText } from '../../core/template/text.js';
import {
  checkIncoming,
  checkOutgoing,
  DEFAULT_PAYMENT_POLICY,
  FINDING_SEVERITY,
  knownAccounts,
  registrableDomain,
  KnownDomains,
  type KnownAccounts,
  type PaymentFinding,
  type PaymentPolicy,
} from '../../core/payment/index.js';
import type { PaymentAlertView, PaymentCheckRequest, PaymentCheckResponse, PaymentFindingView, PaymentVerdictView } from '../../contract/payments.js';

/**
 * The payment guard's server side (docs/payments.md): the one check both clients' on-send hooks
 * call, the hook that judges every synced inbound mail, and the verdicts the read pane, the Gmail
 * card and the admin console show. The rules themselves are in core/payment.
 */

const view = (f: PaymentFinding): PaymentFindingView => ({ code: f.code, severity: FINDING_SEVERITY[f.code], params: { ...f.params } });

/** The company's official accounts, canonical. */
export async function officialAccounts(tdb: TenantDb): Promise<KnownAccounts> {
  return knownAccounts((await getCompanyProfile(tdb)).bankAccounts);
}

const STRICTNESS: Record<PaymentPolicy, number> = { off: 0, warn: 1, block: 2 };

/** The strictest `policies.payments` among the packs published to the rep; warn when none says. */
export async function paymentPolicyFor(tdb: TenantDb, userId: string): Promise<PaymentPolicy> {
  const policies = (await publishedPacks(tdb, userId)).map((p) => p.document.policies?.payments).filter((p): p is PaymentPolicy => p !== undefined);
  if (policies.length === 0) return DEFAULT_PAYMENT_POLICY;
  return policies.reduce((a, b) => (STRICTNESS[b] > STRICTNESS[a] ? b : a));
}

/** A draft's bank details against the official accounts, under the rep's policy. */
export async function checkDraftPayments(tdb: TenantDb, principal: Principal, input: PaymentCheckRequest): Promise<PaymentCheckResponse> {
  const text = input.format === 'html' ? htmlToText(input.body) : input.body;
  const policy = await paymentPolicyFor(tdb, principal.userId);
  const check = checkOutgoing(text, await officialAccounts(tdb), policy);
  return { action: check.action, policy, findings: check.findings.map(view), official: check.official };
}

/** Domains that are ours: users' and mailboxes' business domains. */
async function ownDomains(tdb: TenantDb): Promise<string[]> {
  const users = await tdb.selectFrom('users').select('email').execute();
  const boxes = await tdb.selectFrom('mailboxes').select('address').execute();
  return [...new Set([...users.map((u) => u.email), ...boxes.map((b) => b.address)].map((a) => businessDomain(a)).filter((d): d is string => d !== null))];
}

/** A domain the guard knows: a company's, with when the company was filed, or our own (no company). */
interface KnownDomain {
  domain: string;
  customerId: string | null;
  filedAt: string | null;
}

/**
 * Every company's domain on file and our own, indexed for the look-alike rule (core/payment
 * KnownDomains): read once per page, and again after the sync files a company in the page
 * (PageMemo.companyFiled), so a company filed by an earlier mail of the page counts for the later
 * ones exactly as a read per mail would.
 */
function knownOnFile(stored: StoredMessage): Promise<{ domains: KnownDomain[]; index: KnownDomains }> {
  const { tdb, page } = stored;
  return page.once(
    'payment-guard:known-domains',
    async () => {
      const rows = await tdb.selectFrom('customer_domains').innerJoin('customers', 'customers.id', 'customer_domains.customer_id').select(['customer_domains.domain', 'customers.id', 'customers.created_at'])
        // The first match in this order names the imitated company: the oldest filed first, so the
        // answer is the same on SQLite and PostgreSQL and from one page to the next.
        .orderBy('customers.created_at')
        .orderBy('customer_domains.domain')
        .execute();
      // Our own domains: the sync changes neither users nor mailboxes.
      const own = await page.once('payment-guard:own-domains', () => ownDomains(tdb));
      const domains: KnownDomain[] = [...rows.map((r) => ({ domain: r.domain, customerId: r.id as string | null, filedAt: r.created_at as string | null })), ...own.map((domain) => ({ domain, customerId: null, filedAt: null }))];
      return { domains, index: new KnownDomains(domains.map((d) => d.domain)) };
    },
    { dependsOn: 'companies' },
  );
}

/**
 * Known before this sender: every company's domain filed before the sender's own company was (the
 * sync files a new company for every new business domain, a look-alike's too; the older of two
 * similar names is the genuine one), and our own.
 */
function knownBefore(sender: { id: string; created_at: string } | undefined): (d: KnownDomain) => boolean {
  return (d) => d.customerId === null || !sender || (d.filedAt! < sender.created_at && d.customerId !== sender.id);
}

/** What `accounts` holds when a mail named none. */
const NO_ACCOUNTS = JSON.stringify([]);

/**
 * The accounts a company used in mails the guard found clean, kept for the page: read once per
 * company, then kept current by the guard itself as it stores verdicts (it is their only writer).
 */
async function companyAccounts(stored: StoredMessage, customerId: string): Promise<string[]> {
  const all = await stored.page.once('payment-guard:accounts-on-file', async () => new Map<string, string[]>());
  let accounts = all.get(customerId);
  if (!accounts) {
    // Only verdicts that found accounts: most mail names none, and a company's clean mail piles up.
    const rows = await stored.tdb.selectFrom('payment_verdicts').select('accounts').where('customer_id', '=', customerId).where('verdict', '!=', 'suspicious').where('accounts', '!=', NO_ACCOUNTS).execute();
    accounts = rows.flatMap((r) => JSON.parse(r.accounts) as string[]);
    all.set(customerId, accounts);
  }
  return accounts;
}

/** A verdict the guard stored: its accounts are on file for the rest of the page as a read would find them. */
async function verdictStored(stored: StoredMessage, customerId: string | null, verdict: 'ok' | 'notice' | 'suspicious', accounts: readonly string[]): Promise<void> {
  if (!customerId || verdict === 'suspicious' || accounts.length === 0) return;
  const all = await stored.page.once('payment-guard:accounts-on-file', async () => new Map<string, string[]>());
  all.get(customerId)?.push(...accounts);
}

/** Accounts a company used in mails the guard found clean, plus our own (a buyer may quote our PI back). */
async function accountsOnFile(stored: StoredMessage, customerId: string | null, official: KnownAccounts): Promise<KnownAccounts | null> {
  const theirs = customerId ? await companyAccounts(stored, customerId) : [];
  if (theirs.length === 0) return null;
  const ibans = new Set([...official.ibans, ...theirs.filter((a) => /^[A-Z]{2}[0-9]{2}/.test(a))]);
  const numbers = new Set([...official.accountNumbers, ...theirs.filter((a) => !/^[A-Z]{2}[0-9]{2}/.test(a))]);
  return { ibans, accountNumbers: numbers, bics: official.bics };
}

/**
 * No other stored message from this registrable domain (or a subdomain of it): an indexed equality
 * on the stored sender domain (migration 023). A domain found with mail keeps it for the rest of
 * the page (the sync deletes nothing), and so does a domain once this mail is stored.
 */
async function firstFromDomain(stored: StoredMessage, domain: string, messageId: string): Promise<boolean> {
  const withMail = await stored.page.once('payment-guard:domains-with-mail', async () => new Set<string>());
  if (withMail.has(domain)) return false;
  const earlier = await stored.tdb.selectFrom('mail_messages').select('id').where('from_domain', '=', domain).where('id', '!=', messageId).limit(1).executeTakeFirst();
  withMail.add(domain); // this mail itself is stored: the page's later mails from the domain are not the first
  return !earlier;
}

/**
 * The sender's company on file. A company found is kept for the rest of the page (the sync files
 * companies but neither removes them nor moves a domain), so a buyer's mails in one page cost one
 * look-up; none found is asked again, since a later mail of the page may file it.
 */
async function senderCompany(stored: StoredMessage, address: string): Promise<CustomerRow | undefined> {
  const found = await stored.page.once('payment-guard:sender-companies', async () => new Map<string, CustomerRow>());
  const known = found.get(address);
  if (known) return known;
  const company = await customerOfEmail(stored.tdb, address);
  if (company) found.set(address, company);
  return company;
}

/** The sender's contact, kept for the page once found (the sync files contacts but neither removes nor renames one); none found is asked again. */
async function senderContact(stored: StoredMessage, address: string): Promise<{ id: string } | undefined> {
  const found = await stored.page.once('payment-guard:sender-contacts', async () => new Map<string, { id: string }>());
  const known = found.get(address);
  if (known) return known;
  const contact = await stored.tdb.selectFrom('contacts').select('id').where('email', '=', address).executeTakeFirst();
  if (contact) found.set(address, contact);
  return contact;
}

/**
 * The inbound guard, run by the mail sync for each stored message inside its transaction. Mail
 * from people outside (not automatic, not our own) is judged when it concerns a company we know
 * or when the rules find something; the verdict is stored, and while the mailbox is live (not
 * backfilling last month's mail) a suspicious one becomes a `payment.suspicious` event.
 */
export async function paymentGuardHook(stored: StoredMessage): Promise<void> {
  const { tdb, message: m, fetched } = stored;
  if (m.direction !== 'inbound' || m.auto_verdict !== 'none' || !m.from_address) return;
  const fromDomain = registrableDomain(m.from_address);
  if (!fromDomain) return;
  const sender = await senderCompany(stored, m.from_address);
  const known = await knownOnFile(stored);
  const before = knownBefore(sender);
  const admit = (i: number) => before(known.domains[i]!);
  const match = known.index.match(fromDomain, admit);
  const lookalike = match?.lookalike ?? null;
  // The company imitated: the (first) one whose domain the look-alike names.
  const imitated = match ? known.domains[match.index]!.customerId : null;
  const companyId = lookalike ? imitated : (sender?.id ?? null);
  const official = await stored.page.once('payment-guard:official-accounts', () => officialAccounts(tdb));
  const check = checkIncoming({
    from: m.from_address,
    replyTo: fetched.replyTo.map((r) => r.address),
    text: fetched.textBody ?? '',
    knownDomains: { lookalike: (host) => (host === fromDomain ? lookalike : known.index.lookalike(host, admit)) },
    knownAccounts: await accountsOnFile(stored, companyId, official),
    firstFromDomain: await firstFromDomain(stored, fromDomain, m.id),
  });
  if (stored.conversation.customerIds.length === 0 && check.findings.length === 0) return;
  const contact = lookalike ? undefined : await senderContact(stored, m.from_address);
  await tdb.insert('payment_verdicts', {
    message_id: m.id,
    message_key: m.message_key,
    verdict: check.verdict,
    findings: JSON.stringify(check.findings),
    accounts: JSON.stringify(check.accounts),
    customer_id: companyId,
    contact_id: contact?.id ?? null,
    from_address: m.from_address,
    created_at: stored.at.toISOString(),
  });
  await verdictStored(stored, companyId, check.verdict, check.accounts);
  if (check.verdict === 'suspicious' && stored.live) {
    await enqueue(tdb, {
      type: 'payment.suspicious',
      id: `payment.suspicious:${m.id}`,
      occurredAt: stored.at.toISOString(),
      message: { messageId: m.message_key, mailbox: stored.mailbox.address, from: m.from_address, subject: m.subject, receivedAt: m.received_at },
      customerId: companyId,
      findings: check.findings.map(view),
    });
  }
}

/** The phone number to confirm by: the sender's own (unless the sender is the suspect), else any contact's of the company. */
async function phoneOnFile(tdb: TenantDb, customerId: string | null, contactId: string | null): Promise<string | null> {
  if (contactId) {
    const c = await tdb.selectFrom('contacts').select('phone').where('id', '=', contactId).executeTakeFirst();
    if (c?.phone) return c.phone;
  }
  if (!customerId) return null;
  const other = await tdb.selectFrom('contacts').select('phone').where('customer_id', '=', customerId).where('phone', 'is not', null).orderBy('updated_at', 'desc').limit(1).executeTakeFirst();
  return other?.phone ?? null;
}

async function verdictView(tdb: TenantDb, row: { verdict: 'ok' | 'notice' | 'suspicious'; findings: string; from_address: string | null; customer_id: string | null; contact_id: string | null; created_at: string }): Promise<PaymentVerdictView> {
  const company = row.customer_id ? await tdb.selectFrom('customers').select(['id', 'name']).where('id', '=', row.customer_id).executeTakeFirst() : undefined;
  return {
    verdict: row.verdict,
    findings: (JSON.parse(row.findings) as PaymentFinding[]).map(view),
    from: row.from_address,
    company: company ? { id: company.id, name: company.name } : null,
    phone: await phoneOnFile(tdb, row.customer_id, row.contact_id),
    checkedAt: row.created_at,
  };
}

/** The verdict on a message the rep has open, found by its Internet Message-ID. */
export async function paymentVerdictFor(tdb: TenantDb, messageId: string): Promise<PaymentVerdictView | null> {
  const key = messageIdKey(messageId);
  if (!key) return null;
  // One message can be synced from several mailboxes (info@ and a rep's): the gravest verdict speaks.
  const rows = await tdb.selectFrom('payment_verdicts').selectAll().where('message_key', '=', key).execute();
  if (rows.length === 0) return null;
  const rank = { ok: 0, notice: 1, suspicious: 2 } as const;
  const worst = rows.reduce((a, b) => (rank[b.verdict] > rank[a.verdict] ? b : a));
  return verdictView(tdb, worst);
}

/** Suspicious mail, newest first, for the admin. */
export async function listPaymentAlerts(tdb: TenantDb, options: { limit?: number } = {}): Promise<PaymentAlertView[]> {
  const rows = await tdb
    .selectFrom('payment_verdicts')
    .innerJoin('mail_messages', 'mail_messages.id', 'payment_verdicts.message_id')
    .innerJoin('mailboxes', 'mailboxes.id', 'mail_messages.mailbox_id')
    .select(['payment_verdicts.verdict', 'payment_verdicts.findings', 'payment_verdicts.from_address', 'payment_verdicts.customer_id', 'payment_verdicts.contact_id', 'payment_verdicts.created_at', 'payment_verdicts.message_key', 'mail_messages.subject', 'mail_messages.received_at', 'mailboxes.address'])
    .where('payment_verdicts.verdict', '=', 'suspicious')
    .orderBy('mail_messages.received_at', 'desc')
    .limit(options.limit ?? 100)
    .execute();
  const out: PaymentAlertView[] = [];
  for (const r of rows) out.push({ ...(await verdictView(tdb, r)), messageId: r.message_key, subject: r.subject, receivedAt: r.received_at, mailbox: r.address });
  return out;
}
