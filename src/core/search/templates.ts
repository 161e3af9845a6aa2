import MiniSearch, { type Options } from 'minisearch';
import type { PackTemplate } from '../pack/schema.js';
import { decodeHTML } from 'entities/decode';

/**
 * Search over every template a rep can insert: titles, tags, kind, subjects and body text, in
 * every language, typo-tolerant and prefix-matching (search as you type), ranked up by how often
 * this rep used each template. Built once per pack view; each keystroke is one in-memory query.
 */

export interface SearchEntry {
  /** `pack/template` (pack "~personal" for the rep's own) */
  key: string;
  pack: string;
  template: PackTemplate;
}

export interface SearchHit {
  key: string;
  pack: string;
  id: string;
  kind: string;
  score: number;
}

interface Indexed {
  key: string;
  kind: string;
  title: string;
  tags: string;
  subject: string;
  body: string;
}

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Words for Latin, Cyrillic, Arabic … scripts; for Chinese, Japanese and Korean, which are written
 * without spaces, every character and every pair of neighbours ("报价单" → 报, 价, 单, 报价, 价单),
 * so a query for 报价 finds 报价单 without a dictionary.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (!CJK.test(word)) {
      tokens.push(word);
      continue;
    }
    const chars = [...word];
    for (let i = 0; i < chars.length; i++) {
      tokens.push(chars[i]!);
      if (i + 1 < chars.length) tokens.push(chars[i]! + chars[i + 1]!);
    }
  }
  return tokens;
}

/** Visible text of a Liquid/HTML body: tags and Liquid markup removed, character references decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/\{%[\s\S]*?%\}/g, ' ')
    .replace(/\{\{[\s\S]*?\}\}/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[#A-Za-z0-9]+;?/g, (ref) => decodeHTML(ref))
    .replace(/\s+/g, ' ')
    .trim();
}

function texts(value: string | Record<string, string>): string {
  return typeof value === 'string' ? value : Object.values(value).join(' ');
}

/** The MiniSearch options: which fields, how each weighs, when a term is a prefix and how many typos it forgives. */
export const INDEX_OPTIONS = {
  idField: 'key',
  fields: ['title', 'tags', 'kind', 'subject', 'body'],
  tokenize,
  searchOptions: {
    tokenize,
    boost: { title: 4, tags: 3, kind: 3, subject: 2, body: 1 },
    prefix: (term: string) => term.length >= 2,
    // No typos in short words or CJK (fuzzy CJK finds noise); one from 4 letters; two from 6,
    // because a swapped pair ("samlpe") is two edits here.
    fuzzy: (term: string) => (CJK.test(term) || term.length < 4 ? false : term.length < 6 ? 1 : 2),
    combineWith: 'AND',
  },
} satisfies Options<Indexed>;

const FIELD_BOOST: Record<string, number> = INDEX_OPTIONS.searchOptions.boost;
const FIELDS = INDEX_OPTIONS.fields;
/** MiniSearch's defaults (`weights`, `bm25`), which its scoring below repeats. */
const WEIGHTS = { fuzzy: 0.45, prefix: 0.375 };
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/** How many query terms' matches are kept for the next keystroke ("container f" → "container fr"). */
const KEPT_TERMS = 8;

/** One query term's matching documents (short ids, in MiniSearch's order of discovery) and scores. */
interface TermMatches {
  docs: Int32Array;
  scores: Float64Array;
}

/**
 * MiniSearch's index, queried for the best `limit` only. `MiniSearch.search` scores, builds a result
 * object for and sorts **every** match — a two-letter prefix matches every template at 50,000 — before
 * we keep 20. `top` computes the same scores (the same BM25, field boosts, prefix and typo weights,
 * the same order of additions, so the same floating-point sums), keeps them in flat arrays, keeps
 * each term's matches for the next keystroke, and selects the best `limit` with a heap, ties in
 * MiniSearch's order. The differential test in `test/core/search/templates.test.ts` holds it to
 * `search`'s ranking.
 */
export class TemplateIndex extends MiniSearch<Indexed> {
  private kept = new Map<string, TermMatches>();
  private scratch: { score: Float64Array; seen: Int32Array; found: Int32Array; stamp: number } | undefined;
  private norms: Float64Array[] | undefined;

  constructor() {
    super(INDEX_OPTIONS);
  }

