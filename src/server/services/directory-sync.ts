import type { Actor } from '../auth/principal.js';
import { nowIso, type TenantDb } from '../db/tenant-db.js';
import { AppError, badRequest } from '../errors.js';
import type { SecretBox } from '../secrets.js';
import { DirectoryError, readEntraDirectory } from '../directory/entra.js';
import { DIRECTORY_SCOPE, readGoogleDirectory } from '../google/directory-api.js';
import type { GoogleCredentials } from '../google/credentials.js';
import { audit } from './audit.js';
import { planDirectorySync, type DirectoryEntry, type DirectoryPerson } from '../../core/people/directory.js';
import type { DirectorySourcePut, DirectorySourceView, DirectorySyncReport } from '../../contract/people.js';

/**
 * Directory sync (docs/admin.md): the profile fields signatures use (name, title, department,
 * phones) read from Microsoft Entra ID or Google Workspace; a dry run reports what would change,
 * an applied run writes it in one transaction and is audited. The rule is core/people/directory.ts.
 */

export interface DirectoryGraph {
  authorityHost: string;
  graphBaseUrl: string;
  /** Extra CA to trust (tests: the Graph stand-in). */
  ca?: string | undefined;
}

/** What a run needs to read a tenant's directory (secrets opened). */
export type DirectorySource = { provider: 'entra'; tenantId: string; clientId: string; clientSecret: string } | { provider: 'google'; adminEmail: string; customer: string };

/** How a store reads directories: one reader for both providers, and whether Google's delegation is there. */
export interface DirectoryAccess {
  read: (source: DirectorySource) => Promise<DirectoryEntry[]>;
  /** The store has a service account with domain-wide delegation (needed for Google Workspace). */
  googleDelegation: boolean;
}

/** The real readers: Entra through Graph, Google Workspace through the store's service account. */
export function directoryAccess(o: { graph: DirectoryGraph; google?: GoogleCredentials | undefined; googleAdminRootUrl?: string | undefined }): DirectoryAccess {
  return {
    googleDelegation: Boolean(o.google?.delegated),
    read: async (source) => {
      if (source.provider === 'entra') {
        const { tenantId, clientId, clientSecret } = source;
        return readEntraDirectory({ tenantId, clientId, clientSecret, authorityHost: o.graph.authorityHost, graphBaseUrl: o.graph.graphBaseUrl, ca: o.graph.ca });
      }
      const auth = o.google?.delegatedAs(source.adminEmail, [DIRECTORY_SCOPE]);
      if (!auth) throw new DirectoryError(NO_DELEGATION);
      return readGoogleDirectory({ auth, adminEmail: source.adminEmail, customer: source.customer, rootUrl: o.googleAdminRootUrl });
    },
  };
}

