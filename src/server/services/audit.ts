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

export async function listAudit(tdb: TenantDb, options: { limit?: number; before?: string } = {}): Promise<AuditEntry[]> {
  let q = tdb.selectFrom('audit_log').selectAll();
  // Stored instants are UTC ISO text; compare like with like whatever offset the caller wrote.
  if (options.before) q = q.where('at', '<', new Date(options.before).toISOString());
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
