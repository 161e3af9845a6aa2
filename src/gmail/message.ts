import { parseDateHeader } from '../core/clienttime/date-header.js';
import { formatOffset } from '../core/clienttime/zones.js';
import { parseMailbox } from '../core/crm/mailbox.js';
import { TASK_DUE_CHOICES, TASK_DUE_DEFAULT } from '../core/crm/task-due.js';
import { AppError } from '../server/errors.js';
import { clientTimeFor } from '../server/services/client-time.js';
import { createTask, logMail, logStatus } from '../server/services/crm.js';
import { recipientOf, updateCustomer, upsertContact } from '../server/services/customers.js';
import type { Rendered } from '../server/services/render.js';
import { addressesOf } from '../server/google/gmail-api.js';
import { button, buttons, card, decorated, dropdown, notify, openDraft, paragraph, plain, section, textInput, type AddonResponse, type Card, type Section, type Widget } from './cards.js';
import type { AddonContext, OpenMessage } from './context.js';
import { formString } from './event.js';
import { teamSection } from './team.js';
import { wordTimeIn } from './i18n.js';
import { paymentVerdictFor } from '../server/services/payment-guard.js';
import { wordConfirmByPhone, wordFinding } from '../core/payment/messages.js';

/**
 * The message card (contextual trigger: a mail is open): the sender's local time learnt from the
 * mail's own Date: header, one-click Log to CRM (idempotent on the Message-ID, whoever logs it),
 * Turn into task (due in the client's business days), Reply with a template (a reply draft in
 * the thread). The CRM rules are services/crm.ts; this file only reads the mail and draws cards.
 */

const TASK_DAY_CHOICES = TASK_DUE_CHOICES;
const TASK_DEFAULT_DAYS = TASK_DUE_DEFAULT.businessDays;
const TASK_AT = TASK_DUE_DEFAULT.at;

export async function openMessage(ctx: AddonContext): Promise<OpenMessage> {
  const read = ctx.services.readOpenMessage;
  if (!read) throw new AppError(503, 'gmail_not_configured', ctx.t('notConfiguredGmailApi'));
  return read(ctx.event);
}

const senderOf = (message: OpenMessage) => addressesOf(message.from)[0] ?? '';

/** The Gmail web link to the thread, for the task's notes. */
export const threadLink = (threadId: string) => `https://mail.google.com/mail/u/0/#all/${encodeURIComponent(threadId)}`;

export async function messageCard(ctx: AddonContext): Promise<Card> {
  const t = ctx.t;
  const message = await openMessage(ctx);
  const sender = senderOf(message);
  const widgets: Widget[] = [decorated(t('sender'), message.from || sender)];

  if (sender && sender !== ctx.principal.email) {
    let offset: string | null = null;
    if (message.dateHeader) {
      try {
        const parsed = parseDateHeader(message.dateHeader);
        offset = parsed.offsetMinutes === null ? null : formatOffset(parsed.offsetMinutes);
      } catch {
        offset = null; // a malformed Date: header teaches nothing; the rest of the evidence still counts
      }
    }
    try {
      const answer = await clientTimeFor(ctx.tdb, ctx.principal.userId, { email: sender, now: ctx.now, repTimeZone: ctx.timeZone, ...(offset && message.dateHeader ? { dateHeader: message.dateHeader } : {}) });
      const word = wordTimeIn(ctx.lang, t);
      if (answer.localTime && answer.timeZone) {
        widgets.push(decorated(t('senderTime'), `${answer.localTime.slice(11, 16)} (${answer.timeZone}) · ${word(answer.statusText)}`, offset ? t('learnedFromDate', { offset }) : answer.reasonTexts.map(word).join(t('listSeparator'))));
      } else widgets.push(decorated(t('senderTime'), t('zoneUnknown'), answer.reasonTexts[0] ? word(answer.reasonTexts[0]) : undefined));
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      widgets.push(decorated(t('senderTime'), error.message));
    }
  }

  const logged = message.internetMessageId ? await logStatus(ctx.tdb, message.internetMessageId).catch(() => null) : null;
  const crm: Widget[] = [];
  if (logged) crm.push(paragraph(plain(t('alreadyLogged', { who: logged.loggedBy }))));
  crm.push(
    dropdown('taskDays', t('turnIntoTask'), TASK_DAY_CHOICES.map((d) => ({ text: t('taskDays', { count: d, at: TASK_AT }), value: String(d), selected: d === TASK_DEFAULT_DAYS }))),
    buttons(
      ...(logged ? [] : [button(t('logToCrm'), ctx.target('/message/log'))]),
      button(t('turnIntoTask'), ctx.target('/message/task')),
      button(t('replyWithTemplate'), ctx.target('/message/reply')),
    ),
  );
  const sections = [section(widgets), section(crm)];
  const team = await teamSection(ctx, message);
  if (team) sections.unshift(team);
  const payment = message.internetMessageId ? await paymentSection(ctx, message.internetMessageId) : null;
  if (payment) sections.unshift(payment);
  if (sender && sender !== ctx.principal.email) sections.push(await correctionSection(ctx, sender));
  return card(t('messageTitle'), sections, message.subject);
}

