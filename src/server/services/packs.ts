import { createHash } from 'node:crypto';
import { stringify as toYaml } from 'yaml';
import { sql } from 'kysely';
import type { Actor } from '../auth/principal.js';
import type { PackVersionRow } from '../db/tables.js';
import { newId, nowIso, type TenantDb } from '../db/tenant-db.js';
import { AppError, forbidden, notFound, unprocessable } from '../errors.js';
import { parsePackSource, type LocatedIssue, type ParsedPack } from '../../core/pack/source.js';
import type { PackDocument, PublishedPack } from '../../core/pack/schema.js';
export type { PublishedPack };
import { sanitizePack } from '../../core/pack/sanitized.js';
import { audit } from './audit.js';
import { resolveGroups } from './people.js';
import type { PackSummary, PackVersionSummary, PushResult } from '../../contract/packs.js';

/**
 * Packs as stored documents: every push that changes something is a new immutable version; the
 * pushed version is published to the groups the pack names. (Explicit publish, rollback and the
 * content rules grow in the content-engine issue.)
 */

export type { PushResult, PackSummary, PackVersionSummary };

export const EVERYONE = '*';

/** A digest of the document's meaning, not its formatting: re-pushing the same pack is a no-op. */
export function digestOf(pack: PackDocument): string {
  return createHash('sha256').update(canonicalJson(pack)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function invalidPack(issues: LocatedIssue[]) {
  const errors = issues.filter((i) => i.severity === 'error');
  return unprocessable(
    'invalid_pack',
    `the pack has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ')}${errors.length > 3 ? '; …' : ''}`,
    issues.map((i) => ({ ...i })),
  );
}

/**
 * A pack over one of PACK_LIMITS: 413 for its length, 422 for nodes, depth or aliases; the error
 * names the limit and its value (`details[0].limit`, `.max`).
 */
export function packLimitError(parsed: Extract<ParsedPack, { ok: false }>): AppError {
  const limit = parsed.limit!;
  const issue = parsed.issues[0]!;
  return new AppError(limit.limit === 'sourceChars' ? 413 : 422, 'pack_too_large', issue.message, [{ ...issue, path: 'source', limit: limit.limit, max: limit.max }]);
}

/** The error for a pack that did not parse or validate: a limit's 413/422, or 422 with every issue. */
export function packRejection(parsed: Extract<ParsedPack, { ok: false }>): AppError {
  return parsed.limit ? packLimitError(parsed) : invalidPack(parsed.issues);
}

export async function pushPack(tdb: TenantDb, actor: Actor, source: string, fileName?: string, options: { publish?: boolean } = {}): Promise<PushResult> {
  const publish = options.publish ?? true;
  if (!actor.permissions.has('packs:write')) throw forbidden('only admins push packs');
  const parsed = parsePackSource(source, fileName);
  if (!parsed.ok) throw packRejection(parsed);
  const sanitized = sanitizedPack(parsed.pack);
  const pack = sanitized.pack;
  const removed = sanitized.removed.map(parsed.locate);
  if (removed.some((i) => i.severity === 'error')) throw invalidPack([...parsed.issues, ...removed]);
  const digest = digestOf(pack);
  return tdb.transaction(async (t) => {
    const named = pack.groups.map((slug, index) => ({ slug, index })).filter((g) => g.slug !== EVERYONE);
    const audienceGroups = await resolveGroups(t, named.map((g) => g.slug), (j) => `groups[${named[j]!.index}]`);
    const audiences = [...(pack.groups.includes(EVERYONE) ? [EVERYONE] : []), ...audienceGroups.map((g) => g.id)];
    const now = nowIso();

    let packRow = await t.selectFrom('packs').selectAll().where('slug', '=', pack.pack).executeTakeFirst();
    if (!packRow) {
      packRow = { id: newId(), tenant_id: t.tenantId, slug: pack.pack, title: pack.title, created_at: now, updated_at: now };
      await t.insert('packs', { id: packRow.id, slug: packRow.slug, title: packRow.title, created_at: now, updated_at: now });
    }
    const latest = await t.selectFrom('pack_versions').selectAll().where('pack_id', '=', packRow.id).orderBy('version', 'desc').limit(1).executeTakeFirst();
    const unchanged = latest?.digest === digest;
    let version: PackVersionRow;
    if (unchanged && latest) {
      version = latest;
    } else {
      version = {
        id: newId(),
        tenant_id: t.tenantId,
        pack_id: packRow.id,
        version: (latest?.version ?? 0) + 1,
        document: JSON.stringify(pack),
        source,
        source_format: parsed.format,
        digest,
        pushed_by: actor.userId,
        pushed_by_label: actor.label,
        created_at: now,
      };
      const { tenant_id: _omit, ...row } = version;
      await t.insert('pack_versions', row);
      await t.updateTable('packs', { title: pack.title, updated_at: now }).where('id', '=', packRow.id).execute();
    }

    // Published: the pushed version now goes to exactly the audiences the pack names.
    const current = await t.selectFrom('pack_publications').selectAll().where('pack_id', '=', packRow.id).execute();
    const publicationChanged =
      publish && (current.length !== audiences.length || current.some((p) => !audiences.includes(p.audience) || p.version_id !== version.id));
    if (publicationChanged) {
      await t.deleteFrom('pack_publications').where('pack_id', '=', packRow.id).execute();
      await t.insert('pack_publications', audiences.map((audience) => ({ pack_id: packRow!.id, audience, version_id: version.id, published_by_label: actor.label, published_at: now })));
    }
    const publishedTo = publish ? [...(pack.groups.includes(EVERYONE) ? [EVERYONE] : []), ...audienceGroups.map((g) => g.slug)] : [];
    if (!unchanged || publicationChanged) {
      await audit(t, actor, 'pack.pushed', { type: 'pack', id: packRow.id }, { pack: pack.pack, version: version.version, digest, publishedTo, unchanged, published: publish });
    }
    return { pack: pack.pack, version: version.version, status: unchanged ? 'unchanged' : 'created', publishedTo, warnings: [...parsed.issues.filter((i) => i.severity === 'warning'), ...removed] };
  });
}

/**
 * Admin HTML is sanitised on the way in: what reps receive never carries scripts, handlers or
 * dangerous URLs, whatever the source said. What was removed comes back as warnings; a body that
 * no longer parses once sanitised is an error (core/pack/sanitized.ts).
 */
export function sanitizedPack(pack: PackDocument): { pack: PackDocument; removed: LocatedIssue[] } {
  return sanitizePack(pack);
}

async function audienceLabels(tdb: TenantDb): Promise<Map<string, string>> {
  const groups = await tdb.selectFrom('groups').select(['id', 'slug']).execute();
  return new Map([[EVERYONE, EVERYONE], ...groups.map((g) => [g.id, g.slug] as [string, string])]);
}

export async function listPacks(tdb: TenantDb): Promise<PackSummary[]> {
  const packs = await tdb.selectFrom('packs').selectAll().orderBy('slug').execute();
  const versions = await tdb.selectFrom('pack_versions').select(['id', 'pack_id', 'version']).execute();
  const publications = await tdb.selectFrom('pack_publications').selectAll().execute();
  const labels = await audienceLabels(tdb);
  const versionById = new Map(versions.map((v) => [v.id, v.version]));
  return packs.map((p) => ({
    pack: p.slug,
    title: p.title,
    latestVersion: Math.max(0, ...versions.filter((v) => v.pack_id === p.id).map((v) => v.version)),
    publications: publications
      .filter((x) => x.pack_id === p.id)
      .map((x) => ({ audience: labels.get(x.audience) ?? x.audience, version: versionById.get(x.version_id) ?? 0, publishedAt: x.published_at, publishedBy: x.published_by_label })),
    updatedAt: p.updated_at,
  }));
}

export async function getPack(tdb: TenantDb, slug: string): Promise<PackSummary & { versions: PackVersionSummary[] }> {
  const summary = (await listPacks(tdb)).find((p) => p.pack === slug);
  if (!summary) throw notFound(`pack "${slug}"`);
  const rows = await tdb
    .selectFrom('pack_versions')
    .innerJoin('packs', 'packs.id', 'pack_versions.pack_id')
    .select(['pack_versions.version', 'pack_versions.digest', 'pack_versions.pushed_by_label', 'pack_versions.created_at', 'pack_versions.document'])
    .where('packs.slug', '=', slug)
    .orderBy('pack_versions.version', 'desc')
    .execute();
  // The groups each version names: the console lists them before publishing that version.
  const groupsOf = (document: string) => (JSON.parse(document) as PackDocument).groups;
  return { ...summary, versions: rows.map((r) => ({ version: r.version, digest: r.digest, pushedBy: r.pushed_by_label, pushedAt: r.created_at, groups: groupsOf(r.document) })) };
}

export type ExportFormat = 'source' | 'yaml' | 'json';

/** One version of a pack as text: the admin's own source (comments kept), or YAML/JSON of the document. */
export async function exportPack(tdb: TenantDb, slug: string, options: { version?: number; format?: ExportFormat } = {}): Promise<{ version: number; format: 'yaml' | 'json'; text: string }> {
  let q = tdb
    .selectFrom('pack_versions')
    .innerJoin('packs', 'packs.id', 'pack_versions.pack_id')
    .select(['pack_versions.version', 'pack_versions.document', 'pack_versions.source', 'pack_versions.source_format'])
    .where('packs.slug', '=', slug);
  q = options.version !== undefined ? q.where('pack_versions.version', '=', options.version) : q.orderBy('pack_versions.version', 'desc').limit(1);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound(options.version !== undefined ? `version ${options.version} of pack "${slug}"` : `pack "${slug}"`);
  const format = options.format ?? 'source';
  if (format === 'source') return { version: row.version, format: row.source_format, text: row.source };
  const document = JSON.parse(row.document) as unknown;
  return { version: row.version, format, text: format === 'json' ? JSON.stringify(document, null, 2) + '\n' : toYaml(document) };
}

/** The version ids a user receives: from every group they are in, and from '*'. Highest version wins. */
async function visibleVersions(tdb: TenantDb, userId: string) {
  const groupIds = (await tdb.selectFrom('group_members').select('group_id').where('user_id', '=', userId).execute()).map((g) => g.group_id);
  const rows = await tdb
    .selectFrom('pack_publications')
    .innerJoin('pack_versions', 'pack_versions.id', 'pack_publications.version_id')
    .select(['pack_publications.pack_id', 'pack_publications.version_id', 'pack_publications.published_at', 'pack_versions.version'])
    .where('pack_publications.audience', 'in', [EVERYONE, ...groupIds])
    .execute();
  const best = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const b = best.get(r.pack_id);
    if (!b || r.version > b.version) best.set(r.pack_id, r);
  }
  return [...best.values()].sort((a, b) => (a.pack_id < b.pack_id ? -1 : 1));
}

/**
 * A cheap validator for a user's view, in one query: versions are immutable, so the set of
 * version ids that reach the user (from their groups and from '*'), their personal templates'
 * stamps and their own profile stamp (signatures render from it) determine the content.
 */
export async function publishedEtag(tdb: TenantDb, userId: string): Promise<string> {
  const { rows } = await sql<{ k: string; v: string }>`
    select 'u' as k, updated_at as v from users where tenant_id = ${tdb.tenantId} and id = ${userId}
    union all
    select 'v' as k, version_id as v from pack_publications
      where tenant_id = ${tdb.tenantId}
        and (audience = '*' or audience in (select group_id from group_members where tenant_id = ${tdb.tenantId} and user_id = ${userId}))
    union all
    select 'p' as k, template_id || '@' || updated_at as v from personal_templates where tenant_id = ${tdb.tenantId} and user_id = ${userId}
  `.execute(tdb.executor);
  const parts = rows.map((r) => `${r.k}:${r.v}`).sort();
  return `"${createHash('sha256').update(parts.join('|')).digest('base64url').slice(0, 27)}"`;
}

export async function publishedPacks(tdb: TenantDb, userId: string): Promise<PublishedPack[]> {
  const versions = await visibleVersions(tdb, userId);
  if (versions.length === 0) return [];
  const rows = await tdb
    .selectFrom('pack_versions')
    .innerJoin('packs', 'packs.id', 'pack_versions.pack_id')
    .select(['pack_versions.id', 'pack_versions.version', 'pack_versions.document', 'packs.slug', 'packs.title'])
    .where('pack_versions.id', 'in', versions.map((v) => v.version_id))
    .orderBy('packs.slug')
    .execute();
  const publishedAt = new Map(versions.map((v) => [v.version_id, v.published_at]));
  return rows.map((r) => {
    // The title of the version the rep receives, not the latest pushed (which may be unpublished).
    const document = JSON.parse(r.document) as PackDocument;
    return { pack: r.slug, title: document.title, version: r.version, publishedAt: publishedAt.get(r.id) ?? '', document };
  });
}

/** Group slugs (or '*') → audience keys of pack_publications, with the same errors as a push. */
async function audiencesOf(tdb: TenantDb, slugs: string[], pathPrefix: string): Promise<{ audience: string; label: string }[]> {
  const named = slugs.map((slug, index) => ({ slug, index })).filter((g) => g.slug !== EVERYONE);
  const groups = await resolveGroups(tdb, named.map((g) => g.slug), (j) => `${pathPrefix}[${named[j]!.index}]`);
  return [...(slugs.includes(EVERYONE) ? [{ audience: EVERYONE, label: EVERYONE }] : []), ...groups.map((g) => ({ audience: g.id, label: g.slug }))];
}

async function versionRow(tdb: TenantDb, slug: string, version: number) {
  const row = await tdb
    .selectFrom('pack_versions')
    .innerJoin('packs', 'packs.id', 'pack_versions.pack_id')
    .select(['pack_versions.id', 'pack_versions.pack_id', 'pack_versions.version', 'pack_versions.document'])
    .where('packs.slug', '=', slug)
    .where('pack_versions.version', '=', version)
    .executeTakeFirst();
  if (!row) throw notFound(`version ${version} of pack "${slug}"`);
  return row;
}

/**
 * Publishes one version to some audiences (default: the groups that version names), leaving
 * the other audiences on whatever they have — so an admin can pilot version 3 with one group.
 */
export async function publishPack(tdb: TenantDb, actor: Actor, slug: string, input: { version: number; groups?: string[] }): Promise<PackSummary> {
  if (!actor.permissions.has('packs:write')) throw forbidden('only admins publish packs');
  return tdb.transaction(async (t) => {
    const version = await versionRow(t, slug, input.version);
    const document = JSON.parse(version.document) as PackDocument;
    const audiences = await audiencesOf(t, input.groups ?? document.groups, input.groups ? 'groups' : 'document.groups');
    const now = nowIso();
    for (const { audience } of audiences) {
      await t.deleteFrom('pack_publications').where('pack_id', '=', version.pack_id).where('audience', '=', audience).execute();
      await t.insert('pack_publications', { pack_id: version.pack_id, audience, version_id: version.id, published_by_label: actor.label, published_at: now });
    }
    await audit(t, actor, 'pack.published', { type: 'pack', id: version.pack_id }, { pack: slug, version: input.version, groups: audiences.map((a) => a.label) });
    return (await listPacks(t)).find((p) => p.pack === slug)!;
  });
}

/** Every audience that receives the pack now gets an earlier (or any) version instead. */
export async function rollbackPack(tdb: TenantDb, actor: Actor, slug: string, input: { version: number }): Promise<PackSummary> {
  if (!actor.permissions.has('packs:write')) throw forbidden('only admins roll back packs');
  return tdb.transaction(async (t) => {
    const version = await versionRow(t, slug, input.version);
    const current = await t.selectFrom('pack_publications').selectAll().where('pack_id', '=', version.pack_id).execute();
    if (current.length === 0) throw unprocessable('not_published', `pack "${slug}" is not published to anyone; publish a version instead`);
    const now = nowIso();
    await t
      .updateTable('pack_publications', { version_id: version.id, published_by_label: actor.label, published_at: now })
      .where('pack_id', '=', version.pack_id)
      .execute();
    const labels = await audienceLabels(t);
    await audit(t, actor, 'pack.rolled_back', { type: 'pack', id: version.pack_id }, { pack: slug, version: input.version, audiences: current.map((c) => labels.get(c.audience) ?? c.audience) });
    return (await listPacks(t)).find((p) => p.pack === slug)!;
  });
}

/** Stops a pack reaching one audience (a group slug, or '*'). */
export async function unpublishPack(tdb: TenantDb, actor: Actor, slug: string, audienceSlug: string): Promise<PackSummary> {
  if (!actor.permissions.has('packs:write')) throw forbidden('only admins unpublish packs');
  return tdb.transaction(async (t) => {
    const pack = await t.selectFrom('packs').select('id').where('slug', '=', slug).executeTakeFirst();
    if (!pack) throw notFound(`pack "${slug}"`);
    const [target] = await audiencesOf(t, [audienceSlug], 'audience');
    const deleted = await t.deleteFrom('pack_publications').where('pack_id', '=', pack.id).where('audience', '=', target!.audience).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw notFound(`publication of "${slug}" to "${audienceSlug}"`);
    await audit(t, actor, 'pack.unpublished', { type: 'pack', id: pack.id }, { pack: slug, audience: audienceSlug });
    return (await listPacks(t)).find((p) => p.pack === slug)!;
  });
}
