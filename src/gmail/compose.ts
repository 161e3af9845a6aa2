import type { PackField, PackTemplate } from '../core/pack/schema.js';
import { COMPOSE_KINDS } from '../core/pack/schema.js';
import { localized } from '../core/template/index.js';
import { choiceText } from '../core/compose/choice-meaning.js';
import type { SearchEntry } from '../core/search/templates.js';
import { CELL_SEPARATOR, parseFieldInput, parseRowsInput, templateCatalogue, type Catalogue, type FieldInputError, type LanguageReason } from '../core/compose/index.js';
import { formatLocalIso } from '../core/clienttime/zones.js';
import { AppError } from '../server/errors.js';
import { publishedPacks } from '../server/services/packs.js';
import { listPersonalTemplates, myTemplateUses, PERSONAL, recordTemplateUse } from '../server/services/personal-templates.js';
import type { StringKey } from './i18n.js';
import { renderForRep, type Rendered } from '../server/services/render.js';
import { clientTimeFor } from '../server/services/client-time.js';
import { ownershipOf } from '../server/services/team-handoff.js';
import {
  buttons, button, card, datePicker, decorated, dropdown, labelled, notify, paragraph, plain, pushCard, section, textInput, updateCard,
  type AddonResponse, type Card, type Section, type Widget,
} from './cards.js';
import type { AddonContext } from './context.js';
import { draftRecipients, formInstant, formString, parameter } from './event.js';
import { wordTimeIn } from './i18n.js';
import { followUpSection } from './followups.js';
import { itemColumnsOf } from '../core/documents/from-template.js';
import { paymentCheckSection } from './payment.js';
import { createDocument, createDocumentLink, DOCUMENT_LINK_PATH } from '../server/services/documents.js';

/** A template kind in the rep's language; a kind this build does not know stays as written. */
const kindLabel = (t: (key: StringKey) => string, kind: string): string =>
  (COMPOSE_KINDS as readonly string[]).includes(kind) ? t(`kind.${kind as (typeof COMPOSE_KINDS)[number]}`) : kind;

/**
 * The compose card: find a template (search, kind, language), fill its typed fields, preview,
 * insert at the cursor — and the recipients' local time with the next good moment to send.
 * Rendering, field checks, language choice and client time are the store's services; this file
 * only turns them into cards and form inputs back into field values.
 */

const RESULTS_MAX = 15;
const RECIPIENTS_SHOWN = 3;

/** The rep's catalogue (packs, personal templates, use counts), built by the compose core as Outlook's is. */
async function availableTemplates(ctx: AddonContext): Promise<Catalogue> {
  const userId = ctx.principal.userId;
  return templateCatalogue({
    packs: await publishedPacks(ctx.tdb, userId),
    personal: (await listPersonalTemplates(ctx.tdb, userId)).map((p) => p.template),
    uses: await myTemplateUses(ctx.tdb, userId, 90, ctx.now),
  });
}

const WHY_KEYS: Record<string, StringKey> = {
  'rep-pick': 'whyRepPick',
  'buyer-wrote': 'whyBuyerWrote',
  'contact-language': 'whyContactLanguage',
  'customer-country': 'whyCustomerCountry',
  'recipient-domain': 'whyRecipientDomain',
  'pack-default': 'whyPackDefault',
};

/** Why the mail is in its language, in the rep's UI language (the store gives the reason as a code). */
export function languageReason(ctx: AddonContext, why: LanguageReason): string {
  if (why.code === 'no-variant') {
    const because = ctx.t(WHY_KEYS[why.params.because ?? ''] ?? 'whyPackDefault', { ...why.params, language: why.params.wanted ?? '' });
    return ctx.t('whyNoVariant', { ...why.params, because });
  }
  return ctx.t(WHY_KEYS[why.code] ?? 'whyPackDefault', why.params);
}

const INPUT_KEYS: Partial<Record<FieldInputError['code'], StringKey>> = {
  'ambiguous-number': 'inputAmbiguousNumber',
  'no-currency': 'inputNoCurrency',
  'ambiguous-date': 'inputAmbiguousDate',
  'impossible-date': 'inputImpossibleDate',
};

