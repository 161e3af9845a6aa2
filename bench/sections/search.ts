import { TemplateSearch, visibleText, type SearchEntry } from '../../src/core/search/templates.js';
import type { PackTemplate } from '../../src/core/pack/schema.js';
import { compare, percentile, sortedCopy, type Row } from '../measure.js';

/** 5,000 and 50,000 templates in 4 languages; every keystroke of 20 queries is one search. */
const WORDS = ['quotation', 'sample', 'shipment', 'payment', 'invoice', 'container', 'pallet', 'freight', 'discount', 'delivery', 'inquiry', 'catalogue', 'warranty', 'certificate', 'packing', 'customs', 'insurance', 'deposit', 'balance', 'tracking'];
const ES = ['cotización', 'muestra', 'envío', 'pago', 'factura', 'contenedor', 'flete', 'descuento', 'entrega', 'consulta'];
const ZH = ['报价单', '样品', '发货', '付款', '发票', '集装箱', '运费', '折扣', '交货', '询盘'];
const AR = ['عرض', 'عينة', 'شحنة', 'دفع', 'فاتورة'];
const KINDS: PackTemplate['kind'][] = ['inquiry', 'quote', 'sample', 'follow-up', 'shipping', 'payment', 'other'];

export function corpus(n: number): SearchEntry[] {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const w = [pick(WORDS), pick(WORDS), pick(WORDS)];
    const template: PackTemplate = {
      id: `t${i}`,
      kind: pick(KINDS),
      title: { en: `${w[0]} ${w[1]} ${i}`, es: `${pick(ES)} ${i}`, zh: `${pick(ZH)}${i}`, ar: `${pick(AR)} ${i}` },
      tags: [pick(WORDS)],
      variants: {
        en: { subject: `${w[2]} for {{ product }}`, body: `<p>Dear {{ contact.firstName }}, about the ${w.join(' ')} we discussed.</p>` },
        es: { subject: `${pick(ES)}`, body: `<p>${pick(ES)} ${pick(ES)}</p>` },
        zh: { subject: `${pick(ZH)}`, body: `<p>${pick(ZH)}${pick(ZH)}</p>` },
        ar: { subject: `${pick(AR)}`, body: `<p>${pick(AR)} ${pick(AR)}</p>` },
      },
    };
    return { key: `pack/${template.id}`, pack: 'pack', template };
  });
}

export const QUERIES = ['quotation', 'samlpe', 'payment terms', 'container freight', 'invoice', 'cotización', 'envío', '报价', '样品', 'عينة', 'tracking', 'warranty', 'delivery', 'customs', 'deposit', 'balance', 'packing list', 'certificate', 'insurance', 'discount'];

/** What a face without an index would do: lower-case substring match over every text, every keystroke. */
function naiveSearch(entries: { text: string; key: string }[], query: string): string[] {
  const q = query.toLowerCase();
  return entries.filter((e) => e.text.includes(q)).map((e) => e.key);
}

/** Every keystroke of the 20 queries, 3 rounds, over `n` templates: our index and the substring scan beside it. */
export function measure(n: number): { buildMs: number; ours: number[]; naive: number[] } {
  const entries = corpus(n);
  const t0 = performance.now();
  const index = new TemplateSearch(entries);
  index.warm(); // built when the pane is idle (or by the first typed query): measured here
  const buildMs = performance.now() - t0;
  const flat = entries.map((e) => ({
    key: e.key,
    text: [JSON.stringify(e.template.title), ...(e.template.tags ?? []), ...Object.values(e.template.variants).flatMap((v) => [v.subject, visibleText(v.body)])].join(' ').toLowerCase(),
  }));
  const ours: number[] = [];
  const naive: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const query of QUERIES) {
      for (let i = 1; i <= query.length; i++) {
        const typed = query.slice(0, i);
        let t = performance.now();
        index.search(typed, { limit: 20 });
        ours.push(performance.now() - t);
        t = performance.now();
        naiveSearch(flat, typed);
        naive.push(performance.now() - t);
      }
    }
  }
  return { buildMs, ours: sortedCopy(ours), naive: sortedCopy(naive) };
}

export async function searchSection(): Promise<Row[]> {
  const rows: Row[] = [];
  // Issue #18: p95 ≤ 10 ms at 5,000 templates, ≤ 25 ms at 50,000 (a large company's every pack).
  for (const [n, label, suffix] of [[5000, '5,000', ''], [50000, '50,000', ', 50,000 templates']] as const) {
    const { buildMs, ours: o, naive: v } = measure(n);
    rows.push(
      { section: 'search', name: `index build, ${label} templates × 4 languages`, value: buildMs, unit: 'ms', higherIsBetter: false },
      compare({ section: 'search', name: `per keystroke p50${suffix}`, value: percentile(o, 50), unit: 'ms', higherIsBetter: false, baseline: { name: 'substring scan (no typos, no ranking)', value: percentile(v, 50) } }),
      compare({ section: 'search', name: `per keystroke p95${suffix}`, value: percentile(o, 95), unit: 'ms', higherIsBetter: false, baseline: { name: 'substring scan (no typos, no ranking)', value: percentile(v, 95) } }),
    );
  }
  return rows;
}
