import { describe, expect, it } from '@jest/globals';
import { completePack, declaredFieldNames } from '../../src/core/pack/completion.js';

const pack = `pack: demo
templates:
  - id: quote
    fields:
      - { name: product, type: text }
      - name: price
        type: money
    variants:
      en:
        body: "<p>{{ pr`;

describe('pack editor completion', () => {
  it('offers the declared fields and the built-ins inside {{ }}, by the typed prefix', () => {
    const at = completePack(pack, pack.length);
    expect(at?.from).toBe(pack.length - 2);
    expect(at?.options.map((o) => o.label)).toEqual(['product', 'price']);
    const rep = `${pack.slice(0, -2)}rep.ph`;
    expect(completePack(rep, rep.length)?.options).toEqual([{ label: 'rep.phone', kind: 'builtin' }]);
  });

  it('still offers the fields when the line being typed breaks the document (an open flow map)', () => {
    const flow = `${pack.slice(0, pack.indexOf('      en:'))}      en: {subject: "{{ pro`;
    expect(completePack(flow, flow.length)?.options.map((o) => o.label)).toEqual(['product']);
  });

  it('offers nothing outside Liquid or after a filter bar', () => {
    const closed = `${pack}oduct }} pr`;
    expect(completePack(closed, closed.length)).toBeUndefined();
    const filter = `${pack}oduct | up`;
    expect(completePack(filter, filter.length)).toBeUndefined();
  });

  it('offers field types after type: and template kinds after kind:, also in a flow map', () => {
    const text = 'templates:\n  - kind: fo';
    expect(completePack(text, text.length)).toEqual({ from: text.length - 2, options: [{ label: 'follow-up', kind: 'kind' }] });
    const flow = '      - { name: due, type: da';
    expect(completePack(flow, flow.length)?.options.map((o) => o.label)).toEqual(['date']);
    const bare = '        type: ';
    expect(completePack(bare, bare.length)?.options).toHaveLength(9);
  });

  it('reads field names from a half-written pack and nothing from garbage', () => {
    expect(declaredFieldNames(pack)).toEqual(['product', 'price']);
    expect(declaredFieldNames('{{{')).toEqual([]);
  });
});
