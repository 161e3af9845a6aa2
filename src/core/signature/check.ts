import type { PackSignature } from '../pack/schema.js';
import type { PackIssue } from '../pack/validate.js';
import { sanitizeAdminHtml } from '../sanitize/index.js';
import { didYouMean, suggest } from '../text/suggest.js';
import { parseHtml, walk } from './html.js';
import { COMPANY_FIELDS, REP_FIELDS, renderSignature, signatureEngine, type RepProfile } from './render.js';

/** `Office.context.mailbox.item.body.setSignatureAsync` rejects longer signatures. */
export const OUTLOOK_SIGNATURE_MAX = 30_000;
/** Gmail's signature editor refuses longer ones; `sendAs.signature` is no more forgiving. */
export const GMAIL_SIGNATURE_MAX = 10_000;

const count = (n: number) => n.toLocaleString('en-US');

function imageProblems(html: string): string[] {
  const problems: string[] = [];
  const root = parseHtml(html);
  for (const node of walk(root)) {
    if (node.kind !== 'element' || node.name !== 'img') continue;
    const src = (node.attrs.get('src') ?? '').trim();
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(src)?.[1]?.toLowerCase();
    if (scheme === 'https') continue;
    if (!src) problems.push('an image has no source');
    else if (scheme === 'cid') problems.push('cid: image (attachment images are not supported; host it on https)');
    else if (scheme === 'data') problems.push('data: image (embedded images are not supported; host it on https)');
    else problems.push(`${scheme ? `${scheme}: image` : `image "${src.slice(0, 40)}"`} (only https images are allowed)`);
  }
  return [...new Set(problems)];
}

/** What Outlook and Gmail would refuse or mangle in this signature HTML. */
export function checkSignatureLimits(html: string): { outlook: string[]; gmail: string[] } {
  const outlook: string[] = [];
  const gmail: string[] = [];
  if (html.length > OUTLOOK_SIGNATURE_MAX) outlook.push(`is ${count(html.length)} characters; Outlook accepts at most ${count(OUTLOOK_SIGNATURE_MAX)}`);
  if (html.length > GMAIL_SIGNATURE_MAX) gmail.push(`is ${count(html.length)} characters; Gmail accepts at most ${count(GMAIL_SIGNATURE_MAX)}`);
  let styles = 0;
  for (const node of walk(parseHtml(html))) if (node.kind === 'element' && node.attrs.has('style')) styles++;
  if (styles > 0) outlook.push(`has ${styles} inline style attribute${styles > 1 ? 's' : ''}; Outlook signatures must not use style=""`);
  if (/<svg\b/i.test(html)) {
    outlook.push('contains SVG, which Outlook does not allow in signatures');
    gmail.push('contains SVG, which Gmail removes');
  }
  if (/<style\b/i.test(html)) gmail.push('has a <style> block, which Gmail drops from signatures');
  const images = imageProblems(html);
  outlook.push(...images);
  gmail.push(...images);
  return { outlook, gmail };
}

/** Long but realistic details, so a signature that fits for them fits for real reps. */
const SAMPLE_REP: RepProfile = {
  name: 'Alexandra Konstantinopoulou-Whitfield',
  email: 'alexandra.konstantinopoulou-whitfield@export-sales.example.com',
  title: 'Senior Regional Export Sales Manager, Middle East & Africa',
  department: 'International Business Development Department',
  phone: '+86 755 8888 8888 ext. 12345',
  mobile: '+86 138 0000 0000',
  whatsapp: '+86 138 0000 0000',
  wechat: 'alexandra_export_sales_2024',
};
const SAMPLE_COMPANY: Record<string, string> = {
  name: 'Shenzhen Example International Trading Co., Ltd.',
  legalName: 'Shenzhen Example International Trading Company Limited',
  website: 'https://www.export-sales.example.com/en/',
  address: 'Room 1808, Tower B, Example International Plaza, 1 Example Road, Futian District, Shenzhen 518000, China',
  phone: '+86 755 8888 8888',
  fax: '+86 755 8888 8889',
  email: 'sales@export-sales.example.com',
  logoUrl: 'https://cdn.export-sales.example.com/brand/logo-signature-2x.png',
  tagline: 'Quality products, on time, worldwide',
  linkedin: 'https://www.linkedin.com/company/example-international-trading',
};

/** "… line:2, col:3" at the end of liquidjs messages, said once, in the admin's words. */
function liquidIssue(err: unknown): { message: string; inner?: PackIssue['inner'] } {
  const e = err as { message?: string; token?: { getPosition?: () => number[] } };
  let message = (e.message ?? String(err)).replace(/,? line:\d+, col:\d+$/, '');
  const unknownFilter = /^undefined filter: (\S+)$/.exec(message)?.[1];
  if (unknownFilter) message += didYouMean(unknownFilter, Object.keys(signatureEngine.filters));
  const unknownTag = /^tag "([^"]+)" not found$/.exec(message)?.[1];
  if (unknownTag) message += didYouMean(unknownTag, Object.keys(signatureEngine.tags));
  const [line, column] = e.token?.getPosition?.() ?? [];
  return { message: `Liquid syntax error: ${message}`, ...(line !== undefined && column !== undefined ? { inner: { line, column } } : {}) };
}

function liquidMessage(err: unknown): string {
  const { message, inner } = liquidIssue(err);
  return inner ? message.replace(/^Liquid syntax error/, `Liquid syntax error at line ${inner.line}, column ${inner.column}`) : message;
}

