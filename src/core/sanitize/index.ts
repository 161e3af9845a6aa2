import sanitizeHtml from 'sanitize-html';
import { cleanInlineCss } from './css.js';
import { checkUrl, describeRefusedUrl, type UrlKind } from './url.js';

/**
 * Sanitising for HTML that admins write (templates, signatures) and for what it renders to.
 *
 * An allowlist, not a blocklist: the table-and-font layout e-mail has always needed, and nothing
 * that runs code, loads other documents, takes input or hides one element behind another. Built
 * on sanitize-html (htmlparser2, no DOM) because it must also run in Outlook's JavaScript-only
 * event runtime. Everything removed is reported in words an admin understands, so
 * `tradepane pack validate` can warn instead of silently changing what they wrote.
 *
 * Liquid is protected while the HTML is cleaned: every `{{ … }}` and `{% … %}` is swapped for an
 * opaque placeholder and put back verbatim afterwards, so filters, quotes and `>` inside Liquid
 * are never entity-escaped, even in attribute values (`href="mailto:{{ rep.email }}"`).
 */

export type SanitizeProfile = 'template' | 'signature';

export interface SanitizeResult {
  html: string;
  /** What was removed, for people: "<script> element and its content", "onclick attribute on <a>" … */
  removed: string[];
  /** URLs that are Liquid values (`href="{{ company.website }}"`): kept, and checked again after rendering. */
  checkAtRender: string[];
}

const ALLOWED_TAGS = [
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption',
  'p', 'div', 'span', 'br', 'hr', 'center', 'blockquote',
  'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'small', 'sub', 'sup', 'font',
  'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4',
  'a', 'img',
];

/** Disallowed elements whose content goes too: code, foreign markup, embedded documents, forms. */
const DROP_WITH_CONTENT = [
  'script', 'style', 'textarea', 'option', 'xmp', 'noscript', 'title', 'template', 'head',
  'svg', 'math', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'noembed', 'noframes',
  'form', 'button', 'select', 'datalist', 'canvas', 'video', 'audio', 'picture', 'plaintext',
];

const COMMON_ATTRIBUTES = ['align', 'valign', 'width', 'height', 'colspan', 'rowspan', 'border', 'cellpadding', 'cellspacing', 'bgcolor', 'color', 'alt', 'title', 'dir', 'lang', 'class'];
const TAG_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'name', 'target'],
  img: ['src'],
  font: ['face', 'size'],
  ol: ['start', 'type'],
  ul: ['type'],
  li: ['type'],
};
const URL_ATTRIBUTES: Record<string, { attr: string; kind: UrlKind }> = {
  a: { attr: 'href', kind: 'link' },
  img: { attr: 'src', kind: 'image' },
};

/** The renderer's private marks and the Liquid placeholders; never accepted from input. */
const PRIVATE_MARKS = /[\uE000\uE001\uE100\uE101]/g;
/** Runs of zero-width joiners are how rendered signatures mark themselves (signature/marker.ts). */
const MARKER_RUN = /[\u200C\u200D]{8,}/g;
const LIQUID = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
const PLACEHOLDER = /\uE100(\d+)\uE101/g;
const PLACEHOLDER_ONE = /\uE100\d+\uE101/;
/** Classes the signature marker uses; an admin's copy would fake a marker. */
const RESERVED_CLASS = /^(?:x_)*tradepane-/i;

function short(s: string, max = 40): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

class Removals {
  private counts = new Map<string, number>();
  add(what: string): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
  }
  list(): string[] {
    return [...this.counts].map(([what, n]) => (n > 1 ? `${what} (${n}×)` : what));
  }
}