/**
 * The inbound payment guard's verdict on this mail (stored by the mailbox sync), first on the card
 * when it found something: why, and to confirm by phone on the number on file.
 */
async function paymentSection(ctx: AddonContext, internetMessageId: string): Promise<Section | null> {
  const verdict = await paymentVerdictFor(ctx.tdb, internetMessageId);
  if (!verdict || verdict.verdict === 'ok') return null;
  const t = ctx.t;
  const lines = [...verdict.findings.map((f) => plain(wordFinding(f, t))), `<b>${plain(wordConfirmByPhone(verdict.company?.name ?? null, verdict.phone, t))}</b>`];
  const title = t(verdict.verdict === 'suspicious' ? 'pay.title.suspicious' : 'pay.title.notice');
  return section([paragraph(`<font color="${verdict.verdict === 'suspicious' ? '#b10e1c' : '#8a5300'}"><b>${plain(title)}</b></font>`), ...lines.map((l) => paragraph(l))]);
}

/** The rep corrects the engine (issue #13, item 8): the sender's name, language, country, time zone, and their company's country. */
async function correctionSection(ctx: AddonContext, sender: string): Promise<Section> {
  const t = ctx.t;
  const { contact, customer } = await recipientOf(ctx.tdb, sender);
  const widgets: Widget[] = [
    paragraph(plain(t('correctHint'))),
    textInput('contactFirstName', t('firstName'), { value: contact?.first_name ?? '' }),
    textInput('contactLastName', t('lastName'), { value: contact?.last_name ?? '' }),
    textInput('contactLanguage', t('contactLanguage'), { value: contact?.language ?? '' }),
    textInput('contactCountry', t('contactCountry'), { value: contact?.country ?? '' }),
    textInput('contactTimeZone', t('contactTimeZone'), { value: contact?.time_zone ?? '' }),
  ];
  if (customer) widgets.push(textInput('customerCountry', t('customerCountry', { customer: plain(customer.name, 200) }), { value: customer.country ?? '' }));
  widgets.push(buttons(button(t('saveContact'), ctx.target('/message/contact'))));
  return section(widgets, t('correctTitle'));
}

/** Saves the correction; a value the store refuses comes back as a notification naming the field. */
export async function saveCorrection(ctx: AddonContext): Promise<AddonResponse> {
  const message = await openMessage(ctx);
  const sender = senderOf(message);
  // the section is only drawn for someone else's mail; a stale card for our own just redraws
  if (!sender || sender === ctx.principal.email) return { renderActions: { action: { navigations: [{ updateCard: await messageCard(ctx) }] } } };
  // an empty box means "not known": it clears what was set
  const value = (name: string) => (formString(ctx.event, name) ?? '').trim() || null;
  try {
    await upsertContact(ctx.tdb, ctx.principal, {
      email: sender,
      firstName: value('contactFirstName'),
      lastName: value('contactLastName'),
      language: value('contactLanguage'),
      country: value('contactCountry'),
      timeZone: value('contactTimeZone'),
    });
    const { customer } = await recipientOf(ctx.tdb, sender);
    const country = value('customerCountry');
    if (customer && country !== customer.country) await updateCustomer(ctx.tdb, ctx.principal, customer.id, { country });
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return notify(ctx.t('error', { message: error.message }));
    throw error;
  }
  return { renderActions: { action: { navigations: [{ updateCard: await messageCard(ctx) }], notification: { text: ctx.t('contactSaved', { email: sender }) } } } };
}