const NO_DELEGATION = 'Google Workspace directory sync needs the store\'s service account with domain-wide delegation (GOOGLE_SERVICE_ACCOUNT_FILE), and this store has none';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const EMAIL = /^[^\s@<>"]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
// Google's customer IDs look like C01abc23d; my_customer stands for the administrator's own account.
const CUSTOMER = /^(my_customer|C[0-9a-z]{4,20})$/i;

function requireBox(box: SecretBox | undefined): SecretBox {
  if (!box) throw new AppError(503, 'no_secret_key', 'directory sync needs TRADEPANE_SECRET_KEY on the store to keep the client secret encrypted');
  return box;
}

interface StoredSettings {
  tenantId?: string;
  clientId?: string;
  adminEmail?: string;
  customer?: string;
}

export async function getDirectorySource(tdb: TenantDb): Promise<DirectorySourceView | null> {
  const row = await tdb.selectFrom('directory_sources').selectAll().executeTakeFirst();
  if (!row) return null;
  const settings = JSON.parse(row.settings) as StoredSettings;
  return {
    provider: row.provider,
    tenantId: settings.tenantId ?? null,
    clientId: settings.clientId ?? null,
    secretSet: row.secrets !== '',
    adminEmail: settings.adminEmail ?? null,
    customer: settings.customer ?? null,
    lastRunAt: row.last_run_at,
    lastSummary: row.last_summary ? (JSON.parse(row.last_summary) as DirectorySourceView['lastSummary']) : null,
  };
}

/** The settings to store for `input` (checked, with errors naming the field) and the sealed secrets, or null to keep the stored ones. */
function settingsFor(input: DirectorySourcePut, box: SecretBox | undefined, googleDelegation: boolean): { settings: StoredSettings; secrets: string | null } {
  const missing = (field: string) => badRequest(`${field}: is required for ${input.provider === 'entra' ? 'Microsoft Entra ID' : 'Google Workspace'}`, [{ path: field, message: 'is required' }]);
  if (input.provider === 'google') {
    if (input.tenantId !== undefined || input.clientId !== undefined || input.clientSecret !== undefined) {
      const field = input.tenantId !== undefined ? 'tenantId' : input.clientId !== undefined ? 'clientId' : 'clientSecret';
      throw badRequest(`${field}: belongs to Microsoft Entra ID; Google Workspace uses the store's service account`, [{ path: field, message: 'not for google' }]);
    }
    const adminEmail = input.adminEmail?.trim().toLowerCase() ?? '';
    if (!adminEmail) throw missing('adminEmail');
    if (!EMAIL.test(adminEmail)) throw badRequest('adminEmail: must be the e-mail address of a Workspace administrator', [{ path: 'adminEmail', message: 'not an e-mail address' }]);
    const customer = input.customer?.trim() || 'my_customer';
    if (!CUSTOMER.test(customer)) throw badRequest('customer: must be my_customer or a Google customer ID such as C01abc23d', [{ path: 'customer', message: 'not a customer ID' }]);
    if (!googleDelegation) throw new AppError(409, 'no_delegation', NO_DELEGATION);
    return { settings: { adminEmail, customer }, secrets: '' };
  }
  if (input.adminEmail !== undefined || input.customer !== undefined) {
    const field = input.adminEmail !== undefined ? 'adminEmail' : 'customer';
    throw badRequest(`${field}: belongs to Google Workspace, not Microsoft Entra ID`, [{ path: field, message: 'not for entra' }]);
  }
  const sealer = requireBox(box);
  const tenantId = input.tenantId?.trim() ?? '';
  const clientId = input.clientId?.trim() ?? '';
  if (!tenantId) throw missing('tenantId');
  if (!clientId) throw missing('clientId');
  if (!GUID.test(tenantId) && !TENANT_DOMAIN.test(tenantId)) throw badRequest('tenantId: must be the directory (tenant) ID or a domain of the tenant', [{ path: 'tenantId', message: 'not a tenant ID' }]);
  if (!GUID.test(clientId)) throw badRequest('clientId: must be the application (client) ID, a GUID', [{ path: 'clientId', message: 'not a GUID' }]);
  const secret = input.clientSecret?.trim();
  return { settings: { tenantId, clientId }, secrets: secret ? sealer.seal({ clientSecret: secret }) : null };
}

export async function setDirectorySource(tdb: TenantDb, actor: Actor, box: SecretBox | undefined, access: Pick<DirectoryAccess, 'googleDelegation'>, input: DirectorySourcePut): Promise<DirectorySourceView> {
  const { settings, secrets } = settingsFor(input, box, access.googleDelegation);
  return tdb.transaction(async (t) => {
    const existing = await t.selectFrom('directory_sources').select(['provider', 'secrets']).executeTakeFirst();
    // An Entra secret is kept only from an Entra source: switching back from Google needs it again.
    const kept = existing?.provider === 'entra' && existing.secrets !== '' ? existing.secrets : null;
    const sealed = secrets ?? kept;
    if (sealed === null) throw badRequest('clientSecret: is required the first time', [{ path: 'clientSecret', message: 'is required' }]);
    const now = nowIso();
    const values = { provider: input.provider, settings: JSON.stringify(settings), secrets: sealed, updated_at: now };
    if (existing) await t.updateTable('directory_sources', values).execute();
    else await t.insert('directory_sources', { ...values, last_run_at: null, last_summary: null, created_at: now });
    await audit(t, actor, 'directory.source_set', { type: 'directory', id: input.provider }, { ...settings, ...(input.provider === 'entra' ? { secretChanged: secrets !== null } : {}) });
    return (await getDirectorySource(t))!;
  });
}

/** The stored source with its secret opened, as a reader takes it. */
function sourceOf(row: { provider: 'entra' | 'google'; settings: string; secrets: string }, box: SecretBox | undefined): DirectorySource {
  const settings = JSON.parse(row.settings) as StoredSettings;
  if (row.provider === 'google') return { provider: 'google', adminEmail: settings.adminEmail!, customer: settings.customer ?? 'my_customer' };
  const { clientSecret } = requireBox(box).open(row.secrets) as { clientSecret: string };
  return { provider: 'entra', tenantId: settings.tenantId!, clientId: settings.clientId!, clientSecret };
}

export async function syncDirectory(tdb: TenantDb, actor: Actor, box: SecretBox | undefined, access: Pick<DirectoryAccess, 'read'>, options: { apply: boolean }): Promise<DirectorySyncReport> {
  const row = await tdb.selectFrom('directory_sources').selectAll().executeTakeFirst();
  if (!row) throw new AppError(404, 'not_found', 'no directory source yet: set one up first (PUT /api/v1/admin/directory)');
  let directory: DirectoryEntry[];
  try {
    directory = await access.read(sourceOf(row, box));
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