function clean(input: string, profile: SanitizeProfile, liquid: boolean): SanitizeResult {
  const removed = new Removals();
  const checkAtRender: string[] = [];

  let html = input.replace(PRIVATE_MARKS, '');
  html = html.replace(MARKER_RUN, () => {
    removed.add('hidden run of zero-width characters');
    return '';
  });

  const liquidSources: string[] = [];
  if (liquid) {
    html = html.replace(LIQUID, (source) => {
      liquidSources.push(source);
      return `\uE100${liquidSources.length - 1}\uE101`;
    });
  }
  const restore = (s: string) => s.replace(PLACEHOLDER, (_, i: string) => liquidSources[Number(i)] ?? '');
  // Liquid that went with an attribute already reported is not reported a second time.
  const accounted = new Set<number>();
  const account = (s: string) => {
    for (const m of s.matchAll(PLACEHOLDER)) accounted.add(Number(m[1]));
  };
  if (/<[a-zA-Z!/?][^>]*$/.test(html)) removed.add('incomplete tag at the end');
  /**
   * Elements to drop whole are recognised by their attribs object. (Renaming them to a
   * disallowed tag instead trips a sanitize-html bug: the rename leaks onto a later end tag.)
   */
  const drop = new WeakSet<object>();
  const comments = html.match(/<!--[\s\S]*?(?:-->|$)|<![^-][^>]*>/g)?.length ?? 0;
  for (let i = 0; i < comments; i++) removed.add('HTML comment');

  const transform = (tag: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => {
    if (!ALLOWED_TAGS.includes(tag)) {
      removed.add(DROP_WITH_CONTENT.includes(tag) ? `<${tag}> element and its content` : `<${tag}> element (its content is kept)`);
      return { tagName: tag, attribs: {} };
    }
    const allowed = [...COMMON_ATTRIBUTES, ...(TAG_ATTRIBUTES[tag] ?? []), ...(profile === 'template' ? ['style'] : [])];
    const kept: sanitizeHtml.Attributes = {};
    let dropElement = false;
    for (const [rawName, value] of Object.entries(attribs)) {
      const attr = restore(rawName);
      const refuse = (what: string) => {
        removed.add(what);
        account(rawName);
        account(value);
      };
      if (rawName.search(PLACEHOLDER_ONE) !== -1) {
        refuse(`Liquid in the attribute list of <${tag}> (${short(attr)}); Liquid can only go inside attribute values`);
        continue;
      }
      if (attr === 'style' && profile === 'signature') {
        refuse(`style attribute on <${tag}> (Outlook signatures cannot use inline styles; use bgcolor, width, align or <font>)`);
        continue;
      }
      if (!allowed.includes(attr)) {
        refuse(/^on/i.test(attr) ? `${attr} attribute on <${tag}> (event handler)` : `${attr} attribute on <${tag}>`);
        continue;
      }
      const urlRule = URL_ATTRIBUTES[tag];
      if (urlRule && urlRule.attr === attr) {
        const verdict = checkUrl(value, urlRule.kind);
        if (!verdict.ok) {
          refuse(describeRefusedUrl(verdict, urlRule.kind, tag));
          // An image without its source is nothing; a link without its target is still text.
          if (urlRule.kind === 'image') dropElement = true;
          continue;
        }
        if (verdict.liquid && verdict.scheme === undefined) checkAtRender.push(`${attr} "${short(restore(value))}" on <${tag}> comes from Liquid; it is checked after rendering`);
      }
      if (attr === 'style') {
        const css = cleanInlineCss(value);
        for (const r of css.removed) removed.add(`${restore(r)} in style on <${tag}>`);
        if (css.css) kept.style = css.css;
        continue;
      }
      if (attr === 'class') {
        const classes = value.split(/\s+/).filter((c) => c !== '');
        const own = classes.filter((c) => !RESERVED_CLASS.test(c));
        if (own.length < classes.length) removed.add(`reserved class "tradepane-…" on <${tag}>`);
        if (own.length) kept.class = own.join(' ');
        continue;
      }
      kept[attr] = value;
    }
    if (tag === 'img' && !('src' in attribs)) {
      removed.add(`<img> without a source`);
      dropElement = true;
    }
    if (dropElement) {
      const dropped: sanitizeHtml.Attributes = {};
      drop.add(dropped);
      return { tagName: tag, attribs: dropped };
    }
    return { tagName: tag, attribs: kept };
  };

  const perTagAttributes: Record<string, string[]> = { '*': [...COMMON_ATTRIBUTES, ...(profile === 'template' ? ['style'] : [])] };
  for (const [tag, attrs] of Object.entries(TAG_ATTRIBUTES)) perTagAttributes[tag] = attrs;

  const cleaned = sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: perTagAttributes,
    nonTextTags: DROP_WITH_CONTENT,
    exclusiveFilter: (frame) => drop.has(frame.attribs),
    disallowedTagsMode: 'discard',
    // Second line of defence; transform above has already applied the stricter rules.
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'background', 'action', 'formaction', 'xlink:href', 'data', 'poster'],
    allowProtocolRelative: false,
    allowVulnerableTags: false,
    // Our own CSS filter runs in transform; sanitize-html's would need postcss at run time.
    parseStyleAttributes: false,
    parser: { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true },
    transformTags: { '*': transform },
  });

  const restored = new Set<number>();
  const out = cleaned.replace(PLACEHOLDER, (_, i: string) => {
    restored.add(Number(i));
    return liquidSources[Number(i)] ?? '';
  });
  liquidSources.forEach((source, i) => {
    if (!restored.has(i) && !accounted.has(i)) removed.add(`Liquid "${short(source)}" (it was inside something removed, or in a tag's attribute list)`);
  });
  return { html: out, removed: removed.list(), checkAtRender };
}

/** For admin-authored HTML that still contains Liquid: keeps every `{{ … }}` and `{% … %}` as written. */
export function sanitizeAdminHtml(html: string, profile: SanitizeProfile): SanitizeResult {
  return clean(html, profile, true);
}

/**
 * For the final HTML after rendering. Values were escaped while rendering, but a Liquid-valued
 * URL (`href="{{ company.website }}"`) only now shows its scheme, so everything is checked again
 * with no Liquid exemptions; `{{` in the output is plain text here.
 */
export function sanitizeRenderedHtml(html: string, profile: SanitizeProfile): SanitizeResult {
  return clean(html, profile, false);
}
