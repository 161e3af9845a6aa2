/** Where a URL sits decides what it may be: a link may call or mail, an image must be https. */
export type UrlKind = 'link' | 'image';

export type UrlVerdict =
  | { ok: true; scheme: string | undefined; liquid: boolean }
  | { ok: false; scheme: string | undefined; reason: string };

export const LINK_SCHEMES: readonly string[] = ['http', 'https', 'mailto', 'tel'];
export const IMAGE_SCHEMES: readonly string[] = ['https'];

/** Stands in for a Liquid tag while the HTML around it is sanitised (see index.ts). */
export const LIQUID_PLACEHOLDER = /\uE100\d+\uE101/;

/**
 * Characters browsers drop or ignore inside a URL, and that filters are fooled by:
 * `jav&#x09;ascript:`, a leading space, NUL, zero-width characters. Removed before the scheme is
 * read, so the check sees what the browser would act on, or something stricter.
 */
const IGNORED_IN_URL = /[\u0000-\u0020\u007F-\u00A0\u00AD\u200B-\u200F\u2028\u2029\u2060-\u2064\uFEFF]/g;

export function checkUrl(value: string, kind: UrlKind): UrlVerdict {
  const cleaned = value.replace(IGNORED_IN_URL, '');
  const colon = cleaned.indexOf(':');
  const placeholder = cleaned.search(LIQUID_PLACEHOLDER);
  // `{{ company.website }}` or `{{ x }}:…`: the scheme only exists after rendering, where the
  // rendered-HTML pass checks it again.
  if (placeholder !== -1 && (colon === -1 || placeholder < colon)) return { ok: true, scheme: undefined, liquid: true };
  const liquid = placeholder !== -1;
  if (cleaned === '') return { ok: false, scheme: undefined, reason: 'empty' };
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(cleaned);
  if (!m) {
    if (/^[/\\]{2}/.test(cleaned)) return { ok: false, scheme: undefined, reason: 'protocol-relative' };
    return { ok: false, scheme: undefined, reason: 'relative' };
  }
  const scheme = m[1]!.toLowerCase();
  const allowed = kind === 'image' ? IMAGE_SCHEMES : LINK_SCHEMES;
  if (!allowed.includes(scheme)) return { ok: false, scheme, reason: 'scheme' };
  return { ok: true, scheme, liquid };
}

/** "javascript: link on <a>", "http: image (only https images are allowed)" … */
export function describeRefusedUrl(verdict: Extract<UrlVerdict, { ok: false }>, kind: UrlKind, tag: string): string {
  const { scheme, reason } = verdict;
  if (kind === 'image') {
    if (reason === 'empty') return `<${tag}> without a source`;
    if (scheme === 'data') {
      return 'data: image (embedded images are refused: Outlook and Gmail drop them from signatures, they eat the size limit, and data: URLs can carry scripts; host the image on https)';
    }
    if (scheme === 'cid') return 'cid: image (attachment images do not work in add-in signatures; host the image on https)';
    if (reason === 'relative') return 'image with a relative address (only https images are allowed)';
    if (reason === 'protocol-relative') return 'image with a protocol-relative address (only https images are allowed)';
    return `${scheme}: image (only https images are allowed)`;
  }
  if (reason === 'empty') return `empty link on <${tag}>`;
  if (reason === 'relative') return `relative link on <${tag}> (links need http:, https:, mailto: or tel:)`;
  if (reason === 'protocol-relative') return `protocol-relative link on <${tag}> (links need http:, https:, mailto: or tel:)`;
  return `${scheme}: link on <${tag}>`;
}
