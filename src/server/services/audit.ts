import { sql } from 'kysely';
import type { Actor } from '../auth/principal.js';
import { newId, nowIso, type TenantDb } from '../db/tenant-db.js';
import type { AuditEntry } from '../../contract/admin.js';

export type { AuditEntry };

/** Records an admin action in the same transaction as the action itself. */
export async function audit(
  tdb: TenantDb,
  actor: Actor,
  action: string,
  target: { type: string; id?: string | null },
  details: Record<string, unknown> = {},
): Promise<void> {
  await tdb.insert('audit_log', {
    id: newId(),
    actor_id: actor.userId,
    actor_label: actor.label,
    action,
    target_type: target.type,
    target_id: target.id ?? null,
    details: JSON.stringify(details),
    at: nowIso(),
  });
}

export interface AuditFilter {
  limit?: number | undefined;
  before?: string | undefined;
  /** Part of the actor's label (name or address), any case. */
  actor?: string | undefined;
  /** An action, or its area: "pack" matches pack.published, pack.pushed, … */
  action?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

export async function listAudit(tdb: TenantDb, options: AuditFilter = {}): Promise<AuditEntry[]> {
  let q = tdb.selectFrom('audit_log').selectAll();
  // Stored instants are UTC ISO text; compare like with like whatever offset the caller wrote.
  if (options.before) q = q.where('at', '<', new Date(options.before).toISOString());
  if (options.since) q = q.where('at', '>=', new Date(options.since).toISOString());
  if (options.until) q = q.where('at', '<', new Date(options.until).toISOString());
  if (options.action) {
    const action = options.action;
    // An area matches its actions by prefix; substr, not LIKE, so "_" in api_key is no wildcard.
    q = action.includes('.') ? q.where('action', '=', action) : q.where(sql<boolean>`substr(action, 1, ${action.length + 1}) = ${`${action}.`}`);
  }
  // The typed text is matched literally (LIKE's wildcards escaped), any case, in SQLite and PostgreSQL alike.
  if (options.actor) {
    const pattern = `%${options.actor.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`lower(actor_label) like ${pattern} escape '\\'`);
  }
  const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(options.limit ?? 100).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor_label,
    action: r.action,
    target: { type: r.target_type, id: r.target_id },
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
}