/** A refused input in the rep's UI language; the core's English where the card has no wording of its own. */
function inputProblem(ctx: AddonContext, error: FieldInputError): string {
  const key = INPUT_KEYS[error.code] ?? (ctx.lang === 'en' ? undefined : 'inputUnreadable');
  if (!key) return error.message;
  return ctx.t(key, Object.fromEntries(Object.entries(error.params).map(([k, v]) => [k, String(v)])));
}

const titleOf = (template: PackTemplate, lang: string) => localized(template.title, lang) ?? template.id;

/** The mail's language for the card: the rep's pick, else the one the store would choose for the first recipient. */
function languageItems(ctx: AddonContext, languages: string[], selected: string | undefined) {
  return [{ text: ctx.t('autoLanguage'), value: '', selected: !selected }, ...languages.map((l) => ({ text: l, value: l, selected: l === selected }))];
}

export interface ComposeQuery {
  q?: string | undefined;
  kind?: string | undefined;
  language?: string | undefined;
  /** "reply": picked from the message card; Insert creates a reply draft to `to`. */
  mode?: 'compose' | 'reply' | undefined;
  to?: string | undefined;
}

export async function composeCard(ctx: AddonContext, query: ComposeQuery = {}): Promise<Card> {
  const t = ctx.t;
  const available = await availableTemplates(ctx);
  const kind = query.kind && (COMPOSE_KINDS as readonly string[]).includes(query.kind) ? query.kind : undefined;
  const hits = available.search(query.q ?? '', { kind, limit: RESULTS_MAX });
  const languages = available.languages;

  const searchWidgets: Widget[] = [
    textInput('q', t('search'), { value: query.q ?? '' }),
    dropdown('kind', t('kind'), [{ text: t('anyKind'), value: '', selected: !kind }, ...COMPOSE_KINDS.map((k) => ({ text: t(`kind.${k}`), value: k, selected: k === kind }))]),
    dropdown('language', t('language'), languageItems(ctx, languages, query.language)),
    buttons(button(t('find'), ctx.target('/compose/search', { mode: query.mode, to: query.to }))),
  ];
  const results: Widget[] = hits.length === 0 ? [paragraph(plain(t('noTemplates')))] : hits.map((hit) => {
    const entry = available.byKey.get(hit.key)!;
    const widget = decorated(kindLabel(t, hit.kind), titleOf(entry.template, ctx.lang), hit.pack === PERSONAL ? '★' : hit.pack);
    widget.decoratedText!.button = button(t('pick'), ctx.target('/compose/template', { pack: hit.pack, template: hit.id, language: query.language || undefined, mode: query.mode, to: query.to }));
    return widget;
  });
  const reply = query.mode === 'reply';
  const timeSections = await clientTimeSections(ctx, reply && query.to ? { recipients: [query.to], schedule: false } : {});
  const remind = reply ? [] : [await followUpSection(ctx, kind)];
  const payment = reply ? undefined : paymentCheckSection(ctx);
  const owners = await ownershipSection(ctx, reply && query.to ? [query.to] : draftRecipients(ctx.event));
  return card(reply ? t('replyWithTemplate') : t('composeTitle'), [...(owners ? [owners] : []), section(searchWidgets), section(results), ...timeSections, ...remind, ...(payment ? [payment] : [])]);
}

/** How many recipients' companies are looked up for the ownership warning. */
const OWNERSHIP_CHECKED = 10;

/**
 * The buyer-ownership warning (docs/team-inbox.md): a recipient whose company another rep looks
 * after is named with that rep. A Gmail add-on cannot stop a send, so the compose card is where the
 * rep is told — when they open tradepane in the compose window (docs/gmail.md).
 */
