import type { PackField, PackTemplate } from '../core/pack/schema.js';
import { TEMPLATE_KINDS } from '../core/pack/schema.js';
import { localized } from '../core/template/index.js';
import { TemplateSearch, type SearchEntry } from '../core/search/templates.js';
import { formatLocalIso } from '../core/clienttime/zones.js';
import { AppError } from '../server/errors.js';
import { publishedPacks } from '../server/services/packs.js';
import { listPersonalTemplates, myTemplateUses, PERSONAL, recordTemplateUse } from '../server/services/personal-templates.js';
import { renderForRep, type Rendered } from '../server/services/render.js';
import { clientTimeFor } from '../server/services/client-time.js';
import {
  buttons, button, card, datePicker, decorated, dropdown, labelled, paragraph, plain, pushCard, section, textInput, updateCard,
  type AddonResponse, type Card, type Section, type Widget,
} from './cards.js';
import type { AddonContext } from './context.js';
import { draftRecipients, formInstant, formString, parameter } from './event.js';
import { wordTimeIn } from './i18n.js';

/**
 * The compose card: find a template (search, kind, language), fill its typed fields, preview,
 * insert at the cursor — and the recipients' local time with the next good moment to send.
 * Rendering, field checks, language choice and client time are the store's services; this file
 * only turns them into cards and form inputs back into field values.
 */

const RESULTS_MAX = 15;
const RECIPIENTS_SHOWN = 3;
/** How a row of a line-items field is typed into one multi-line text input. */
const CELL_SEPARATOR = '|';

interface Available {
  entries: SearchEntry[];
  byKey: Map<string, SearchEntry>;
  defaultLanguage: Map<string, string>;
}

