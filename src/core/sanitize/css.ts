import { LIQUID_PLACEHOLDER } from './url.js';

/**
 * Inline CSS for templates. E-mail needs inline styles (clients drop <style> blocks), so the
 * properties themselves are not restricted; only the ways CSS can run code or load from
 * elsewhere are: IE's expression() and behavior, Firefox's -moz-binding, javascript:/vbscript:
 * anywhere, @import, and url() other than https. Checked on a copy with comments removed and
 * CSS escapes decoded, because `exp/**\/ression(` and `\65 xpression(` are the classic disguises.
 * Also refused: positioning out of the flow (fixed, absolute, sticky) and stacking above it
 * (z-index beyond ±OVERLAY_Z_INDEX), which let a message lay a full-window overlay — a fake
 * sign-in box, a covered link — over the mail client's own page.
 */

/** Mail never needs more stacking than this; overlays use 999999. */
export const OVERLAY_Z_INDEX = 10;
const OUT_OF_FLOW = /^(?:fixed|absolute|sticky|-webkit-sticky)(?:!important)?$/;

function overlayReason(property: string, value: string): string | undefined {
  if (property === 'position' && OUT_OF_FLOW.test(value)) return `position:${value.replace('!important', '')}`;
  if (property === 'z-index') {
    const v = value.replace('!important', '');
    if (/^(?:auto|inherit|initial|unset|revert)$/.test(v)) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || Math.abs(n) > OVERLAY_Z_INDEX) return `z-index:${value.replace('!important', '')}`;
  }
  return undefined;
}

const DANGEROUS_PROPERTY = /^(?:behavior|-ms-behavior|-moz-binding|-webkit-binding|binding)$/;
const DANGEROUS_VALUE = /expression\(|javascript:|vbscript:|livescript:|-moz-binding|behavior:|@import|mocha:/;

function decodeCssEscapes(s: string): string {
  return s.replace(/\\(?:([0-9a-fA-F]{1,6})\s?|([\s\S]))/g, (_, hex: string | undefined, ch: string | undefined) => {
    if (hex === undefined) return ch ?? '';
    const cp = Number.parseInt(hex, 16);
    return cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\uFFFD' : String.fromCodePoint(cp);
  });
}

/** Splits on `;` outside quotes and parentheses: `font-family:"a;b"` stays one declaration. */
function splitDeclarations(css: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < css.length; i++) {
    const c = css[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0) {
      out.push(css.slice(start, i));
      start = i + 1;
    }
  }
  out.push(css.slice(start));
  return out;
}

function short(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? one.slice(0, 59) + '…' : one;
}

export interface CssResult {
  css: string;
  /** Declarations dropped, described for an admin. */
  removed: string[];
}

export function cleanInlineCss(style: string): CssResult {
  const removed: string[] = [];
  const kept: string[] = [];
  const withoutComments = style.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, '');
  for (const declaration of splitDeclarations(withoutComments)) {
    if (declaration.trim() === '') continue;
    const colon = declaration.indexOf(':');
    if (colon === -1) {
      removed.push(`malformed CSS "${short(declaration)}"`);
      continue;
    }
    const property = decodeCssEscapes(declaration.slice(0, colon)).trim().toLowerCase();
    const decoded = decodeCssEscapes(declaration).toLowerCase().replace(/[\s\u0000-\u001f]+/g, '');
    if (DANGEROUS_PROPERTY.test(property) || DANGEROUS_VALUE.test(decoded)) {
      removed.push(`dangerous CSS "${short(declaration)}"`);
      continue;
    }
    const overlay = overlayReason(property, decoded.slice(decoded.indexOf(':') + 1));
    if (overlay) {
      removed.push(`CSS "${short(declaration)}" (${overlay} could lay the message over the mail client's page)`);
      continue;
    }
    const badUrl = [...decoded.matchAll(/url\(([^)]*)\)?/g)].some((m) => {
      const target = (m[1] ?? '').replace(/^["']|["']$/g, '');
      return !(target.startsWith('https://') || target.search(LIQUID_PLACEHOLDER) === 0);
    });
    if (badUrl || /(?:image-set|image|src)\(/.test(decoded.replace(/url\(/g, ''))) {
      removed.push(`CSS "${short(declaration)}" (only https URLs may be loaded from CSS)`);
      continue;
    }
    kept.push(declaration.trim());
  }
  return { css: kept.join('; '), removed };
}
