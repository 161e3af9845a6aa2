import type { Actor } from '../auth/principal.js';
import { newId, nowIso, type TenantDb } from '../db/tenant-db.js';
import { sql } from 'kysely';
import { conflict, forbidden, notFound, AppError } from '../errors.js';
import { issueText, validatePack } from '../../core/pack/validate.js';
import type { PackTemplate } from '../../core/pack/schema.js';
import { publishedPacks } from './packs.js';

/**
 * A rep's own templates: never visible to anyone else. A rep may start from a published template
 * unless the admin locked it. They are checked with the same rules as a pack's templates.
 */

import { PERSONAL } from '../../core/compose/catalogue.js';
import type { PersonalTemplate, TemplateUse, TemplateUses } from '../../contract/me.js';
export { PERSONAL };

export type { PersonalTemplate };

function validTemplate(template: unknown): PackTemplate {
  const variants = (template as { variants?: Record<string, unknown> } | null)?.variants;
  const language = variants && typeof variants === 'object' ? (Object.keys(variants)[0] ?? 'en') : 'en';
  const result = validatePack({ pack: 'personal', title: 'Personal', groups: ['*'], defaultLanguage: language, templates: [template] });
  const errors = result.issues.filter((i) => i.severity === 'error').map((i) => ({ path: i.path.replace(/^templates\[0\]/, 'template'), message: issueText(i) }));
  if (errors.length) throw new AppError(422, 'invalid_template', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  return (result as { pack: { templates: PackTemplate[] } }).pack.templates[0]!;
}

export async function listPersonalTemplates(tdb: TenantDb, userId: string): Promise<PersonalTemplate[]> {
  const rows = await tdb.selectFrom('personal_templates').select(['document', 'updated_at']).where('user_id', '=', userId).orderBy('template_id').execute();
  return rows.map((r) => ({ template: JSON.parse(r.document) as PackTemplate, updatedAt: r.updated_at }));
}

export async function savePersonalTemplate(tdb: TenantDb, actor: Actor, template: unknown): Promise<PersonalTemplate> {
  if (!actor.userId) throw forbidden('personal templates belong to a user');
  const valid = validTemplate(template);
  return tdb.transaction(async (t) => {
    const now = nowIso();
    const existing = await t.selectFrom('personal_templates').select('id').where('user_id', '=', actor.userId!).where('template_id', '=', valid.id).executeTakeFirst();
    if (existing) await t.updateTable('personal_templates', { document: JSON.stringify(valid), updated_at: now }).where('id', '=', existing.id).execute();
    else await t.insert('personal_templates', { id: newId(), user_id: actor.userId!, template_id: valid.id, document: JSON.stringify(valid), created_at: now, updated_at: now });
    return { template: valid, updatedAt: now };
  });
}

/** Starts a personal template from a published one; a locked template cannot be copied. */
export async function copyTemplate(tdb: TenantDb, actor: Actor, from: { pack: string; template: string; newId?: string | undefined }): Promise<PersonalTemplate> {
  if (!actor.userId) throw forbidden('personal templates belong to a user');
  const pack = (await publishedPacks(tdb, actor.userId)).find((p) => p.pack === from.pack);
  const source = pack?.document.templates?.find((t) => t.id === from.template);
  if (!source) throw notFound(`template "${from.template}" in a pack published to you`);
  if (source.locked) throw new AppError(403, 'locked', `"${from.template}" is locked by your admin: use it as it is, or ask them to change it`);
  const id = from.newId ?? `my-${source.id}`.slice(0, 63);
  // A copy never overwrites a template the rep already has (and may have edited).
  const exists = await tdb.selectFrom('personal_templates').select('id').where('user_id', '=', actor.userId).where('template_id', '=', id).executeTakeFirst();
  if (exists) throw conflict(`you already have a template "${id}"; give the copy another id (newId)`);
  return savePersonalTemplate(tdb, actor, { ...source, id, locked: undefined });
}

export async function deletePersonalTemplate(tdb: TenantDb, actor: Actor, templateId: string): Promise<void> {
  const deleted = await tdb.deleteFrom('personal_templates').where('user_id', '=', actor.userId ?? '').where('template_id', '=', templateId).executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) throw notFound(`personal template "${templateId}"`);
}

/** ISO-8601 week of an instant, e.g. 2026-W48 (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Counts one insert of a template by a rep in the current week. */
export async function recordTemplateUse(tdb: TenantDb, actor: Actor, use: TemplateUse, at = new Date()): Promise<void> {
  if (!actor.userId) throw forbidden('template uses belong to a user');
  const userId = actor.userId;
  const visible =
    use.pack === PERSONAL
      ? (await listPersonalTemplates(tdb, userId)).some((p) => p.template.id === use.template)
      : (await publishedPacks(tdb, userId)).some((p) => p.pack === use.pack && p.document.templates?.some((t) => t.id === use.template));
  if (!visible) throw notFound(`template "${use.template}" in "${use.pack}"`);
  const week = isoWeek(at);
  await tdb.upsert(
    'template_uses',
    { user_id: userId, pack: use.pack, template_id: use.template, week, count: 1, last_used_at: at.toISOString() },
    ['user_id', 'pack', 'template_id', 'week'],
    { count: sql`template_uses.count + 1`, last_used_at: at.toISOString() },
  );
}

/** A rep's use counts over the last `days` (ranks their search). */
export async function myTemplateUses(tdb: TenantDb, userId: string, days = 90, now = new Date()): Promise<TemplateUses['uses']> {
  const since = isoWeek(new Date(now.getTime() - days * 86_400_000));
  const rows = await tdb.selectFrom('template_uses').select(['pack', 'template_id', 'count']).where('user_id', '=', userId).where('week', '>=', since).execute();
  const totals = new Map<string, { pack: string; template: string; count: number }>();
  for (const r of rows) {
    const k = `${r.pack}\u0000${r.template_id}`;
    const entry = totals.get(k) ?? { pack: r.pack, template: r.template_id, count: 0 };
    entry.count += r.count;
    totals.set(k, entry);
  }
  return [...totals.values()].sort((a, b) => b.count - a.count);
}