export async function ownershipSection(ctx: AddonContext, recipients: string[]): Promise<Section | null> {
  const seen = new Set<string>();
  const lines: Widget[] = [];
  for (const email of recipients.slice(0, OWNERSHIP_CHECKED)) {
    const view = await ownershipOf(ctx.tdb, ctx.principal.userId, email);
    if (!view.ownedByOther || !view.owner || !view.company || seen.has(view.company.id)) continue;
    seen.add(view.company.id);
    lines.push(paragraph(`<font color="#8a5300"><b>${plain(ctx.t('ownerWarning', { owner: view.owner.name || view.owner.email, company: view.company.name, email: view.owner.email }))}</b></font>`));
  }
  if (!lines.length) return null;
  return section([...lines, paragraph(plain(ctx.t('ownerWarningHint')))], ctx.t('ownerWarningTitle'));
}

/** The recipients' clocks and, for the first one, when to send: now if open, else their next opening, and a few alternatives. */
export async function clientTimeSections(ctx: AddonContext, options: { recipients?: string[]; schedule?: boolean } = {}): Promise<Section[]> {
  const t = ctx.t;
  const recipients = options.recipients ?? draftRecipients(ctx.event);
  const schedule = options.schedule ?? true;
  if (recipients.length === 0) return [section([paragraph(plain(t('noRecipients')))], t('clientTime'))];
  const widgets: Widget[] = [];
  let first = true;
  for (const email of recipients.slice(0, RECIPIENTS_SHOWN)) {
    let answer;
    try {
      answer = await clientTimeFor(ctx.tdb, ctx.principal.userId, { email, now: ctx.now, repTimeZone: ctx.timeZone });
    } catch (error) {
      if (error instanceof AppError && error.status < 500) {
        widgets.push(decorated(email, error.message));
        continue;
      }
      throw error;
    }
    const word = wordTimeIn(ctx.lang, t);
    if (!answer.timeZone || !answer.localTime) {
      widgets.push(decorated(email, t('zoneUnknown'), answer.reasonTexts[0] ? word(answer.reasonTexts[0]) : undefined));
      continue;
    }
    const clock = answer.localTime.slice(11, 16);
    const reasons = answer.reasonTexts.map(word).join(t('listSeparator'));
    widgets.push(decorated(email, `${t('localTime')}: ${clock} (${answer.timeZone}) · ${word(answer.statusText)}`, reasons ? `${t('because')}: ${reasons}` : undefined));
    if (!first || !schedule) continue;
    first = false;
    // open now: sending now is the rep's own Send button; the slots are all later (their next morning first)
    if (answer.inBusinessHours) widgets.push(paragraph(plain(t('openNow'))));
    const slots = [
      ...(answer.nextSlot ? [{ label: answer.inBusinessHours ? t('nextOpening') : t('sendAt'), at: answer.nextSlot }] : []),
      ...answer.alternatives.filter((a) => a.at !== answer.nextSlot).map((a) => ({ label: word(a.labelText), at: a.at })),
    ];
    for (const slot of slots.slice(0, 4)) {
      const mine = formatLocalIso(ctx.timeZone, Date.parse(slot.at)).slice(0, 16).replace('T', ' ');
      const w = decorated(slot.label, `${formatLocalIso(answer.timeZone, Date.parse(slot.at)).slice(0, 16).replace('T', ' ')}`, t('yourTime', { time: `${mine} (${ctx.timeZone})` }));
      w.decoratedText!.button = button(t('schedule'), ctx.target('/schedule', { at: slot.at }));
      widgets.push(w);
    }
  }
  if (schedule) widgets.push(buttons(button(t('scheduledList'), ctx.target('/scheduled'))));
  return [section(widgets, t('clientTime'))];
}

// ---- one template: its fields as inputs ----------------------------------------------------------

const inputName = (field: string) => `f_${field}`;

function fieldLabel(field: PackField, lang: string): string {
  return `${localized(field.label, lang) ?? field.name}${field.required ? ' *' : ''}`;
}

/**
 * One field's input. A field the last attempt could not use (`problem`) is marked where the rep
 * looks: a warning sign before its label and the problem as its hint. (Cards cannot move the
 * cursor into a field, so it is marked, not focused.)
 */