  /**
   * The best `limit` matches of every term of `query` (AND), `accept`ed, best first: short id and score.
   * `docBoost[shortId]` multiplies a document's score (MiniSearch's `boostDocument`); it must not change
   * between calls, since a term's scored matches are kept for the next keystroke.
   */
  top(query: string, limit: number, docBoost: Float64Array, accept: (shortId: number) => boolean): { shortId: number; score: number }[] {
    const terms = tokenize(query).filter((term) => !!term);
    if (terms.length === 0 || limit <= 0) return [];
    const kept = new Map<string, TermMatches>();
    const perTerm = terms.map((term) => {
      const matches = kept.get(term) ?? this.kept.get(term) ?? this.termMatches(term, docBoost);
      kept.set(term, matches);
      return matches;
    });
    // Keep this query's terms (at most KEPT_TERMS) for the next keystroke, which usually repeats all but the last.
    this.kept = kept.size <= KEPT_TERMS ? kept : new Map([...kept].slice(-KEPT_TERMS));

    // AND, as MiniSearch combines: scores summed term by term, in the order of the last term's matches.
    const { score, seen } = this.scratchArrays();
    let stamp = this.nextStamp();
    const first = perTerm[0]!;
    for (let i = 0; i < first.docs.length; i++) {
      seen[first.docs[i]!] = stamp;
      score[first.docs[i]!] = first.scores[i]!;
    }
    let order: Int32Array = first.docs;
    for (let t = 1; t < perTerm.length; t++) {
      const { docs, scores } = perTerm[t]!;
      const previous = stamp;
      stamp = this.nextStamp();
      const survivors: number[] = [];
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        if (seen[doc] !== previous) continue;
        score[doc] = score[doc]! + scores[i]!;
        seen[doc] = stamp;
        survivors.push(doc);
      }
      order = Int32Array.from(survivors);
    }

    // The best `limit`, ties in that order: a min-heap whose root is the worst kept.
    const heap: number[] = []; // positions in `order`
    const worse = (a: number, b: number) => score[order[a]!]! < score[order[b]!]! || (score[order[a]!] === score[order[b]!] && a > b);
    const sink = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    };
    for (let p = 0; p < order.length; p++) {
      // Once the heap is full, only a higher score gets in: an equal one comes later, so ranks lower.
      if (heap.length === limit && !(score[order[p]!]! > score[order[heap[0]!]!]!)) continue;
      if (!accept(order[p]!)) continue;
      if (heap.length < limit) {
        heap.push(p);
        for (let i = heap.length - 1; i > 0; ) {
          const parent = (i - 1) >> 1;
          if (!worse(heap[i]!, heap[parent]!)) break;
          [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
          i = parent;
        }
      } else {
        heap[0] = p;
        sink(0);
      }
    }
    // MiniSearch multiplies every score by the number of distinct query terms matched (all, under AND).
    const quality = new Set(terms).size;
    return heap
      .sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0))
      .map((p) => ({ shortId: order[p]!, score: score[order[p]!]! * quality }));
  }

  /** What MiniSearch's `executeQuerySpec` finds for one term: the term itself, its prefix completions, its near misses. */
  private termMatches(term: string, docBoost: Float64Array): TermMatches {
    const { score, seen, found } = this.scratchArrays();
    const stamp = this.nextStamp();
    let count = 0; // documents found so far, in `found`
    const norms = this.lengthNorms();
    const add = (derived: FieldTermData | undefined, weight: number) => {
      if (!derived) return;
      for (const field of FIELDS) {
        const fieldId = this._fieldIds[field]!;
        const freqs = derived.get(fieldId);
        if (!freqs) continue;
        const norm = norms[fieldId]!;
        // MiniSearch's `termWeight * termBoost * fieldBoost * docBoost * rawScore`, in that order (term boost 1).
        const termField = weight * 1 * (FIELD_BOOST[field] ?? 1);
        const idf = Math.log(1 + (this._documentCount - freqs.size + 0.5) / (freqs.size + 0.5));
        freqs.forEach((termFreq, doc) => {
          const weighted = termField * docBoost[doc]! * (idf * (BM25.d + (termFreq * (BM25.k + 1)) / (termFreq + norm[doc]!)));
          if (seen[doc] === stamp) score[doc] = score[doc]! + weighted;
          else {
            seen[doc] = stamp;
            score[doc] = weighted;
            found[count++] = doc;
          }
        });
      }
    };
    add(this._index.get(term), 1);
    const prefix = INDEX_OPTIONS.searchOptions.prefix(term);
    const fuzzy = INDEX_OPTIONS.searchOptions.fuzzy(term);
    const near = fuzzy ? this._index.fuzzyGet(term, fuzzy) : undefined;
    if (prefix) {
      for (const [completion, data] of this._index.atPrefix(term)) {
        const distance = completion.length - term.length;
        if (!distance) continue;
        near?.delete(completion);
        add(data, (WEIGHTS.prefix * completion.length) / (completion.length + 0.3 * distance));
      }
    }
    if (near) {
      for (const [miss, [data, distance]] of near) {
        if (!distance) continue;
        add(data, (WEIGHTS.fuzzy * miss.length) / (miss.length + distance));
      }
    }
    const docs = found.slice(0, count);
    return { docs, scores: Float64Array.from(docs, (doc) => score[doc]!) };
  }

  /**
   * Per field and document, BM25's length part `k * (1 - b + b * length / average length)`, as
   * MiniSearch computes it (the first query computes it otherwise; `templateIndex` does, while idle).
   */
  lengthNorms(): Float64Array[] {
    this.norms ??= this._avgFieldLength.map((average, fieldId) => {
      const norm = new Float64Array(this._nextId);
      for (const [doc, lengths] of this._fieldLength) norm[doc] = BM25.k * (1 - BM25.b + (BM25.b * lengths[fieldId]!) / average);
      return norm;
    });
    return this.norms;
  }

  // Adding or removing a document changes lengths and counts: what was computed from them goes.
  override add(document: Indexed): void {
    this.norms = undefined;
    this.kept.clear();
    super.add(document);
  }

  override remove(document: Indexed): void {
    this.norms = undefined;
    this.kept.clear();
    super.remove(document);
  }

  /** Not supported: a discarded document stays in the term lists until MiniSearch vacuums, which `top` does not expect. */
  override discard(): void {
    throw new Error('TemplateIndex: rebuild the index instead of discarding a document');
  }

  private scratchArrays() {
    if (!this.scratch || this.scratch.score.length < this._nextId) this.scratch = { score: new Float64Array(this._nextId), seen: new Int32Array(this._nextId), found: new Int32Array(this._nextId), stamp: 0 };
    return this.scratch;
  }

  private nextStamp(): number {
    return ++this.scratchArrays().stamp;
  }
}

