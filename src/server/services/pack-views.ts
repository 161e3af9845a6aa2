import { CompiledQuery, type Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Database } from '../db/tables.js';
import type { TenantDb } from '../db/tenant-db.js';
import { publishedEtag, publishedPacks } from './packs.js';
import { listPersonalTemplates } from './personal-templates.js';
import type { MyPacks } from '../../contract/me.js';

/** Memory one store instance gives the serialised views (the largest packs views fall out first when full). */
const VIEW_BYTES = 64 * 1024 * 1024;

interface View {
  /** The tenant's `packs_view_version` read before the view was computed. */
  version: number;
  etag: string;
  /** The 200 body as sent, once a request needed it. */
  body?: string;
}

export interface CurrentView {
  etag: string;
  /** Present when the serialised body is cached too. */
  body?: string | undefined;
  version: number;
}

/**
 * What `GET /me/packs` answers, kept in memory per rep: the ETag, and the serialised body once a
 * request asked for it, so a revalidation costs one primary-key lookup and a full answer no
 * re-parsing or re-serialising of packs (issue #18).
 *
 * Correct across store instances: every change that can alter a view raises the tenant's
 * `packs_view_version` in its own transaction (database triggers, migration 018). Each request
 * reads that number first; a cached view is served only when it was computed under the same
 * number. The view is computed after the number is read, so a change committing meanwhile can only
 * make the cache hold a newer view under an older number — which the next request, seeing the
 * raised number, throws away. Never an older view under a newer number.
 */
export class PackViews {
  private readonly views = new LRUCache<string, View>({ maxSize: VIEW_BYTES, sizeCalculation: (v) => 64 + v.etag.length + (v.body?.length ?? 0) });
  private readonly versionSql: string;

  constructor(private readonly db: Kysely<Database>) {
    // Compiled once: the revalidation path runs it on every request.
    this.versionSql = db.selectFrom('tenants').select('packs_view_version').where('id', '=', '').compile().sql;
  }

  private async version(tenantId: string): Promise<number> {
    const { rows } = await this.db.executeQuery<{ packs_view_version: number | string }>(CompiledQuery.raw(this.versionSql, [tenantId]));
    return Number(rows[0]?.packs_view_version ?? 0);
  }

  /**
   * The rep's ETag now, and the body when it is cached under the same version. `versionRead`: the
   * tenant's version as this request's authentication read it (one round trip fewer); read here otherwise.
   */
  async current(tdb: TenantDb, userId: string, versionRead?: number): Promise<CurrentView> {
    const version = versionRead ?? (await this.version(tdb.tenantId));
    const key = `${tdb.tenantId}/${userId}`;
    const cached = this.views.get(key);
    if (cached && cached.version === version) return cached;
    const etag = await publishedEtag(tdb, userId);
    const view: View = { version, etag };
    this.views.set(key, view);
    return view;
  }

  /** The 200 body for a view from `current`, computed and serialised once per version. */
  async body(tdb: TenantDb, userId: string, view: CurrentView, serialize: (packs: MyPacks) => string): Promise<string> {
    if (view.body !== undefined) return view.body;
    const body = serialize({ packs: await publishedPacks(tdb, userId), personal: (await listPersonalTemplates(tdb, userId)).map((p) => p.template) });
    const key = `${tdb.tenantId}/${userId}`;
    const cached = this.views.get(key);
    // Only beside the ETag it was computed after; a newer version may have replaced it meanwhile.
    if (cached && cached.version === view.version && cached.etag === view.etag) this.views.set(key, { ...cached, body });
    return body;
  }
}