function fieldWidget(ctx: AddonContext, field: PackField, language: string, value: string | undefined, problem?: string): Widget {
  const label = `${problem ? '⚠ ' : ''}${fieldLabel(field, language)}`;
  const help = problem ?? localized(field.help, language);
  switch (field.type) {
    case 'choice':
      return dropdown(inputName(field.name), label, [
        ...(field.required && field.default !== undefined ? [] : [{ text: '—', value: '', selected: !value && field.default === undefined }]),
        // Each payment term and Incoterm says what it means, in the rep's UI language.
        ...(field.options ?? []).map((o) => ({ text: choiceText(o, ctx.lang === 'zh' ? 'zh-CN' : 'en'), value: o, selected: (value ?? String(field.default ?? '')) === o })),
      ]);
    case 'date': {
      const ms = value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : undefined;
      return datePicker(inputName(field.name), label, 'DATE_ONLY', ms);
    }
    case 'lines': {
      const columns = (field.columns ?? []).map((c) => `${localized(c.label, language) ?? c.name}${c.currency ? ` (${c.currency})` : ''}`);
      return textInput(inputName(field.name), ctx.t('lineItems', { label, columns: columns.join(` ${CELL_SEPARATOR} `) }), { value, multiline: true, hint: help });
    }
    case 'textarea':
      return textInput(inputName(field.name), label, { value, multiline: true, hint: help });
    case 'money':
      return textInput(inputName(field.name), `${label}${field.currency ? ` (${field.currency})` : ''}`, { value, hint: help });
    default:
      return textInput(inputName(field.name), label, { value: value ?? (field.default !== undefined && !/^[+-]\d+d$/.test(String(field.default)) ? String(field.default) : undefined), hint: help });
  }
}

/**
 * The card's inputs back into the field values render takes, read by the compose core exactly as
 * Outlook and the CLI read them, in the rep's Gmail locale; raw text for the form to show again,
 * and what could not be read (named by the field's label in the card's language).
 */
export function readFields(ctx: AddonContext, template: PackTemplate): { values: Record<string, unknown>; raw: Record<string, string>; problems: string[] } {
  const values: Record<string, unknown> = {};
  const raw: Record<string, string> = {};
  const problems: string[] = [];
  const inputLocale = ctx.event.commonEventObject?.userLocale?.replace('_', '-');
  for (const field of template.fields ?? []) {
    const name = inputName(field.name);
    if (field.type === 'date') {
      const ms = formInstant(ctx.event, name);
      if (ms !== undefined) values[field.name] = raw[field.name] = new Date(ms).toISOString().slice(0, 10);
      continue;
    }
    const text = formString(ctx.event, name);
    if (text === undefined || text.trim() === '') continue;
    raw[field.name] = text;
    const label = localized(field.label, ctx.lang) ?? field.name;
    if (field.type === 'lines') {
      const rows = parseRowsInput(field, text, inputLocale, {
        field: label,
        column: (c) => localized(field.columns?.find((col) => col.name === c)?.label, ctx.lang) ?? c,
        cell: (f, n, c) => ctx.t('inputCell', { field: f, n: String(n), column: c }),
      });
      if (rows.ok) values[field.name] = rows.value;
      else problems.push(...rows.errors.map((e) => inputProblem(ctx, e)));
      continue;
    }
    const read = parseFieldInput(field, text, inputLocale, label);
    if (read.ok) values[field.name] = read.value;
    else problems.push(inputProblem(ctx, read.error));
  }
  return { values, raw, problems };
}

interface TemplateRef {
  pack: string;
  template: string;
  language: string | undefined;
  /** "reply": the form belongs to a reply from the message card; Insert then creates the reply draft. */
  mode: 'compose' | 'reply';
}

function refOf(ctx: AddonContext): TemplateRef {
  const language = formString(ctx.event, 'language') ?? parameter(ctx.event, 'language');
  return {
    pack: parameter(ctx.event, 'pack') ?? '',
    template: parameter(ctx.event, 'template') ?? '',
    language: language || undefined,
    mode: parameter(ctx.event, 'mode') === 'reply' ? 'reply' : 'compose',
  };
}

