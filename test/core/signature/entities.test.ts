import { describe, expect, it } from '@jest/globals';
import { decodeEntities, parseHtml, visibleLines } from '../../../src/core/signature/html.js';
import { visibleText } from '../../../src/core/search/templates.js';

/**
 * Character references as a browser reads them (the entities package), where the hand-kept
 * table knew about a hundred names: names outside Latin-1 and typography, the C1 numeric
 * references Windows mail writes, the legacy no-semicolon rule and its attribute exception.
 */
describe('character references', () => {
  it.each([
    ['&check; &hearts; &nbsp;', '✓ ♥ \u00a0'],
    ['&Alpha;&beta;&pi;', 'Αβπ'],
    // Windows-1252 numeric references: &#150; is an en dash in every browser, not U+0096
    ['9&#150;17 &#128;5', '9–17 €5'],
    ['&copy 2026 &amp co', '© 2026 & co'],
    ['&#0; &#xD800; &#x110000;', '\uFFFD \uFFFD \uFFFD'],
    ['&unknown; &', '&unknown; &'],
  ])('%j → %j', (raw, decoded) => {
    expect(decodeEntities(raw)).toBe(decoded);
  });

  it('in an attribute, a legacy name followed by = or a letter stays text (so query strings survive)', () => {
    const root = parseHtml('<a href="https://x.test/?a=1&copy=2&amp;b=3">x</a>');
    const a = root.children[0];
    expect(a?.kind === 'element' ? a.attrs.get('href') : undefined).toBe('https://x.test/?a=1&copy=2&b=3');
  });

  it('a signature line with typographic references reads as the reader sees it', () => {
    expect(visibleLines('<p>Linda Chen &ndash; Sales&nbsp;Gulf &#x2022; &check; ISO&nbsp;9001</p>')).toEqual(['Linda Chen – Sales Gulf • ✓ ISO 9001']);
  });

  it('template search text decodes every reference, not only &nbsp; and &amp;', () => {
    expect(visibleText('<p>Caf&eacute; &lt;FOB&gt; &euro;12</p>')).toBe('Café <FOB> €12');
  });
});