async function availableTemplates(ctx: AddonContext): Promise<Available> {
  const userId = ctx.principal.userId;
  const entries: SearchEntry[] = [];
  const defaultLanguage = new Map<string, string>();
  for (const pack of await publishedPacks(ctx.tdb, userId)) {
    defaultLanguage.set(pack.pack, pack.document.defaultLanguage);
    for (const template of pack.document.templates ?? []) entries.push({ key: `${pack.pack}/${template.id}`, pack: pack.pack, template });
  }
  for (const own of await listPersonalTemplates(ctx.tdb, userId)) entries.push({ key: `${PERSONAL}/${own.template.id}`, pack: PERSONAL, template: own.template });
  return { entries, byKey: new Map(entries.map((e) => [e.key, e])), defaultLanguage };
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
  const uses = new Map((await myTemplateUses(ctx.tdb, ctx.principal.userId, 90, ctx.now)).map((u) => [`${u.pack}/${u.template}`, u.count]));
  const kind = query.kind && (TEMPLATE_KINDS as readonly string[]).includes(query.kind) ? query.kind : undefined;
  const hits = new TemplateSearch(available.entries, uses).search(query.q ?? '', { ...(kind ? { kind } : {}), limit: RESULTS_MAX });
  const languages = [...new Set(available.entries.flatMap((e) => Object.keys(e.template.variants)))].sort();

  const searchWidgets: Widget[] = [
    textInput('q', t('search'), { value: query.q ?? '' }),
    dropdown('kind', t('kind'), [{ text: t('anyKind'), value: '', selected: !kind }, ...TEMPLATE_KINDS.map((k) => ({ text: k, value: k, selected: k === kind }))]),
    dropdown('language', t('language'), languageItems(ctx, languages, query.language)),
    buttons(button(t('find'), ctx.target('/compose/search', { mode: query.mode, to: query.to }))),
  ];
  const results: Widget[] = hits.length === 0 ? [paragraph(plain(t('noTemplates')))] : hits.map((hit) => {
    const entry = available.byKey.get(hit.key)!;
    const widget = decorated(hit.kind, titleOf(entry.template, ctx.lang), hit.pack === PERSONAL ? '★' : hit.pack);
    widget.decoratedText!.button = button(t('pick'), ctx.target('/compose/template', { pack: hit.pack, template: hit.id, language: query.language || undefined, mode: query.mode, to: query.to }));
    return widget;
  });
  const reply = query.mode === 'reply';
  const timeSections = await clientTimeSections(ctx, reply && query.to ? { recipients: [query.to], schedule: false } : {});
  return card(reply ? t('replyWithTemplate') : t('composeTitle'), [section(searchWidgets), section(results), ...timeSections]);
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

function fieldWidget(ctx: AddonContext, field: PackField, language: string, value: string | undefined): Widget {
  const label = fieldLabel(field, language);
  const help = localized(field.help, language);
  switch (field.type) {
    case 'choice':
      return dropdown(inputName(field.name), label, [
        ...(field.required && field.default !== undefined ? [] : [{ text: '—', value: '', selected: !value && field.default === undefined }]),
        ...(field.options ?? []).map((o) => ({ text: o, value: o, selected: (value ?? String(field.default ?? '')) === o })),
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

/** "12.50 EUR" → {amount, currency}; "12.50" → the amount (the field's currency applies). */
function moneyInput(text: string): unknown {
  const m = /^\s*([0-9.,]+)\s*([A-Za-z]{3})?\s*$/.exec(text);
  if (!m) return text;
  const amount = m[1]!.replace(/,/g, '');
  return m[2] ? { amount, currency: m[2].toUpperCase() } : amount;
}

/** The card's inputs back into the field values render takes; raw text for the form to show again. */
export function readFields(ctx: AddonContext, template: PackTemplate): { values: Record<string, unknown>; raw: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const raw: Record<string, string> = {};
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
    if (field.type === 'lines') {
      const columns = field.columns ?? [];
      values[field.name] = text
        .split(/\r?\n/)
        .filter((line) => line.trim())
        .map((line) => {
          const cells = line.split(CELL_SEPARATOR).map((c) => c.trim());
          return Object.fromEntries(columns.map((c, i) => [c.name, c.type === 'money' && cells[i] ? moneyInput(cells[i]!) : cells[i] ?? '']));
        });
    } else if (field.type === 'money') values[field.name] = moneyInput(text);
    else values[field.name] = text;
  }
  return { values, raw };
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

export async function templateCard(ctx: AddonContext, ref: TemplateRef, raw: Record<string, string> = {}, problems: string[] = [], preview?: Rendered): Promise<Card> {
  const t = ctx.t;
  const { template } = await findEntry(ctx, ref);
  const languages = Object.keys(template.variants);
  const shownLanguage = ref.language && languages.includes(ref.language) ? ref.language : ctx.lang === 'zh' && languages.includes('zh') ? 'zh' : languages.includes('en') ? 'en' : languages[0]!;
  const params = { pack: ref.pack, template: ref.template, mode: ref.mode, to: parameter(ctx.event, 'to'), messageId: parameter(ctx.event, 'messageId') };
  const sections: Section[] = [];
  if (problems.length) sections.push(section(problems.map((p) => paragraph(`<font color="#b3261e">${plain(p)}</font>`))));
  const fieldWidgets = (template.fields ?? []).map((f) => fieldWidget(ctx, f, shownLanguage, raw[f.name]));
  fieldWidgets.push(dropdown('language', t('language'), languageItems(ctx, languages, ref.language)));
  if (ref.mode === 'compose' && !ctx.event.gmail?.threadId) {
    fieldWidgets.push({ selectionInput: { name: 'setSubject', type: 'CHECK_BOX', items: [{ text: plain(t('setSubject')), value: 'yes', selected: raw.setSubject !== 'no' }] } });
  }
  sections.push(section(fieldWidgets, t('fields')));
  if (preview) {
    sections.push(section([paragraph(labelled(`${t('subject')}:`, preview.subject)), paragraph(plain(preview.text, 3000).replace(/\n/g, '<br>'))], `${t('preview')} (${preview.language}: ${preview.reason})`));
  }
  sections.push(section([buttons(button(t('preview'), ctx.target('/compose/preview', params)), button(t('insert'), ctx.target('/compose/insert', params)))]));
  return card(titleOf(template, ctx.lang), sections, ref.pack === PERSONAL ? '★' : ref.pack);
}

export async function openTemplate(ctx: AddonContext): Promise<AddonResponse> {
  return pushCard(await templateCard(ctx, refOf(ctx)));
}

/** The first recipient: whose contact and customer records fill contact.* and customer.*. */
function recipientOf(ctx: AddonContext): string | undefined {
  return draftRecipients(ctx.event)[0] ?? parameter(ctx.event, 'to');
}

type Attempt = { ok: true; rendered: Rendered; ref: TemplateRef; raw: Record<string, string> } | { ok: false; card: Card; message: string };

async function attemptRender(ctx: AddonContext): Promise<Attempt> {
  const ref = refOf(ctx);
  const { template } = await findEntry(ctx, ref);
  const { values, raw } = readFields(ctx, template);
  try {
    const rendered = await renderForRep(ctx.tdb, ctx.principal.userId, { pack: ref.pack, template: ref.template, language: ref.language, fields: values, to: recipientOf(ctx), now: ctx.now });
    return { ok: true, rendered, ref, raw };
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    // Missing or invalid values: the form again, naming each one.
    // name each field in the rep's UI language (the store's label is in the template's language); a broken template is not a field
    const labelOf = (d: { path: string; label?: string }) =>
      d.path === '(template)' ? ctx.t('templateBroken') : (template.fields?.find((f) => f.name === d.path) ? fieldLabel(template.fields.find((f) => f.name === d.path)!, ctx.lang).replace(/ \*$/, '') : (d.label ?? d.path));
    const problems = error.details?.length
      ? error.details.map((d) => ctx.t('invalid', { label: labelOf(d as { path: string; label?: string }), message: d.message }))
      : [error.message];
    const names = (error.details ?? []).map((d) => labelOf(d as { path: string; label?: string }));
    const message = error.code === 'missing_values' ? ctx.t('missing', { list: names.join(', ') }) : error.message;
    return { ok: false, card: await templateCard(ctx, ref, raw, problems), message };
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