async function findEntry(ctx: AddonContext, ref: TemplateRef): Promise<SearchEntry> {
  const entry = (await availableTemplates(ctx)).byKey.get(`${ref.pack}/${ref.template}`);
  if (!entry) throw new AppError(404, 'not_found', `template "${ref.template}" in "${ref.pack}" is not published to you`);
  return entry;
}

export async function templateCard(ctx: AddonContext, ref: TemplateRef, raw: Record<string, string> = {}, problems: string[] = [], preview?: Rendered, flagged: Record<string, string> = {}): Promise<Card> {
  const t = ctx.t;
  const { template } = await findEntry(ctx, ref);
  const languages = Object.keys(template.variants);
  const shownLanguage = ref.language && languages.includes(ref.language) ? ref.language : ctx.lang === 'zh' && languages.includes('zh') ? 'zh' : languages.includes('en') ? 'en' : languages[0]!;
  const params = { pack: ref.pack, template: ref.template, mode: ref.mode, to: parameter(ctx.event, 'to'), messageId: parameter(ctx.event, 'messageId') };
  const sections: Section[] = [];
  if (problems.length) sections.push(section(problems.map((p) => paragraph(`<font color="#b3261e">${plain(p)}</font>`))));
  const fieldWidgets = (template.fields ?? []).map((f) => fieldWidget(ctx, f, shownLanguage, raw[f.name], flagged[f.name]));
  fieldWidgets.push(dropdown('language', t('language'), languageItems(ctx, languages, ref.language)));
  if (ref.mode === 'compose' && !ctx.event.gmail?.threadId) {
    fieldWidgets.push({ selectionInput: { name: 'setSubject', type: 'CHECK_BOX', items: [{ text: plain(t('setSubject')), value: 'yes', selected: raw.setSubject !== 'no' }] } });
  }
  sections.push(section(fieldWidgets, t('fields')));
  if (preview) {
    sections.push(section([paragraph(labelled(`${t('subject')}:`, preview.subject)), paragraph(plain(preview.text, 3000).replace(/\n/g, '<br>'))], `${t('preview')} (${preview.language}: ${languageReason(ctx, preview.why)})`));
  }
  sections.push(section([buttons(button(t('preview'), ctx.target('/compose/preview', params)), button(t('insert'), ctx.target('/compose/insert', params)))]));
  const documents = documentSection(ctx, ref, template, params);
  if (documents) sections.push(documents);
  // The template's kind sets the default reminder (a quotation: 3 of the buyer's business days).
  if (ref.mode !== 'reply') sections.push(await followUpSection(ctx, template.kind));
  return card(titleOf(template, ctx.lang), sections, ref.pack === PERSONAL ? '★' : ref.pack);
}

export async function openTemplate(ctx: AddonContext): Promise<AddonResponse> {
  return pushCard(await templateCard(ctx, refOf(ctx)));
}

/** The first recipient: whose contact and customer records fill contact.* and customer.*. */
function recipientOf(ctx: AddonContext): string | undefined {
  return draftRecipients(ctx.event)[0] ?? parameter(ctx.event, 'to');
}

/**
 * A reply from the message card: the buyer's message (its snippet, their own words) tells the
 * language they wrote in. A compose window cannot read its draft, so a new mail has none.
 */
async function buyerText(ctx: AddonContext, ref: TemplateRef): Promise<string | undefined> {
  const read = ctx.services.readOpenMessage;
  if (ref.mode !== 'reply' || !read || !ctx.event.gmail?.messageId) return undefined;
  const message = await read(ctx.event).catch(() => undefined);
  return message && !message.from.toLowerCase().includes(ctx.principal.email.toLowerCase()) ? message.snippet : undefined;
}

type Attempt = { ok: true; rendered: Rendered; ref: TemplateRef; raw: Record<string, string> } | { ok: false; card: Card; message: string };