async function log(ctx: AddonContext, message: OpenMessage) {
  const sender = senderOf(message);
  const outbound = sender === ctx.principal.email;
  return logMail(ctx.tdb, ctx.principal, {
    messageId: message.internetMessageId,
    threadId: message.threadId,
    direction: outbound ? 'outbound' : 'inbound',
    dateHeader: message.dateHeader ?? undefined,
    // the From: header as written: its display name is learned for the contact
    from: message.from.length <= 400 && parseMailbox(message.from)?.address === sender ? message.from : sender,
    to: message.to.length ? message.to : [ctx.principal.email],
    subject: message.subject,
    snippet: message.snippet,
    via: 'gmail',
  });
}

/** Log to CRM: once per Message-ID; a second click (or another rep's) says who logged it. */
export async function logToCrm(ctx: AddonContext): Promise<AddonResponse> {
  const message = await openMessage(ctx);
  const result = await log(ctx, message);
  const text = result.status === 'logged' ? ctx.t('logged') : ctx.t('alreadyLogged', { who: result.activity.loggedBy });
  return { renderActions: { action: { navigations: [{ updateCard: await messageCard(ctx) }], notification: { text } } } };
}

/** Turn into task: logged first (idempotent), then a task due in the client's business days, linking the thread. */
export async function turnIntoTask(ctx: AddonContext): Promise<AddonResponse> {
  const message = await openMessage(ctx);
  await log(ctx, message);
  const chosen = Number(formString(ctx.event, 'taskDays'));
  const businessDays = TASK_DAY_CHOICES.includes(chosen) ? chosen : TASK_DEFAULT_DAYS;
  const task = await createTask(ctx.tdb, ctx.principal, { messageId: message.internetMessageId, link: threadLink(message.threadId), due: { rule: { businessDays, at: TASK_AT } } }, ctx.now);
  const due = task.dueLocal ? `${task.dueLocal.slice(0, 16).replace('T', ' ')}${task.dueTimeZone ? ` (${task.dueTimeZone})` : ''}` : (task.dueAt ?? '—');
  return notify(ctx.t(task.existing ? 'taskExisting' : 'taskCreated', { due }));
}

/** The reply's subject: the thread's, with one "Re:". */
export function replySubject(subject: string): string {
  return /^\s*(re|aw|回复)\s*[:：]/i.test(subject) ? subject : `Re: ${subject}`;
}

/** Reply with a template, step 2: the rendered template becomes a reply draft in the thread, opened for the rep. */
export async function createReply(ctx: AddonContext, rendered: Rendered): Promise<AddonResponse> {
  const create = ctx.services.createReplyDraft;
  if (!create) return notify(ctx.t('notConfiguredGmailApi'));
  const message = await openMessage(ctx);
  const to = senderOf(message) === ctx.principal.email ? (message.to[0] ?? '') : senderOf(message);
  const references = [message.references, message.internetMessageId].filter(Boolean).join(' ');
  const draft = await create(ctx.event, { to, subject: replySubject(message.subject), html: rendered.html, inReplyTo: message.internetMessageId, references, threadId: message.threadId });
  return openDraft(draft, ctx.t('replyCreated'));
}

/** Who a reply goes to, for the template picker (their contact record fills contact.*). */
export async function replyRecipient(ctx: AddonContext): Promise<string> {
  const message = await openMessage(ctx);
  const sender = senderOf(message);
  return sender === ctx.principal.email ? (message.to[0] ?? sender) : sender;
}
