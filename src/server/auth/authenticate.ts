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

async function tenantIdFor(db: Kysely<Database>, identity: VerifiedIdentity): Promise<string | undefined> {
  const org = identity.organisation?.toLowerCase();
  if (!org) return undefined;
  const column = identity.method === 'microsoft' ? 'entra_tenant_id' : identity.method === 'google' ? 'google_domain' : 'id';
  const row = await db.selectFrom('tenants').select('id').where(column, '=', identity.method === 'dev' ? identity.organisation! : org).executeTakeFirst();
  return row?.id;
}

export async function principalFor(db: Kysely<Database>, identity: VerifiedIdentity): Promise<Principal> {
  const tenantId = await tenantIdFor(db, identity);
  if (!tenantId) {
    throw forbidden(
      identity.method === 'microsoft'
        ? `your organisation (Entra tenant ${identity.organisation}) is not set up in tradepane`
        : identity.method === 'google'
          ? `your Google Workspace domain ${identity.organisation ?? '(none: personal accounts are not supported)'} is not set up in tradepane`
          : 'dev token names an unknown tenant',
    );
  }
  const user = await db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('email', '=', identity.email).executeTakeFirst();
  if (!user) throw forbidden(`${identity.email} has no tradepane account; ask your admin to add you`);
  if (identity.method === 'dev' && user.id !== identity.subject) throw unauthorized('dev token subject does not match its user');
  if (user.disabled_at) throw forbidden(`${identity.email} is disabled`);
  return {
    tenantId,
    userId: user.id,
    email: user.email,
    role: user.role,
    permissions: permissionsOfRole(user.role),
    label: user.email,
    via: identity.method,
  };
}
