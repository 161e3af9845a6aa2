import type { Kysely } from 'kysely';
import { PERMISSIONS } from '../../core/access/permissions.js';
import type { Database } from '../db/tables.js';
import { TenantDb } from '../db/tenant-db.js';
import type { SecretBox } from '../secrets.js';
import { syncDirectory, type DirectoryAccess } from '../services/directory-sync.js';
import { startPeriodicJob } from './periodic.js';

/** The daily directory sync: every tenant with a directory source gets an applied run (docs/admin.md). */

export interface DirectoryPassResult {
  tenantId: string;
  ok: boolean;
  updated: number;
  error?: string;
}

export async function runDirectorySyncPass(db: Kysely<Database>, box: SecretBox | undefined, directory: Pick<DirectoryAccess, 'read'>): Promise<DirectoryPassResult[]> {
  // Crosses tenants on purpose: the operator's job visits every company that set up a source.
  const sources = await db.selectFrom('directory_sources').select('tenant_id').orderBy('tenant_id').execute();
  const results: DirectoryPassResult[] = [];
  for (const { tenant_id: tenantId } of sources) {
    const tdb = new TenantDb(db, tenantId);
    try {
      const report = await syncDirectory(tdb, { tenantId, userId: null, role: 'admin', permissions: new Set(PERMISSIONS), label: 'daily directory sync' }, box, directory, { apply: true });
      results.push({ tenantId, ok: true, updated: report.counts.update });
    } catch (error) {
      // One company's refused credentials must not stop the others.
      results.push({ tenantId, ok: false, updated: 0, error: (error as Error).message });
    }
  }
  return results;
}

export const DIRECTORY_SYNC_EVERY_MS = 24 * 3600_000;

export function startDirectorySync(db: Kysely<Database>, box: SecretBox | undefined, directory: Pick<DirectoryAccess, 'read'>, instanceId: string, onError: (error: unknown) => void): () => Promise<void> {
  return startPeriodicJob(
    db,
    { name: 'directory-sync', instanceId, everyMs: DIRECTORY_SYNC_EVERY_MS, leaseMs: 3600_000 },
    async () => {
      for (const r of await runDirectorySyncPass(db, box, directory)) if (!r.ok) onError(new Error(`directory sync of tenant ${r.tenantId}: ${r.error}`));
    },
    onError,
  );
}
