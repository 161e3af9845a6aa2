import type { Context } from 'liquidjs';
import type { PackField, PackTemplate } from '../pack/schema.js';
import { contextFor, display, engineFor, type RenderRun } from './engine.js';
import { checkUrlValue, escaperFor, isUrlAttribute } from './escape.js';
import { applyFieldDefaults, checkFieldValues, localized } from './fields.js';
import { decodeAttribute, findUnsafeLinks, SAFE_LINK_SCHEMES, unsafeContextReason, type HtmlContext } from './html-context.js';
import { prepareTemplate, renderPrepared, SITE_REGISTER, type LoopSite, type OutputSite, type PreparedTemplate, type SiteHooks, type VariableUse } from './prepare.js';
import type { TextPart } from './plain-text.js';
import { htmlToText } from './text.js';
import type { MissingValue, RenderContext, RenderOptions, RenderResult } from './types.js';
import { DateValue, isBlank, isoDateIn, SafeHtml } from './values.js';
import { matchLanguage } from './variant.js';

type Where = MissingValue['where'];

/** Context groups hold short texts; blank ones are dropped so `{% if rep.mobile %}` and `| default:` treat them as absent. */
function cleanGroup(group: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(group ?? {})) {
    if (value === undefined || value === null) continue;
    const text = String(value).trim();
    if (text !== '') out[key] = text;
  }
  return out;
}

class MissingList {
  private readonly byName = new Map<string, MissingValue>();
  constructor(private readonly labelOf: (name: string) => string | undefined) {}
  add(name: string, where: Where, reason: string): void {
    // One entry per name, with the first reason found: "is required" says more than "has no value".
    if (this.byName.has(name)) return;
    const label = this.labelOf(name);
    this.byName.set(name, { name, ...(label ? { label } : {}), where, reason });
  }
  get size(): number {
    return this.byName.size;
  }
  list(): MissingValue[] {
    return [...this.byName.values()];
  }
}

/** What the UI calls a variable: a global path as written; a loop cell by its list and column (`lines.qty`). */
function nameOf(use: VariableUse): string {
  if (use.scope === 'loop' && use.loop?.collection && use.segments) {
    return [use.loop.collection.path, ...use.segments.slice(1).map(String)].join('.');
  }
  return use.path;
}

function rowOf(ctx: Context): number | undefined {
  const index = ctx.getSync(['forloop', 'index']);
  return typeof index === 'number' ? index : undefined;
}

/** What an output site's place in the HTML asks of every value printed there, worked out once per site. */
interface SitePlan {
  context: HtmlContext;
  /** Why no value can be printed there. */
  unsafe: string | undefined;
  /** A URL attribute where the value may start the link: its scheme is checked. */
  url: boolean;
  escape: (text: string) => string;
}

const plans = new WeakMap<OutputSite, SitePlan>();

function makePlan(context: HtmlContext): SitePlan {
  return { context, unsafe: unsafeContextReason(context), url: isUrlAttribute(context) && context.start !== 'no', escape: escaperFor(context) };
}

const TEXT_PLAN = makePlan({ kind: 'text' });

function planOf(site: OutputSite | undefined): SitePlan {
  if (!site?.context) return TEXT_PLAN;
  let plan = plans.get(site);
  if (!plan) {
    plan = makePlan(site.context);
    plans.set(site, plan);
  }
  return plan;
}

/** One render of a subject or body: formats and escapes every output, and notes what came out blank or unsafe. */
class Run implements RenderRun, SiteHooks {
  current?: OutputSite;
  constructor(
    readonly locale: string,
    readonly timeZone: string,
    readonly now: Date,
    private readonly where: Where,
    private readonly kind: 'html' | 'text',
    private readonly missing: MissingList,
  ) {}

  output(ctx: Context, value: unknown): string {
    return this.outputAt(ctx, this.current, value);
  }