async function attemptRender(ctx: AddonContext): Promise<Attempt> {
  const ref = refOf(ctx);
  const { template } = await findEntry(ctx, ref);
  const { values, raw, problems: unread } = readFields(ctx, template);
  if (unread.length) return { ok: false, card: await templateCard(ctx, ref, raw, unread), message: unread[0]! };
  try {
    const inbound = await buyerText(ctx, ref);
    const rendered = await renderForRep(ctx.tdb, ctx.principal.userId, { pack: ref.pack, template: ref.template, language: ref.language, fields: values, to: recipientOf(ctx), inbound, now: ctx.now });
    return { ok: true, rendered, ref, raw };
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    // Missing or invalid values: the form again, naming each one.
    // name each field in the rep's UI language (the store's label is in the template's language); a broken template is not a field
    const labelOf = (d: { path: string; label?: string }) =>
      d.path === '(template)' ? ctx.t('templateBroken') : (template.fields?.find((f) => f.name === d.path) ? fieldLabel(template.fields.find((f) => f.name === d.path)!, ctx.lang).replace(/ \*$/, '') : (d.label ?? d.path));
    const flagged: Record<string, string> = {};
    const problems = error.details?.length
      ? error.details.map((d) => {
          const detail = d as { path: string; label?: string; message: string };
          // The store's reasons are English: a missing value is worded here; a broken template is named
          // in the rep's language with the admin's detail only in English (the pane shows no detail).
          if (error.code === 'missing_values' && detail.path === '(template)') return ctx.lang === 'en' ? ctx.t('invalid', { label: labelOf(detail), message: detail.message }) : labelOf(detail);
          const text = error.code === 'missing_values' ? ctx.t('required', { label: labelOf(detail) }) : ctx.t('invalid', { label: labelOf(detail), message: detail.message });
          if (template.fields?.some((f) => f.name === detail.path)) flagged[detail.path] = text;
          return text;
        })
      : [error.message];
    const names = (error.details ?? []).map((d) => labelOf(d as { path: string; label?: string }));
    const message = error.code === 'missing_values' ? ctx.t('missing', { list: names.join(', ') }) : error.message;
    return { ok: false, card: await templateCard(ctx, ref, raw, problems, undefined, flagged), message };
  }
}

export async function previewTemplate(ctx: AddonContext): Promise<AddonResponse> {
  const attempt = await attemptRender(ctx);
  if (!attempt.ok) return updateCard(attempt.card, attempt.message);
  return updateCard(await templateCard(ctx, attempt.ref, attempt.raw, [], attempt.rendered));
}

/**
 * Insert: the rendered HTML at the cursor (MUTABLE_HTML, so the rep can still edit it) and, on a
 * new mail where the rep left "set the subject" ticked, the subject. A compose add-on cannot read
 * the draft's subject, so "when empty" is the rep's tick, on by default for new mails only.
 */
export async function insertTemplate(ctx: AddonContext, createReply?: (rendered: Rendered) => Promise<AddonResponse>): Promise<AddonResponse> {
  const attempt = await attemptRender(ctx);
  if (!attempt.ok) return updateCard(attempt.card, attempt.message);
  await recordTemplateUse(ctx.tdb, ctx.principal, { pack: attempt.ref.pack, template: attempt.ref.template }, ctx.now);
  if (attempt.ref.mode === 'reply' && createReply) return createReply(attempt.rendered);
  const setSubject = formString(ctx.event, 'setSubject') === 'yes' && !ctx.event.gmail?.threadId;
  const { template } = await findEntry(ctx, attempt.ref);
  return {
    renderActions: {
      hostAppAction: {
        gmailAction: {
          updateDraftActionMarkup: {
            updateBody: { insertContents: [{ content: attempt.rendered.html, contentType: 'MUTABLE_HTML' }], type: 'IN_PLACE_INSERT' },
            ...(setSubject && attempt.rendered.subject ? { updateSubject: { subject: attempt.rendered.subject.slice(0, 255) } } : {}),
          },
        },
      },
      action: { notification: { text: ctx.t('inserted', { title: titleOf(template, ctx.lang) }) } },
    },
  };
}

// ---- "Make PDF": the quotation / proforma invoice, attached to the draft or linked ----------------