type FieldTermData = Map<number, Map<number, number>>;

/** The index of `entries`, document `i` under short id `i`: titles, tags, kind, subjects and visible body text in every language. */
export function templateIndex(entries: readonly SearchEntry[]): TemplateIndex {
  const index = new TemplateIndex();
  index.addAll(
    entries.map(({ key, template }) => ({
      key,
      title: texts(template.title),
      tags: (template.tags ?? []).join(' '),
      kind: template.kind,
      subject: Object.values(template.variants).map((v) => v.subject).join(' '),
      body: Object.values(template.variants).map((v) => visibleText(v.body)).join(' '),
    })),
  );
  index.lengthNorms();
  return index;
}

export class TemplateSearch {
  private built: { index: TemplateIndex; byShortId: SearchEntry[]; boost: Float64Array } | undefined;
  private readonly boost: Map<string, number>;

  /**
   * Cheap: the index is built on the first typed query (or by `warm`, when the pane is idle), so a
   * pane that opens on the unfiltered list never waits for it (issue #18).
   */
  constructor(
    private readonly entries: SearchEntry[],
    uses: Map<string, number> = new Map(),
  ) {
    // A template used 10 times ranks about twice as high as an unused one with the same match.
    this.boost = new Map([...uses].map(([key, count]) => [key, 1 + Math.log10(1 + count)]));
  }

  /** Builds the index now, if it is not built yet (for an idle moment before the first keystroke). */
  warm(): void {
    this.index();
  }

  private index() {
    if (this.built) return this.built;
    // MiniSearch numbers the documents 0, 1, 2 … in the order they were added.
    this.built = { index: templateIndex(this.entries), byShortId: this.entries, boost: Float64Array.from(this.entries, (e) => this.boost.get(e.key) ?? 1) };
    return this.built;
  }

  search(query: string, options: { kind?: string; limit?: number } = {}): SearchHit[] {
    const q = query.trim();
    const kind = options.kind;
    const limit = options.limit ?? 50;
    if (!q) {
      // No query: everything (of the kind), the rep's most used first, in pack order otherwise.
      return this.entries
        .filter((e) => !kind || e.template.kind === kind)
        .map((e) => ({ key: e.key, pack: e.pack, id: e.template.id, kind: e.template.kind, score: this.boost.get(e.key) ?? 1 }))
        .sort((a, b) => b.score - a.score)
        .slice(0, limit);
    }
    const { index, byShortId, boost } = this.index();
    const accept = kind ? (doc: number) => byShortId[doc]!.template.kind === kind : () => true;
    return index.top(q, limit, boost, accept).map(({ shortId, score }) => {
      const { key, pack, template } = byShortId[shortId]!;
      return { key, pack, id: template.id, kind: template.kind, score };
    });
  }
}