  /** The output step for a known site (the compiled form names it; the interpreter's sites set `current`). */
  outputAt(ctx: Context, site: OutputSite | undefined, value: unknown): string {
    if (site && !site.hasDefault && isBlank(value)) {
      this.blank(ctx, site);
      return '';
    }
    if (this.kind === 'text') return display(value, this.locale);
    const plan = planOf(site);
    if (plan.unsafe) {
      this.missing.add(this.firstName(site), this.where, `the template places it where it cannot be made safe: ${plan.unsafe}`);
      return '';
    }
    // The common cases, decided once per site: a text or number outside a link (a number's
    // digits, sign, point and exponent need escaping nowhere).
    if (!plan.url) {
      if (typeof value === 'string') return plan.escape(value);
      if (typeof value === 'number') return String(value);
    }
    const context = plan.context;
    // Captured template output is HTML already (its values escaped); everything else is a value.
    const isHtml = value instanceof SafeHtml;
    let text = display(value, this.locale);
    if (plan.url) {
      const url = checkUrlValue(isHtml ? decodeAttribute(text) : text, { bareHost: context.kind === 'attribute' && context.start === 'yes' });
      if (!url.ok) {
        this.missing.add(this.firstName(site), this.where, url.reason);
        return '';
      }
      text = isHtml ? (url.prefixed ? 'https://' : '') + text.trim() : url.url;
    }
    // In an unquoted attribute even captured HTML is escaped again: its values' spaces would end the attribute.
    return isHtml && !(context.kind === 'attribute' && context.quote === '') ? text : plan.escape(text);
  }

  emptyLoop(_ctx: Context, loop: LoopSite): void {
    for (const use of loop.collection) if (use.scope !== 'local') this.missing.add(nameOf(use), this.where, 'has no rows');
  }

  private firstName(site: OutputSite | undefined): string {
    const use = site?.variables.find((v) => v.scope !== 'local') ?? site?.variables[0];
    return use ? nameOf(use) : '(template)';
  }

  private blank(ctx: Context, site: OutputSite): void {
    const uses = site.variables.filter((v) => !(v.scope === 'local' && (v.root === 'forloop' || v.root === 'tablerowloop')));
    const blank = uses.filter((v) => v.segments && isBlank(ctx.getSync(v.segments)));
    // Filters can empty a value that was there (`| slice: 99`); then every variable of the output is named.
    for (const use of blank.length > 0 ? blank : uses) {
      const row = use.scope === 'loop' ? rowOf(ctx) : undefined;
      const reason = blank.length === 0 ? 'comes out empty' : row !== undefined ? `has no value in row ${row}` : 'has no value';
      this.missing.add(nameOf(use), this.where, reason);
    }
  }
}

function usedRoots(prepared: PreparedTemplate | undefined): Set<string> {
  return new Set((prepared?.variables ?? []).filter((v) => v.scope === 'global').map((v) => v.root));
}

function isEmptyValue(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.length === 0);
}

/**
 * Renders one language variant of a template. Nothing blank goes out: when a required field, or
 * any value the subject or body prints without a `| default:`, has no value, the result is
 * `ok: false` with everything that is missing, for the UI to ask for. Values are escaped for the
 * place they land in the HTML; the subject is plain text and is not escaped.
 */