/** A company template with item lines, in a new mail's compose window (a reply from the message card has no draft yet). */
function documentSection(ctx: AddonContext, ref: TemplateRef, template: PackTemplate, params: Record<string, string | undefined>): Section | undefined {
  if (!ctx.services.documents || ref.mode !== 'compose' || ref.pack === PERSONAL || !itemColumnsOf(template)) return undefined;
  const t = ctx.t;
  // A payment template's document is the PI the buyer pays against; any other starts as a quotation.
  const chosen = formString(ctx.event, 'docKind') ?? (template.kind === 'payment' ? 'proforma' : 'quotation');
  return section(
    [
      dropdown('docKind', t('documentKind'), (['quotation', 'proforma'] as const).map((k) => ({ text: t(`documentKind.${k}`), value: k, selected: k === chosen }))),
      paragraph(plain(t('documentHint'))),
      buttons(button(t('makePdf'), ctx.target('/compose/document', params))),
    ],
    t('documentSection'),
  );
}

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Makes the numbered document from the card's fields (services/documents.ts: the same checks,
 * numbering and bank details as Outlook and the CLI), then gets it to the buyer: added to the
 * rep's draft when the store may write to their Gmail and the pack does not prefer links, else a
 * link to the store inserted at the cursor (the store counts its openings).
 */
export async function makeDocument(ctx: AddonContext): Promise<AddonResponse> {
  const port = ctx.services.documents;
  if (!port) return notify(ctx.t('documentsOff'));
  const ref = refOf(ctx);
  const { template } = await findEntry(ctx, ref);
  const { values, raw, problems: unread } = readFields(ctx, template);
  if (unread.length) return updateCard(await templateCard(ctx, ref, raw, unread), unread[0]!);
  const kind = formString(ctx.event, 'docKind') === 'proforma' ? 'proforma' : 'quotation';
  let made;
  try {
    made = await createDocument(ctx.tdb, ctx.principal.userId, { kind, pack: ref.pack, template: ref.template, ...(ref.language ? { language: ref.language } : {}), ...(recipientOf(ctx) ? { to: recipientOf(ctx) } : {}), fields: values }, { ...port.deps, now: () => ctx.now });
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    // Each refused value named by its field's label in the rep's language; the store's reason as it gave it.
    const labelOf = (path: string) => {
      const field = template.fields?.find((f) => `fields.${f.name}` === path || path.startsWith(`fields.${f.name}.`) || path === f.name);
      return field ? fieldLabel(field, ctx.lang).replace(/ \*$/, '') : path;
    };
    const problems = error.details?.length ? error.details.map((d) => ctx.t('invalid', { label: labelOf((d as { path: string }).path), message: (d as { message: string }).message })) : [error.message];
    return updateCard(await templateCard(ctx, ref, raw, problems), problems[0]!);
  }
  const { document, pdf } = made;
  const pack = (await publishedPacks(ctx.tdb, ctx.principal.userId)).find((p) => p.pack === ref.pack);
  const preferLink = pack?.document.policies?.documentDelivery === 'link';
  let noDraft = false;
  if (!preferLink && port.attach) {
    const result = await port.attach(ctx, { fileName: document.fileName, contentType: 'application/pdf', bytes: pdf });
    if ('attached' in result) return notify(ctx.t('documentAttached', { number: document.number, size: String(Math.max(1, Math.round(pdf.byteLength / 1024))) }));
    noDraft = 'draftNotFound' in result;
  }
  const token = await createDocumentLink(ctx.tdb, ctx.principal.userId, document.id, ctx.now);
  const url = `${port.publicUrl}${DOCUMENT_LINK_PATH}/${token}`;
  const html = `<p><a href="${escapeAttribute(url)}">${plain(document.fileName)}</a></p>`;
  return {
    renderActions: {
      hostAppAction: { gmailAction: { updateDraftActionMarkup: { updateBody: { insertContents: [{ content: html, contentType: 'MUTABLE_HTML' }], type: 'IN_PLACE_INSERT' } } } },
      action: { notification: { text: ctx.t(noDraft ? 'documentLinkedNoDraft' : 'documentLinked', { number: document.number }) } },
    },
  };
}
