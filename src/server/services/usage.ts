import type { TenantDb } from '../db/tenant-db.js';
import type { PackDocument } from '../../core/pack/schema.js';
import { localized } from '../../core/template/index.js';
import { isoWeek, PERSONAL } from './personal-templates.js';
import type { UsageReport } from '../../contract/console.js';

export type { UsageReport };

/**
 * Which templates reps use, by whom and per ISO week (from template_uses), and which published
 * templates nobody used lately — the ones to improve or retire.
 */

export async function usageReport(tdb: TenantDb, options: { weeks?: number; unusedDays?: number; now?: Date } = {}): Promise<UsageReport> {
  const now = options.now ?? new Date();
  const weekCount = options.weeks ?? 12;
  const unusedDays = options.unusedDays ?? 90;
  const weeks: string[] = [];
  for (let i = weekCount - 1; i >= 0; i--) {
    const w = isoWeek(new Date(now.getTime() - i * 7 * 86_400_000));
    if (!weeks.includes(w)) weeks.push(w);
  }
  const oldest = isoWeek(new Date(now.getTime() - Math.max(weekCount * 7, unusedDays) * 86_400_000));
  const rows = await tdb
    .selectFrom('template_uses')
    .innerJoin('users', (j) => j.onRef('users.id', '=', 'template_uses.user_id').onRef('users.tenant_id', '=', 'template_uses.tenant_id'))
    .select(['template_uses.pack', 'template_uses.template_id', 'template_uses.week', 'template_uses.count', 'template_uses.last_used_at', 'users.email'])
    .where('template_uses.week', '>=', oldest)
    .where('template_uses.pack', '!=', PERSONAL)
    .execute();

  // The templates as their packs are published now (the highest published version of each pack).
  const published = await tdb
    .selectFrom('pack_publications')
    .innerJoin('pack_versions', (j) => j.onRef('pack_versions.id', '=', 'pack_publications.version_id').onRef('pack_versions.tenant_id', '=', 'pack_publications.tenant_id'))
    .innerJoin('packs', (j) => j.onRef('packs.id', '=', 'pack_versions.pack_id').onRef('packs.tenant_id', '=', 'pack_versions.tenant_id'))
    .select(['packs.slug', 'pack_versions.version', 'pack_versions.document'])
    .execute();
  const latestOf = new Map<string, { version: number; document: string }>();
  for (const p of published) if ((latestOf.get(p.slug)?.version ?? 0) < p.version) latestOf.set(p.slug, p);
  const titles = new Map<string, string>();
  const publishedTemplates: { pack: string; template: string; title: string; publishedVersion: number }[] = [];
  for (const [slug, p] of [...latestOf.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const doc = JSON.parse(p.document) as PackDocument;
    for (const t of doc.templates ?? []) {
      const title = localized(t.title, doc.defaultLanguage) ?? t.id;
      titles.set(`${slug}\u0000${t.id}`, title);
      publishedTemplates.push({ pack: slug, template: t.id, title, publishedVersion: p.version });
    }
  }

  const byTemplate = new Map<string, UsageReport['templates'][number]>();
  const unusedSince = isoWeek(new Date(now.getTime() - unusedDays * 86_400_000));
  const usedRecently = new Set<string>();
  for (const r of rows) {
    const key = `${r.pack}\u0000${r.template_id}`;
    if (r.week >= unusedSince) usedRecently.add(key);
    if (!weeks.includes(r.week)) continue;
    const entry = byTemplate.get(key) ?? { pack: r.pack, template: r.template_id, title: titles.get(key) ?? r.template_id, total: 0, perWeek: {}, users: [] };
    entry.total += r.count;
    entry.perWeek[r.week] = (entry.perWeek[r.week] ?? 0) + r.count;
    const user = entry.users.find((u) => u.email === r.email);
    if (user) user.count += r.count;
    else entry.users.push({ email: r.email, count: r.count });
    byTemplate.set(key, entry);
  }
  const templates = [...byTemplate.values()].sort((a, b) => b.total - a.total || (a.template < b.template ? -1 : 1));
  for (const t of templates) t.users.sort((a, b) => b.count - a.count || (a.email < b.email ? -1 : 1));
  return { weeks, templates, unused: publishedTemplates.filter((t) => !usedRecently.has(`${t.pack}\u0000${t.template}`)), unusedDays };
}
