import { Liquid } from 'liquidjs';
import type { PackSignature } from '../pack/schema.js';
import { sanitizeAdminHtml, sanitizeRenderedHtml } from '../sanitize/index.js';
import { escapeHtml, visibleLines } from './html.js';
import { CLOSE, OPEN, removeEmptyLines } from './lines.js';
import { contentHash, wrapSignature } from './marker.js';

/** A rep's own details, as the store keeps them (users table); what `rep.*` can name. */
export interface RepProfile {
  name: string;
  email: string;
  title?: string | null;
  department?: string | null;
  phone?: string | null;
  mobile?: string | null;
  whatsapp?: string | null;
  wechat?: string | null;
}

export const REP_FIELDS = ['name', 'email', 'title', 'department', 'phone', 'mobile', 'whatsapp', 'wechat'] as const satisfies readonly (keyof RepProfile)[];

/** The company details a tenant can fill in; `company.*` may name others, with a warning. */
export const COMPANY_FIELDS = ['name', 'legalName', 'website', 'address', 'phone', 'fax', 'email', 'logoUrl', 'tagline', 'linkedin'] as const;

export interface RenderedSignature {
  id: string;
  /** The signature wrapped in its marker (see marker.ts), ready for setSignatureAsync / sendAs. */
  html: string;
  /** Plain-text version, one line per visual line, link targets shown. */
  text: string;
  /** contentHash of the visible content: the same signature for the same rep gives the same hash. */
  hash: string;
  /** What the final sanitising pass removed (e.g. a company website that rendered as javascript:). */
  removed: string[];
}

const PRIVATE = /[\uE000\uE001\uE100\uE101]/g;

function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(stringify).join('');
  return String(value);
}

/**
 * Every output is escaped — nothing a rep types into their profile can become markup — and
 * wrapped in OPEN/CLOSE so empty values can be found afterwards (lines.ts).
 */
function markAndEscape(value: unknown): string {
  return OPEN + escapeHtml(stringify(value).replace(PRIVATE, '')) + CLOSE;
}

export const signatureEngine = new Liquid({
  // No file system and no partials: a signature is one self-contained template.
  templates: {},
  strictFilters: true,
  ownPropertyOnly: true,
  outputEscape: markAndEscape,
  parseLimit: 200_000,
  renderLimit: 2_000,
  memoryLimit: 10_000_000,
});
// `| raw` would skip outputEscape; here it is an ordinary no-op, so values stay escaped. `escape`
// likewise, or admins who add it out of habit would see `&amp;amp;`.
for (const name of ['raw', 'escape', 'escape_once']) signatureEngine.registerFilter(name, (v: unknown) => v);

/**
 * Empty strings become absent, because in Liquid "" is truthy: `{% if rep.mobile %}` must be
 * false for a rep without a mobile number.
 */
function present(values: Record<string, string | null | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values ?? {})) {
    if (typeof v !== 'string') continue;
    // Marker-like runs of zero-width joiners are removed from the output later; drop them now, so
    // a value made only of them counts as empty here too.
    const s = v.replace(PRIVATE, '').replace(/[\u200C\u200D]{8,}/g, '').trim();
    if (s !== '') out[k] = s;
  }
  return out;
}

export function renderSignature(signature: PackSignature, rep: RepProfile, company?: Record<string, string | null | undefined>): RenderedSignature {
  const template = sanitizeAdminHtml(signature.body, 'signature').html;
  let rendered: string;
  try {
    rendered = signatureEngine.parseAndRenderSync(template, { rep: present({ ...rep }), company: present(company) });
  } catch (err) {
    throw new Error(`signature "${signature.id}" cannot be rendered: ${(err as Error).message}`);
  }
  const withoutEmptyLines = removeEmptyLines(rendered).replace(PRIVATE, '');
  const final = sanitizeRenderedHtml(withoutEmptyLines, 'signature');
  const inner = final.html.trim();
  const hash = contentHash(inner);
  return {
    id: signature.id,
    html: wrapSignature(inner, signature.id, hash),
    text: visibleLines(inner, undefined, { linkTargets: true }).join('\n'),
    hash,
    removed: final.removed,
  };
}
