import { Ajv, type ErrorObject } from 'ajv';
import { didYouMean } from '../text/suggest.js';
import { PackSchema, SignatureSchema, TemplateSchema, type PackDocument, type PackSignature, type PackTemplate } from './schema.js';
import { checkSignature } from '../signature/index.js';
import { checkTemplate } from '../template/index.js';
import { routingIssues } from '../teaminbox/rules.js';
import { ClientTimeError } from '../clienttime/errors.js';
import { normalizeCountry } from '../clienttime/countries.js';

/** One problem found in a pack, addressed by a path an admin can read: `templates[2].variants.es`. */
export interface PackIssue {
  path: string;
  message: string;
  severity: 'error' | 'warning';
  /** A position inside the text value at `path` (a template body's line and column); `parsePackSource` turns it into the file's. */
  inner?: { line: number; column: number };
}

/** The issue's message with its inner position, for where no file position exists (a template saved through the API). */
export function issueText(issue: PackIssue): string {
  return issue.inner ? `${issue.message} (line ${issue.inner.line}, column ${issue.inner.column})` : issue.message;
}

export type PackValidation =
  | { ok: true; pack: PackDocument; issues: PackIssue[] }
  | { ok: false; issues: PackIssue[] };

const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
const checkStructure = ajv.compile<PackDocument>(PackSchema);
// What the content checks read of a template (its variants and fields): a wrong kind or title elsewhere does not stop them.
const checkTemplateShape = ajv.compile<PackTemplate>({ type: 'object', required: ['variants'], properties: { variants: TemplateSchema.properties.variants, fields: TemplateSchema.properties.fields } });
const checkSignatureShape = ajv.compile<PackSignature>(SignatureSchema);

const PATTERN_MEANING: Record<string, string> = {
  '^[a-z0-9][a-z0-9_-]{0,62}$': 'an id of lower-case letters, digits, "-" or "_" (at most 63)',
  '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$': 'a language code such as "en", "zh" or "pt-BR"',
  '^[A-Za-z][A-Za-z0-9_]{0,63}$': 'a field name: a letter, then letters, digits or "_"',
  '^([01][0-9]|2[0-3]):[0-5][0-9]$': 'a time as HH:MM (24-hour)',
  '^[A-Z]{3}$': 'a three-letter ISO 4217 currency code such as "USD"',
};

/** `/templates/2/variants/es` → `templates[2].variants.es` */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number' || /^\d+$/.test(String(s))) out += `[${s}]`;
    else out += out ? `.${s}` : String(s);
  }
  return out || '(document)';
}

export function pointerToSegments(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a map of keys to values',
  array: 'a list',
};

function describe(error: ErrorObject): { path: (string | number)[]; message: string } {
  const path = pointerToSegments(error.instancePath);
  const schema = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const known = Object.keys(schema?.properties ?? {});
      const patterns = Object.keys((error.parentSchema as { patternProperties?: object } | undefined)?.patternProperties ?? {});
      if (known.length === 0) {
        const meaning = patterns.length === 1 ? PATTERN_MEANING[patterns[0]!] : undefined;
        return { path: [...path, key], message: meaning ? `"${key}" is not ${meaning}` : `"${key}" is not allowed here` };
      }
      return { path: [...path, key], message: `unknown field "${key}"${didYouMean(key, known)}; allowed: ${known.join(', ')}` };
    }
    case 'required':
      return { path: [...path, String(error.params.missingProperty)], message: 'is required' };
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      const given = String(error.data);
      return { path, message: `must be one of ${allowed.join(' | ')}; got ${jsonType(error.data)}${didYouMean(given, allowed)}` };
    }
    case 'type':
      return { path, message: `must be ${TYPE_NAMES[String(error.params.type)] ?? error.params.type}; got ${jsonType(error.data)}` };
    case 'pattern': {
      const meaning = PATTERN_MEANING[String(error.params.pattern)] ?? `text matching ${error.params.pattern}`;
      return { path, message: `must be ${meaning}; got ${jsonType(error.data)}` };
    }
    case 'minItems':
      return { path, message: `must list at least ${error.params.limit} item(s)` };
    case 'minProperties':
      return { path, message: `must have at least ${error.params.limit} entry` };
    case 'minLength':
      return { path, message: 'must not be empty' };
    case 'maxLength':
      return { path, message: `is too long: at most ${error.params.limit} characters` };
    default:
      return { path, message: error.message ?? 'is not valid' };
  }
}

/**
 * ajv reports every branch of a union that failed. For an admin only one branch matters: the one
 * whose shape matches what they wrote. Keep that branch's errors; if no branch has the right shape,
 * one line that says what is expected.
 */
function pruneUnions(errors: ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf');
  let result = errors.filter((e) => e.keyword !== 'anyOf');
  for (const union of unions) {
    const branchPrefix = union.schemaPath + '/';
    const inside = result.filter((e) => e.schemaPath.startsWith(branchPrefix) && e.instancePath.startsWith(union.instancePath));
    const sameShape = inside.filter((e) => !(e.keyword === 'type' && e.instancePath === union.instancePath));
    result = result.filter((e) => !inside.includes(e));
    if (sameShape.length > 0) {
      result.push(...sameShape);
    } else {
      result.push({ ...union, keyword: 'x-union', message: `must be a text, or a map from language code to text; got ${jsonType(union.data)}` });
    }
  }
  return result;
}

