import type { PackTemplate } from '../pack/schema.js';
import { TemplateSearch, type SearchEntry, type SearchHit } from '../search/templates.js';

/**
 * The templates a rep sees while composing, the same in every face: the packs published to them,
 * their personal templates (pack `~personal`), ranked by how often they used each one. Templates of
 * kind `team` (a team inbox's acknowledgement and hand-off, which the store sends) are not among them.
 */

/** The pack name under which a rep's own templates are listed, inserted and counted. */
export const PERSONAL = '~personal';

export interface CataloguePack {
  pack: string;
  document: { defaultLanguage: string; templates?: PackTemplate[] | undefined };
}

export interface CatalogueSource {
  packs: readonly CataloguePack[];
  personal: readonly PackTemplate[];
  /** The rep's use counts (e.g. the last 90 days), by pack and template id. */
  uses: readonly { pack: string; template: string; count: number }[];
}

export interface Catalogue {
  entries: SearchEntry[];
  byKey: Map<string, SearchEntry>;
  /** The kinds the rep actually has, sorted (the pack format's full list would offer empty filters). */
  kinds: string[];
  /** Every language some template has, sorted. */
  languages: string[];
  /** The default language of a pack; a personal template's is its first variant. */
  defaultLanguage(entry: SearchEntry): string;
  search(query: string, options?: { kind?: string | undefined; limit?: number }): SearchHit[];
  /** Builds the search index ahead of the first keystroke (it is otherwise built by the first query). */
  warmSearch(): void;
}

export const entryKey = (pack: string, template: string) => `${pack}/${template}`;

export function templateCatalogue(source: CatalogueSource): Catalogue {
  const entries: SearchEntry[] = [];
  const defaults = new Map<string, string>();
  for (const pack of source.packs) {
    defaults.set(pack.pack, pack.document.defaultLanguage);
    for (const template of pack.document.templates ?? []) if (template.kind !== 'team') entries.push({ key: entryKey(pack.pack, template.id), pack: pack.pack, template });
  }
  for (const template of source.personal) if (template.kind !== 'team') entries.push({ key: entryKey(PERSONAL, template.id), pack: PERSONAL, template });
  const uses = new Map(source.uses.map((u) => [entryKey(u.pack, u.template), u.count]));
  const search = new TemplateSearch(entries, uses);
  return {
    entries,
    byKey: new Map(entries.map((e) => [e.key, e])),
    kinds: [...new Set(entries.map((e) => e.template.kind))].sort(),
    languages: [...new Set(entries.flatMap((e) => Object.keys(e.template.variants)))].sort(),
    defaultLanguage: (entry) => (entry.pack === PERSONAL ? undefined : defaults.get(entry.pack)) ?? Object.keys(entry.template.variants)[0] ?? 'en',
    search: (query, options = {}) => search.search(query, { ...(options.kind ? { kind: options.kind } : {}), ...(options.limit ? { limit: options.limit } : {}) }),
    warmSearch: () => search.warm(),
  };
}
