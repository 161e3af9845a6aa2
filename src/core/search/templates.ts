import MiniSearch, { type SearchResult } from 'minisearch';
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
  pack: string;
  templateId: string;
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

export class TemplateSearch {
  private built: MiniSearch<Indexed> | undefined;
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

  private index(): MiniSearch<Indexed> {
    if (this.built) return this.built;
    const index = new MiniSearch<Indexed>({
      idField: 'key',
      fields: ['title', 'tags', 'kind', 'subject', 'body'],
      storeFields: ['pack', 'templateId', 'kind'],
      tokenize,
      searchOptions: {
        tokenize,
        boost: { title: 4, tags: 3, kind: 3, subject: 2, body: 1 },
        prefix: (term) => term.length >= 2,
        // No typos in short words or CJK (fuzzy CJK finds noise); one from 4 letters; two from 6,
        // because a swapped pair ("samlpe") is two edits here.
        fuzzy: (term) => (CJK.test(term) || term.length < 4 ? false : term.length < 6 ? 1 : 2),
        combineWith: 'AND',
      },
    });
    index.addAll(
      this.entries.map(({ key, pack, template }) => ({
        key,
        pack,
        templateId: template.id,
        kind: template.kind,
        title: texts(template.title),
        tags: (template.tags ?? []).join(' '),
        subject: Object.values(template.variants).map((v) => v.subject).join(' '),
        body: Object.values(template.variants).map((v) => visibleText(v.body)).join(' '),
      })),
    );
    this.built = index;
    return index;
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
    const filter = kind ? (r: SearchResult) => r.kind === kind : undefined;
    const results = this.index().search(q, { ...(filter ? { filter } : {}), boostDocument: (key) => this.boost.get(String(key)) ?? 1 });
    return results.slice(0, limit).map((r) => ({ key: String(r.id), pack: String(r.pack), id: String(r.templateId), kind: String(r.kind), score: r.score }));
  }
}