function semanticIssues(pack: PackDocument): PackIssue[] {
  const issues: PackIssue[] = [];
  const error = (path: (string | number)[], message: string) => issues.push({ path: formatPath(path), message, severity: 'error' });
  const warn = (path: (string | number)[], message: string) => issues.push({ path: formatPath(path), message, severity: 'warning' });

  const seenGroups = new Set<string>();
  pack.groups.forEach((g, i) => {
    if (seenGroups.has(g)) error(['groups', i], `group "${g}" is listed twice`);
    seenGroups.add(g);
  });
  if (pack.groups.includes('*') && pack.groups.length > 1) warn(['groups'], '"*" already means everyone; the other groups add nothing');

  const templateIds = new Map<string, number>();
  (pack.templates ?? []).forEach((t, i) => {
    const first = templateIds.get(t.id);
    if (first !== undefined) error(['templates', i, 'id'], `duplicate template id "${t.id}" (first used by templates[${first}])`);
    else templateIds.set(t.id, i);

    if (!(pack.defaultLanguage in t.variants)) {
      error(['templates', i, 'variants'], `has no variant in the pack's default language "${pack.defaultLanguage}" (has: ${Object.keys(t.variants).join(', ')})`);
    }
    const fieldNames = new Map<string, number>();
    (t.fields ?? []).forEach((f, j) => {
      const at = ['templates', i, 'fields', j];
      const firstField = fieldNames.get(f.name);
      if (firstField !== undefined) error([...at, 'name'], `duplicate field name "${f.name}" (first at fields[${firstField}])`);
      else fieldNames.set(f.name, j);
      if (f.type === 'choice' && !f.options) error([...at, 'options'], 'a choice field needs its options');
      if (f.type !== 'choice' && f.options) error([...at, 'options'], `only choice fields have options; this one is "${f.type}"`);
      if (f.type === 'lines' && !f.columns) error([...at, 'columns'], 'a lines field needs its columns');
      if (f.type !== 'lines' && f.columns) error([...at, 'columns'], `only lines fields have columns; this one is "${f.type}"`);
      if (f.type === 'choice' && f.options && f.default !== undefined && !f.options.includes(String(f.default))) {
        error([...at, 'default'], `default "${f.default}" is not one of the options ${f.options.join(' | ')}`);
      }
      if (f.currency && f.type !== 'money') error([...at, 'currency'], `only money fields have a currency; this one is "${f.type}"`);
    });
  });

  const signatureIds = new Map<string, number>();
  const enforced: number[] = [];
  (pack.signatures ?? []).forEach((s, i) => {
    const first = signatureIds.get(s.id);
    if (first !== undefined) error(['signatures', i, 'id'], `duplicate signature id "${s.id}" (first used by signatures[${first}])`);
    else signatureIds.set(s.id, i);
    if (s.enforce) enforced.push(i);
  });
  (pack.templates ?? []).forEach((t, i) => issues.push(...checkTemplate(t, i, pack)));
  (pack.signatures ?? []).forEach((s, i) => issues.push(...checkSignature(s, i)));
  if (enforced.length > 1) {
    error(['signatures', enforced[1]!, 'enforce'], `only one signature per pack can be enforced; signatures[${enforced[0]}] already is`);
  }
  const hours = pack.policies?.clientHours;
  if (hours && hours.start >= hours.end) {
    error(['policies', 'clientHours'], `start ${hours.start} must be before end ${hours.end}`);
  }
  const inquiryCountry = pack.policies?.inquiries?.country;
  if (inquiryCountry !== undefined) {
    try {
      normalizeCountry(inquiryCountry, 'the company country');
    } catch (caught) {
      if (!(caught instanceof ClientTimeError)) throw caught;
      error(['policies', 'inquiries', 'country'], caught.message);
    }
  }
  if (pack.routing) for (const issue of routingIssues(pack.routing)) error(issue.path, issue.message);
  if (!pack.templates?.length && !pack.signatures?.length && !pack.routing) warn([], 'the pack has neither templates nor signatures');
  return issues;
}

/**
 * The content checks (Liquid, variables, signature limits) of every template whose variants and
 * fields are well-formed and every well-formed signature, when the pack as a whole is not: the admin sees all problems in one pass
 * instead of fixing the structure only to meet the template errors next.
 */
function contentIssuesOfValidParts(document: unknown): PackIssue[] {
  const doc = (document && typeof document === 'object' ? document : {}) as { defaultLanguage?: unknown; templates?: unknown; signatures?: unknown };
  const defaultLanguage = typeof doc.defaultLanguage === 'string' ? doc.defaultLanguage : '';
  const issues: PackIssue[] = [];
  if (Array.isArray(doc.templates)) doc.templates.forEach((t: unknown, i) => checkTemplateShape(t) && issues.push(...checkTemplate(t, i, { defaultLanguage })));
  if (Array.isArray(doc.signatures)) doc.signatures.forEach((s: unknown, i) => checkSignatureShape(s) && issues.push(...checkSignature(s, i)));
  return issues;
}

/** Checks a parsed pack document: structure first, then the rules the structure cannot say. */
export function validatePack(document: unknown): PackValidation {
  if (checkStructure(document)) {
    const issues = semanticIssues(document);
    return issues.some((i) => i.severity === 'error') ? { ok: false, issues } : { ok: true, pack: document, issues };
  }
  const seen = new Set<string>();
  const issues: PackIssue[] = [];
  for (const e of pruneUnions(checkStructure.errors ?? [])) {
    const { path, message } = e.keyword === 'x-union' ? { path: pointerToSegments(e.instancePath), message: e.message! } : describe(e);
    const issue: PackIssue = { path: formatPath(path), message, severity: 'error' };
    const key = issue.path + issue.message;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  issues.push(...contentIssuesOfValidParts(document));
  return { ok: false, issues };
}
