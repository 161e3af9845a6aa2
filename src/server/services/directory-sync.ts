import type { Actor } from '../auth/principal.js';
import { nowIso, type TenantDb } from '../db/tenant-db.js';
import { AppError, badRequest } from '../errors.js';
import type { SecretBox } from '../secrets.js';
import { DirectoryError, readEntraDirectory } from '../directory/entra.js';
import { audit } from './audit.js';
import { planDirectorySync, type DirectoryEntry, type DirectoryPerson } from '../../core/people/directory.js';
import type { DirectorySourcePut, DirectorySourceView, DirectorySyncReport } from '../../contract/people.js';

/**
 * Directory sync (docs/admin.md): the profile fields signatures use (name, title, department,
 * phones) read from Microsoft Entra ID; a dry run reports what would change, an applied run writes
 * it in one transaction and is audited. The rule is core/people/directory.ts.
 */

export interface DirectoryGraph {
  authorityHost: string;
  graphBaseUrl: string;
  /** Extra CA to trust (tests: the Graph stand-in). */
  ca?: string | undefined;
}

/** How a run reads the directory; tests and the job pass the real Entra reader with their own Graph settings. */
export type DirectoryReader = (source: { tenantId: string; clientId: string; clientSecret: string }) => Promise<DirectoryEntry[]>;

export const entraReader = (graph: DirectoryGraph): DirectoryReader => (source) => readEntraDirectory({ ...source, authorityHost: graph.authorityHost, graphBaseUrl: graph.graphBaseUrl, ca: graph.ca });

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

function requireBox(box: SecretBox | undefined): SecretBox {
  if (!box) throw new AppError(503, 'no_secret_key', 'directory sync needs TRADEPANE_SECRET_KEY on the store to keep the client secret encrypted');
  return box;
}

export async function getDirectorySource(tdb: TenantDb): Promise<DirectorySourceView | null> {
  const row = await tdb.selectFrom('directory_sources').selectAll().executeTakeFirst();
  if (!row) return null;
  const settings = JSON.parse(row.settings) as { tenantId: string; clientId: string };
  return { provider: row.provider, tenantId: settings.tenantId, clientId: settings.clientId, secretSet: row.secrets !== '', lastRunAt: row.last_run_at, lastSummary: row.last_summary ? (JSON.parse(row.last_summary) as DirectorySourceView['lastSummary']) : null };
}

export async function setDirectorySource(tdb: TenantDb, actor: Actor, box: SecretBox | undefined, input: DirectorySourcePut): Promise<DirectorySourceView> {
  const sealer = requireBox(box);
  const tenantId = input.tenantId.trim();
  const clientId = input.clientId.trim();
  if (!GUID.test(tenantId) && !TENANT_DOMAIN.test(tenantId)) throw badRequest('tenantId: must be the directory (tenant) ID or a domain of the tenant', [{ path: 'tenantId', message: 'not a tenant ID' }]);
  if (!GUID.test(clientId)) throw badRequest('clientId: must be the application (client) ID, a GUID', [{ path: 'clientId', message: 'not a GUID' }]);
  return tdb.transaction(async (t) => {
    const existing = await t.selectFrom('directory_sources').select(['secrets']).executeTakeFirst();
    const secret = input.clientSecret?.trim();
    if (!secret && !existing) throw badRequest('clientSecret: is required the first time', [{ path: 'clientSecret', message: 'is required' }]);
    const now = nowIso();
    const values = { provider: input.provider, settings: JSON.stringify({ tenantId, clientId }), secrets: secret ? sealer.seal({ clientSecret: secret }) : existing!.secrets, updated_at: now };
    if (existing) await t.updateTable('directory_sources', values).execute();
    else await t.insert('directory_sources', { ...values, last_run_at: null, last_summary: null, created_at: now });
    await audit(t, actor, 'directory.source_set', { type: 'directory', id: input.provider }, { tenantId, clientId, secretChanged: Boolean(secret) });
    return (await getDirectorySource(t))!;
  });
}

export async function syncDirectory(tdb: TenantDb, actor: Actor, box: SecretBox | undefined, read: DirectoryReader, options: { apply: boolean }): Promise<DirectorySyncReport> {
  const row = await tdb.selectFrom('directory_sources').selectAll().executeTakeFirst();
  if (!row) throw new AppError(404, 'not_found', 'no directory source yet: set one up first (PUT /api/v1/admin/directory)');
  const sealer = requireBox(box);
  const settings = JSON.parse(row.settings) as { tenantId: string; clientId: string };
  const { clientSecret } = sealer.open(row.secrets) as { clientSecret: string };
  let directory: DirectoryEntry[];
  try {
    directory = await read({ ...settings, clientSecret });
  } catch (error) {
    if (error instanceof DirectoryError) throw new AppError(502, 'directory_unavailable', error.message);
    throw error;
  }
  return tdb.transaction(async (t) => {
    const users = await t.selectFrom('users').selectAll().where('disabled_at', 'is', null).orderBy('email').execute();
    const people: DirectoryPerson[] = users.map((u) => ({ id: u.id, email: u.email, pinned: JSON.parse(u.pinned_fields ?? '[]') as string[], fields: { name: u.name, title: u.title, department: u.department, phone: u.phone, mobile: u.mobile } }));
    const plan = planDirectorySync(people, directory);
    const now = nowIso();
    if (options.apply) {
      for (const p of plan.people.filter((x) => x.action === 'update')) {
        await t.updateTable('users', { ...Object.fromEntries(p.changes.map((c) => [c.field, c.to])), updated_at: now }).where('id', '=', p.userId).execute();
      }
      await audit(t, actor, 'directory.synced', { type: 'directory', id: row.provider }, { counts: plan.counts, updated: plan.people.filter((x) => x.action === 'update').map((x) => ({ email: x.email, fields: x.changes.map((c) => c.field) })) });
    }
    await t.updateTable('directory_sources', { last_run_at: now, last_summary: JSON.stringify({ ...plan.counts, applied: options.apply }) }).execute();
    return { applied: options.apply, counts: plan.counts, people: plan.people.map(({ userId: _id, ...rest }) => rest), notHere: plan.notHere };
  });
}