export function renderTemplate(template: PackTemplate, language: string, context: RenderContext, options: RenderOptions = {}): RenderResult {
  const available = Object.keys(template.variants);
  const lang = template.variants[language] ? language : matchLanguage(language, available);
  const variant = lang ? template.variants[lang] : undefined;
  if (!lang || !variant) {
    return { ok: false, language, missing: [{ name: 'language', where: 'body', reason: `the template has no ${language} variant (has: ${available.join(', ')})` }] };
  }
  const now = options.now ?? new Date();
  const timeZone = options.timeZone ?? 'UTC';
  const fields = new Map<string, PackField>((template.fields ?? []).map((f) => [f.name, f]));

  const labelOf = (name: string): string | undefined => {
    const [root, column] = name.split(/[.[]/);
    const field = root === undefined ? undefined : fields.get(root);
    if (!field) return undefined;
    const columnSpec = column ? field.columns?.find((c) => c.name === column) : undefined;
    const fieldLabel = localized(field.label, lang);
    const columnLabel = columnSpec ? localized(columnSpec.label, lang) ?? columnSpec.name : undefined;
    return columnLabel ? (fieldLabel ? `${fieldLabel}: ${columnLabel}` : columnLabel) : fieldLabel;
  };
  const missing = new MissingList(labelOf);

  const subject = prepareTemplate('text', variant.subject);
  const body = prepareTemplate('html', variant.body);
  if (!subject.ok) missing.add('(template)', 'subject', `the subject has a Liquid error: ${subject.error.message}`);
  if (!body.ok) missing.add('(template)', 'body', `the body has a Liquid error: ${body.error.message}`);
  const inSubject = usedRoots(subject.ok ? subject.prepared : undefined);
  const whereOf = (name: string): Where => (inSubject.has(name) ? 'subject' : 'body');

  const checked = checkFieldValues(template, applyFieldDefaults(template, context.fields ?? {}, { now, timeZone }));
  for (const error of checked.errors) missing.add(error.field, whereOf(error.field), error.message);
  for (const field of template.fields ?? []) {
    if (field.required && isEmptyValue(checked.values[field.name]) && !checked.errors.some((e) => e.field === field.name)) {
      missing.add(field.name, whereOf(field.name), 'is required');
    }
  }

  const scope: Record<string, unknown> = {
    ...checked.values,
    contact: cleanGroup(context.contact),
    customer: cleanGroup(context.customer),
    rep: cleanGroup(context.rep),
    company: cleanGroup(context.company),
    client: cleanGroup(context.client),
    today: new DateValue(isoDateIn(now, timeZone)),
  };

  const renderPart = (prepared: PreparedTemplate, where: Where, parts?: TextPart[]): string => {
    const engine = engineFor(prepared.kind);
    const run = new Run(lang, timeZone, now, where, prepared.kind, missing);
    const ctx = contextFor(engine, scope, run);
    ctx.setRegister(SITE_REGISTER, run);
    try {
      return renderPrepared(prepared, ctx, { interpret: options.interpret, parts });
    } catch (error) {
      // With values already missing the failure is their consequence (a total of no lines has no
      // currency): the rep is told what to fill in, not a template error they cannot fix.
      if (missing.size > 0) return '';
      const message = (error instanceof Error ? error.message : String(error)).replace(/, line:\d+, col:\d+$/, '');
      missing.add('(template)', where, `the ${where} could not be rendered: ${message}`);
      return '';
    }
  };
  const htmlOnly = options.only === 'html';
  const subjectText = subject.ok && !htmlOnly ? renderPart(subject.prepared, 'subject') : '';
  // The body's parts in order, for its plain text (not wanted for the HTML alone).
  const parts: TextPart[] | undefined = htmlOnly || options.interpret ? undefined : [];
  const html = body.ok ? renderPart(body.prepared, 'body', parts) : '';
  // The net under the per-value checks: a link put together from several pieces is judged whole.
  for (const link of findUnsafeLinks(html)) {
    missing.add('(template)', 'body', `a link would open "${link.scheme}:" (${link.attribute}="${link.value.slice(0, 60)}"); only ${SAFE_LINK_SCHEMES.join(', ')} links are allowed`);
  }

  if (missing.size > 0) return { ok: false, language: lang, missing: missing.list() };
  return {
    ok: true,
    language: lang,
    // A subject is one line of plain text: line breaks a value brought in become spaces.
    subject: subjectText.replace(/\s+/g, ' ').trim(),
    html,
    text: htmlOnly ? '' : htmlToText(html, { full: options.interpret, parts }),
  };
}