function variableIssues(body: string, templates: ReturnType<typeof signatureEngine.parse>): Omit<PackIssue, 'path'>[] {
  const out: Omit<PackIssue, 'path'>[] = [];
  const analysis = signatureEngine.analyzeSync(templates, { partials: false });
  for (const [root, uses] of Object.entries(analysis.globals)) {
    for (const v of uses) {
      const inner = { line: v.location.row, column: v.location.col };
      const field = v.segments[1];
      if (root === 'rep' || root === 'company') {
        const known: readonly string[] = root === 'rep' ? REP_FIELDS : COMPANY_FIELDS;
        if (field === undefined) {
          out.push({ message: `"${root}" is not a value; use one of its fields: ${known.map((k) => `${root}.${k}`).join(', ')}`, severity: 'error', inner });
        } else if (typeof field === 'string' && !known.includes(field)) {
          const guess = suggest(field, known);
          out.push({
            message: `unknown variable "${root}.${field}"${guess ? ` — did you mean "${root}.${guess}"?` : ''}; ${root} has: ${known.join(', ')}`,
            // Company details are a free-form record a tenant may extend; rep fields are fixed.
            severity: root === 'rep' ? 'error' : 'warning',
            inner,
          });
        }
      } else {
        const guess = suggest(root, ['rep', 'company']);
        out.push({ message: `unknown variable "${v.toString()}"${guess ? ` — did you mean "${guess}"?` : ''}; signatures can use rep.* and company.*`, severity: 'error', inner });
      }
    }
  }
  if (/\|\s*raw\b/.test(body)) out.push({ message: '"| raw" has no effect in signatures: every value is escaped', severity: 'warning' });
  return out;
}

/** A rep whose every value is a distinct token, so what disappears from a rendering is unambiguous. */
const TOKEN_REP: RepProfile = {
  name: 'TokName7q',
  email: 'tokmail7q@example.com',
  title: 'TokTitle7q',
  department: 'TokDept7q',
  phone: 'TokPhone7q',
  mobile: 'TokMobile7q',
  whatsapp: 'TokWhats7q',
  wechat: 'TokWechat7q',
};
const OPTIONAL_REP_FIELDS = ['title', 'department', 'phone', 'mobile', 'whatsapp', 'wechat'] as const;
const REP_FIELDS_CHECKED = ['name', 'email', ...OPTIONAL_REP_FIELDS] as const;

/**
 * A line with an empty value disappears whole. When an optional value shares a line with
 * others, a rep who lacks it loses them too (a rep with no title losing their name). Found by
 * rendering: blank each optional field in turn and see what else vanished.
 */
function lineCouplingIssues(signature: PackSignature): { message: string; severity: PackIssue['severity'] }[] {
  const full = renderSignature(signature, TOKEN_REP).text;
  const out: { message: string; severity: PackIssue['severity'] }[] = [];
  for (const field of OPTIONAL_REP_FIELDS) {
    if (!full.includes(TOKEN_REP[field]!)) continue;
    const without = renderSignature(signature, { ...TOKEN_REP, [field]: null }).text;
    const lost = REP_FIELDS_CHECKED.filter((f) => f !== field && full.includes(TOKEN_REP[f]!) && !without.includes(TOKEN_REP[f]!));
    if (lost.length === 0) continue;
    out.push({
      message: `a rep without a ${field} would also lose ${lost.map((f) => `rep.${f}`).join(', ')}: they share a line, and a line with an empty value is removed; put the ${field} part inside {% if rep.${field} %}…{% endif %}`,
      severity: lost.includes('name') || lost.includes('email') ? 'error' : 'warning',
    });
  }
  return out;
}

/** Content checks for `tradepane pack validate`: Liquid, variables, sanitising, platform limits. */
export function checkSignature(signature: PackSignature, index: number): PackIssue[] {
  const path = `signatures[${index}].body`;
  const issues: PackIssue[] = [];
  const seen = new Set<string>();
  const add = (message: string, severity: PackIssue['severity'], inner?: PackIssue['inner']) => {
    const key = `${message}@${inner?.line}:${inner?.column}`;
    if (seen.has(key)) return;
    seen.add(key);
    issues.push({ path, message, severity, ...(inner ? { inner } : {}) });
  };

  let parsed: ReturnType<typeof signatureEngine.parse> | undefined;
  try {
    parsed = signatureEngine.parse(signature.body);
  } catch (err) {
    const { message, inner } = liquidIssue(err);
    add(message, 'error', inner);
  }
  if (parsed) for (const { message, severity, inner } of variableIssues(signature.body, parsed)) add(message, severity, inner);

  for (const removed of sanitizeAdminHtml(signature.body, 'signature').removed) add(`would be removed when sanitising: ${removed}`, 'warning');

  if (parsed) {
    try {
      const rendered = renderSignature(signature, SAMPLE_REP, SAMPLE_COMPANY);
      const limits = checkSignatureLimits(rendered.html);
      for (const problem of limits.outlook) add(`rendered for a rep with long details, the signature ${problem} (Outlook limit)`, 'error');
      for (const problem of limits.gmail) add(`rendered for a rep with long details, the signature ${problem} (Gmail limit)`, 'error');
      for (const { message, severity } of lineCouplingIssues(signature)) add(message, severity);
    } catch (err) {
      add(`cannot be rendered: ${(err as Error).message}`, 'error');
    }
  }
  return issues;
}

/** The Liquid syntax error of a signature body, if it does not parse (e.g. after sanitising removed part of a tag). */
export function signatureSyntaxError(body: string): string | undefined {
  try {
    signatureEngine.parse(body);
    return undefined;
  } catch (err) {
    return liquidMessage(err);
  }
}
