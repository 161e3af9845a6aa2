import { CaptureTag, Context, Liquid, filters as liquidFilters, toValue } from 'liquidjs';
import { formatDate, formatMoney, isDateStyle } from './format.js';
import { describeIncoterm } from './incoterms.js';
import { escapeHtml } from './escape.js';
import { DateValue, isBlank, isIsoDate, MoneyValue, SafeHtml } from './values.js';

/**
 * The two Liquid engines: one for HTML bodies, one for plain-text subjects. Both are sandboxed
 * for templates written by people the code does not trust: no file system (no include, render or
 * layout), own properties only, limits on template size, render time and memory, and unknown
 * filters are errors rather than silently ignored. Every `{{ }}` ends in `output` below, which is
 * where values are formatted, escaped for their place in the HTML, and checked for being blank.
 */

export const RUN_REGISTER = 'tradepane.run';

/** Per-render settings and hooks, carried in the Liquid context so parsed templates can be shared. */
export interface RenderRun {
  /** The variant's language; money and dates are written the way its readers write them. */
  locale: string;
  timeZone: string;
  now: Date;
  /** The last step of every output: returns what is written into the mail. */
  output(ctx: Context, value: unknown): string;
}

interface FilterThis {
  context: Context;
}

export function runOf(ctx: Context): RenderRun | undefined {
  return ctx.getRegister<RenderRun | undefined>(RUN_REGISTER);
}

/** How a value reads in the mail: money and dates in the locale, lists joined, nil as nothing. */
export function display(value: unknown, locale: string): string {
  if (value instanceof MoneyValue) return formatMoney(value.amount, value.currency, locale);
  if (value instanceof DateValue) return formatDate(value.iso, locale) ?? value.iso;
  if (value instanceof SafeHtml) return value.html;
  const v = toValue(value) as unknown;
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map((x) => display(x, locale)).join('');
  return String(v);
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function money(this: FilterThis, value: unknown, currency?: unknown): string {
  const locale = runOf(this.context)?.locale ?? 'en';
  const named = currency === undefined || currency === null || currency === '' ? undefined : String(toValue(currency));
  if (named !== undefined && !/^[A-Za-z]{3}$/.test(named)) throw new Error(`money: "${named}" is not a currency code such as "USD"`);
  if (value instanceof MoneyValue) return formatMoney(value.amount, named?.toUpperCase() ?? value.currency, locale);
  const v = toValue(value) as unknown;
  if (isBlank(v)) return '';
  const amount = typeof v === 'number' ? v : typeof v === 'string' && NUMBER.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isFinite(amount)) throw new Error(`money: ${JSON.stringify(v)} is not an amount`);
  if (!named) throw new Error(`money: ${amount} has no currency; name one: | money: 'USD'`);
  return formatMoney(amount, named.toUpperCase(), locale);
}

const liquidDate = liquidFilters.date as (this: FilterThis, value: unknown, format?: unknown, timezoneOffset?: unknown) => unknown;

/**
 * `{{ d | date }}` and `{{ d | date: 'long' }}` (short, medium, long, full) write the date the
 * variant's way through Intl; a strftime format (`'%Y-%m-%d'`) is Liquid's own date filter.
 * Calendar dates (YYYY-MM-DD) stay on their day; timestamps are shown in the rep's time zone.
 */
function date(this: FilterThis, value: unknown, format?: unknown, timezoneOffset?: unknown): unknown {
  const run = runOf(this.context);
  let v = toValue(value) as unknown;
  if (isBlank(v)) return '';
  if (v === 'now' || v === 'today') v = run?.now ?? new Date();
  const style = toValue(format) as unknown;
  if (style === undefined || style === null || isDateStyle(style)) {
    if (typeof v !== 'string' && typeof v !== 'number' && !(v instanceof Date)) return v;
    return formatDate(v, run?.locale ?? 'en', style ?? 'long', run?.timeZone) ?? v;
  }
  const zone = timezoneOffset ?? (typeof v === 'string' && isIsoDate(v.trim()) ? undefined : run?.timeZone);
  return liquidDate.call(this, v, style, zone);
}

function incoterm(this: FilterThis, value: unknown): string {
  const v = display(value, 'en');
  return v.trim() === '' ? '' : describeIncoterm(v, runOf(this.context)?.locale ?? 'en');
}

