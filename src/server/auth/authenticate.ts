import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { forbidden, unauthorized } from '../errors.js';
import { authenticateApiKey } from '../services/api-keys.js';
import { permissionsOfRole } from '../../core/access/permissions.js';
import { API_KEY_PREFIX } from './api-keys.js';
import type { Principal } from './principal.js';
import type { TokenVerifier, VerifiedIdentity } from './tokens.js';

/** Bearer token → the user it speaks for. Throws 401 for a bad credential, 403 for an unknown user. */
export async function authenticate(db: Kysely<Database>, verifier: TokenVerifier, authorization: string | undefined): Promise<Principal> {
  if (!authorization) throw unauthorized('missing Authorization: Bearer <token>');
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!m) throw unauthorized('Authorization header must be "Bearer <token>"');
  const token = m[1]!;
  if (token.startsWith(API_KEY_PREFIX)) return authenticateApiKey(db, token);
  return principalFor(db, await verifier.verify(token));
}

/** The tenant column an identity's organisation is matched on. */
function organisationColumn(method: VerifiedIdentity['method']) {
  return method === 'microsoft' ? ('tenants.entra_tenant_id' as const) : method === 'google' ? ('tenants.google_domain' as const) : ('tenants.id' as const);
}

export async function principalFor(db: Kysely<Database>, identity: VerifiedIdentity): Promise<Principal> {
  const organisation = identity.method === 'dev' ? identity.organisation : identity.organisation?.toLowerCase();
  if (!organisation) throw forbidden(noTenantMessage(identity));
  // One round trip: the tenant by its organisation, and the user in it by e-mail (absent → null columns).
  const row = await db
    .selectFrom('tenants')
    .leftJoin('users', (join) => join.onRef('users.tenant_id', '=', 'tenants.id').on('users.email', '=', identity.email))
    .select(['tenants.id as tenant_id', 'tenants.packs_view_version', 'users.id as user_id', 'users.email', 'users.role', 'users.disabled_at'])
    .where(organisationColumn(identity.method), '=', organisation)
    .executeTakeFirst();
  if (!row) throw forbidden(noTenantMessage(identity));
  if (!row.user_id || !row.email || !row.role) throw forbidden(`${identity.email} has no tradepane account; ask your admin to add you`);
  if (identity.method === 'dev' && row.user_id !== identity.subject) throw unauthorized('dev token subject does not match its user');
  if (row.disabled_at) throw forbidden(`${identity.email} is disabled`);
  return {
    tenantId: row.tenant_id,
    userId: row.user_id,
    email: row.email,
    role: row.role,
    permissions: permissionsOfRole(row.role),
    label: row.email,
    via: identity.method,
    packsViewVersion: Number(row.packs_view_version ?? 0),
  };
}

function noTenantMessage(identity: VerifiedIdentity): string {
  return identity.method === 'microsoft'
    ? `your organisation (Entra tenant ${identity.organisation}) is not set up in tradepane`
    : identity.method === 'google'
      ? `your Google Workspace domain ${identity.organisation ?? '(none: personal accounts are not supported)'} is not set up in tradepane`
      : 'dev token names an unknown tenant';
}
