import type { HtmlContext } from './html-context.js';
import { linkScheme, SAFE_LINK_SCHEMES, URL_ATTRIBUTES } from './html-context.js';

/** The five characters that matter in text and quoted attribute values (a loop: a replace with a callback costs several times more, once per value of a render). */
export function escapeHtml(text: string): string {
  return escapeMarkup(text, false);
}

/** escapeHtml, and with `lineBreaks` each \r\n, \r or \n written as "<br>\n", in one pass; text with nothing to escape is returned as it is. */
function escapeMarkup(text: string, lineBreaks: boolean): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    let entity: string;
    const c = text.charCodeAt(i);
    switch (c) {
      case 38:
        entity = '&amp;';
        break;
      case 60:
        entity = '&lt;';
        break;
      case 62:
        entity = '&gt;';
        break;
      case 34:
        entity = '&quot;';
        break;
      case 39:
        entity = '&#39;';
        break;
      case 10:
      case 13:
        if (!lineBreaks) continue;
        entity = '<br>\n';
        if (c === 13 && text.charCodeAt(i + 1) === 10) {
          out += text.slice(from, i) + entity;
          from = ++i + 1;
          continue;
        }
        break;
      default:
        continue;
    }
    out += text.slice(from, i) + entity;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

const SPECIAL = /[&<>"']/;

/**
 * Escapes a value for the place it lands in. Text gets its line breaks as <br> (an address or a
 * textarea field keeps its lines); an unquoted attribute value also gets whitespace, `=` and
 * backtick encoded, so the value cannot end the attribute and start another.
 */
export function escapeFor(context: HtmlContext, text: string): string {
  return escaperFor(context)(text);
}

// Text: its line breaks as <br> (an address or a textarea field keeps its lines).
const inText = (text: string): string => escapeMarkup(text, true);
const inQuoted = (text: string): string => (SPECIAL.test(text) ? escapeHtml(text) : text);
const inUnquoted = (text: string): string => escapeHtml(text).replace(/[\s=`]/g, (c) => `&#${c.charCodeAt(0)};`);

/** escapeFor's escaping for one place, chosen once (a compiled template's output site keeps it). */
export function escaperFor(context: HtmlContext): (text: string) => string {
  if (context.kind === 'text') return inText;
  if (context.kind === 'attribute') return context.quote ? inQuoted : inUnquoted;
  return inQuoted;
}

/** `prefixed`: https:// was put in front of a bare host name. */
export type UrlCheck = { ok: true; url: string; prefixed: boolean } | { ok: false; reason: string };

/**
 * A value that may begin a URL attribute could decide where the link goes, so a scheme in it
 * must be one a mail link may have. Browsers ignore control characters and whitespace when
 * reading the scheme ("java\tscript:"), so those are dropped before looking; anything before a
 * ':' that is not after '/', '?' or '#' counts as a scheme, so a value cannot finish one that
 * text before it started ("java" + "script:…"). With `bareHost`, a host name without a scheme
 * ("www.acme.com") gets https:// so it is not read as a relative link.
 */
export function checkUrlValue(text: string, options: { bareHost?: boolean } = {}): UrlCheck {
  const scheme = linkScheme(text);
  if (scheme !== undefined) {
    if ((SAFE_LINK_SCHEMES as readonly string[]).includes(scheme)) return { ok: true, url: text.trim(), prefixed: false };
    return { ok: false, reason: `is not a safe link: "${scheme}:" links are not allowed (only ${SAFE_LINK_SCHEMES.join(', ')})` };
  }
  const trimmed = text.trim();
  if ((options.bareHost ?? true) && /^(www\.|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(\/|$))/.test(trimmed)) return { ok: true, url: `https://${trimmed}`, prefixed: true };
  return { ok: true, url: trimmed, prefixed: false };
}

export function isUrlAttribute(context: HtmlContext): context is Extract<HtmlContext, { kind: 'attribute' }> {
  return context.kind === 'attribute' && URL_ATTRIBUTES.has(context.name);
}