/** Output is always escaped, so the escape filters have nothing left to do; they stay so templates written for other Liquid hosts work, never escaping twice. */
const alreadyEscaped = (value: unknown) => value;

/** `{% capture %}` keeps what it rendered (values in it already escaped) as SafeHtml, so printing it does not escape it again. */
export class HtmlCaptureTag extends CaptureTag {
  override *render(ctx: Context): Generator<unknown, void, string> {
    const html = yield this.liquid.renderer.renderTemplates(this.templates, ctx);
    ctx.bottom()[this.variable] = new SafeHtml(html);
  }
}

/** Escapes when no render is under way (an engine used directly): the safe default. */
function outputStep(this: FilterThis, value: unknown): string {
  const run = runOf(this.context);
  if (run) return run.output(this.context, value);
  return escapeHtml(display(value, 'en'));
}

export type EngineKind = 'html' | 'text';

/** Tags that read other templates from storage; a pack has none to read. */
export const REMOVED_TAGS = ['include', 'render', 'layout', 'block'] as const;
/** `raw` would print a value unescaped. */
export const REMOVED_FILTERS = ['raw'] as const;
/** Filters this module adds to Liquid's own. */
export const OWN_FILTERS = ['money', 'date', 'incoterm'] as const;

export const LIMITS = {
  /** Characters of template text. */
  parse: 100_000,
  /** Milliseconds of rendering. */
  render: 2_000,
  /** Roughly: characters and list items allocated while rendering. */
  memory: 20_000_000,
};

function createEngine(kind: EngineKind, strictFilters: boolean): Liquid {
  const engine = new Liquid({
    outputEscape: outputStep,
    strictFilters,
    strictVariables: false,
    ownPropertyOnly: true,
    jsTruthy: false,
    // Calendar dates (YYYY-MM-DD) are midnight UTC, so strftime must print them in UTC to keep their day.
    timezoneOffset: 0,
    preserveTimezones: true,
    templates: {},
    dynamicPartials: false,
    cache: false,
    parseLimit: LIMITS.parse,
    renderLimit: LIMITS.render,
    memoryLimit: LIMITS.memory,
  });
  for (const name of REMOVED_TAGS) delete (engine.tags as Record<string, unknown>)[name];
  for (const name of REMOVED_FILTERS) engine.unregisterFilter(name);
  engine.registerFilter('money', money);
  engine.registerFilter('date', date);
  engine.registerFilter('incoterm', incoterm);
  for (const name of ['escape', 'escape_once', 'xml_escape', 'newline_to_br']) engine.registerFilter(name, alreadyEscaped);
  if (kind === 'html') engine.registerTag('capture', HtmlCaptureTag);
  return engine;
}

const engines = new Map<string, Liquid>();

/**
 * The engine for subjects ('text') or bodies ('html'). `strictFilters: false` is for checking
 * packs: it parses past an unknown filter so every one can be reported, not only the first.
 */
export function engineFor(kind: EngineKind, strictFilters = true): Liquid {
  const key = `${kind}:${strictFilters}`;
  let engine = engines.get(key);
  if (!engine) {
    engine = createEngine(kind, strictFilters);
    engines.set(key, engine);
  }
  return engine;
}

/** A render context whose registers carry `run`, and whose locale names months the variant's way (%B). */
const localeOptions = new WeakMap<Liquid, Map<string, Liquid['options']>>();

/** The engine's options with the variant's locale, made once per engine and locale (a render makes two contexts). */
function optionsFor(engine: Liquid, locale: string): Liquid['options'] {
  let byLocale = localeOptions.get(engine);
  if (!byLocale) {
    byLocale = new Map();
    localeOptions.set(engine, byLocale);
  }
  let options = byLocale.get(locale);
  if (!options) {
    options = { ...engine.options, locale };
    byLocale.set(locale, options);
  }
  return options;
}

export function contextFor(engine: Liquid, scope: object, run: RenderRun): Context {
  const ctx = new Context(scope, optionsFor(engine, run.locale), { sync: true }, { liquid: engine });
  ctx.setRegister(RUN_REGISTER, run);
  return ctx;
}
