import type { Kysely } from 'kysely';
import type { Actor, Principal } from '../auth/principal.js';
import { newKeyMaterial, parseApiKey, secretMatches } from '../auth/api-keys.js';
import type { Database } from '../db/tables.js';
import { newId, nowIso, TenantDb } from '../db/tenant-db.js';
import { badRequest, forbidden, notFound, unauthorized } from '../errors.js';
import { effectiveKeyPermissions, isPermission, PERMISSIONS, permissionsOfRole, type Permission } from '../../core/access/permissions.js';
import { audit } from './audit.js';
import { findUserByEmail } from './people.js';
import type { ApiKeyView, CreatedKey } from '../../contract/admin.js';

export type { ApiKeyView, CreatedKey };

const MAX_TTL_DAYS = 3650;

export async function createApiKey(
  tdb: TenantDb,
  actor: Actor,
  input: { userEmail: string; name: string; scopes: string[]; expiresInDays?: number | undefined },
): Promise<CreatedKey> {
  if (!input.name.trim()) throw badRequest('a key needs a name saying what uses it', [{ path: 'name', message: 'is required' }]);
  const unknown = input.scopes.filter((s) => !isPermission(s));
  if (unknown.length) {
    throw badRequest(`unknown scope ${unknown.map((s) => `"${s}"`).join(', ')}; scopes are: ${PERMISSIONS.join(', ')}`, unknown.map((s) => ({ path: 'scopes', message: `unknown scope "${s}"` })));
  }
  if (input.scopes.length === 0) throw badRequest('a key needs at least one scope', [{ path: 'scopes', message: 'must not be empty' }]);
  if (input.expiresInDays !== undefined && (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > MAX_TTL_DAYS)) {
    throw badRequest(`expiresInDays must be a whole number from 1 to ${MAX_TTL_DAYS}`, [{ path: 'expiresInDays', message: 'out of range' }]);
  }
  return tdb.transaction(async (t) => {
    const owner = await findUserByEmail(t, input.userEmail);
    if (!owner) throw notFound(`user ${input.userEmail}`);
    if (owner.disabled_at) throw badRequest(`user ${owner.email} is disabled`, [{ path: 'user', message: 'disabled' }]);
    const granted = permissionsOfRole(owner.role);
    const beyond = input.scopes.filter((s) => !granted.has(s as Permission));
    if (beyond.length) throw forbidden(`${owner.email} is a ${owner.role} and cannot hold ${beyond.join(', ')}`);
    // Nobody hands out more than they hold: a key with keys:manage cannot mint a broader key.
    const notHeld = input.scopes.filter((s) => !actor.permissions.has(s as Permission));
    if (notHeld.length) throw forbidden(`you cannot grant ${notHeld.join(', ')}: you do not hold ${notHeld.length === 1 ? 'it' : 'them'} yourself`);
    const material = newKeyMaterial();
    const now = nowIso();
    const id = newId();
    const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000).toISOString() : null;
    await t.insert('api_keys', {
      id,
      user_id: owner.id,
      name: input.name.trim(),
      key_id: material.keyId,
      secret_hash: material.secretHash,
      scopes: JSON.stringify([...new Set(input.scopes)]),
      created_by_label: actor.label,
      created_at: now,
      expires_at: expiresAt,
      last_used_at: null,
      revoked_at: null,
    });
    await audit(t, actor, 'api_key.created', { type: 'api_key', id }, { name: input.name, user: owner.email, scopes: input.scopes, expiresAt });
    return {
      id,
      name: input.name.trim(),
      user: owner.email,
      scopes: [...new Set(input.scopes)],
      createdBy: actor.label,
      createdAt: now,
      expiresAt,
      lastUsedAt: null,
      revoked: false,
      key: material.plaintext,
    };
  });
}

export async function listApiKeys(tdb: TenantDb): Promise<ApiKeyView[]> {
  const rows = await tdb
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .select(['api_keys.id', 'api_keys.name', 'users.email', 'api_keys.scopes', 'api_keys.created_by_label', 'api_keys.created_at', 'api_keys.expires_at', 'api_keys.last_used_at', 'api_keys.revoked_at'])
    .orderBy('api_keys.created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    user: r.email,
    scopes: JSON.parse(r.scopes) as string[],
    createdBy: r.created_by_label,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    revoked: r.revoked_at !== null,
  }));
}

export async function revokeApiKey(tdb: TenantDb, actor: Actor, keyId: string): Promise<void> {
  await tdb.transaction(async (t) => {
    const row = await t.selectFrom('api_keys').select(['id', 'name', 'revoked_at']).where('id', '=', keyId).executeTakeFirst();
    if (!row) throw notFound('API key');
    if (row.revoked_at) return;
    await t.updateTable('api_keys', { revoked_at: nowIso() }).where('id', '=', keyId).execute();
    await audit(t, actor, 'api_key.revoked', { type: 'api_key', id: keyId }, { name: row.name });
  });
}

const LAST_USED_GRANULARITY_MS = 60_000;

/** Finds the key's owner across tenants (the key id is global) and checks everything about it. */
export async function authenticateApiKey(db: Kysely<Database>, token: string): Promise<Principal> {
  const parsed = parseApiKey(token);
  if (!parsed) throw unauthorized('API key is malformed');
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .innerJoin('tenants', 'tenants.id', 'api_keys.tenant_id')
    .select(['tenants.packs_view_version', 'api_keys.id', 'api_keys.tenant_id', 'api_keys.name', 'api_keys.secret_hash', 'api_keys.scopes', 'api_keys.expires_at', 'api_keys.revoked_at', 'api_keys.last_used_at', 'users.id as user_id', 'users.email', 'users.role', 'users.disabled_at'])
    .where('api_keys.key_id', '=', parsed.keyId)
    .executeTakeFirst();
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) throw unauthorized('API key is not valid');
  if (row.revoked_at) throw unauthorized('API key was revoked');
  if (row.expires_at && row.expires_at <= nowIso()) throw unauthorized('API key expired');
  if (row.disabled_at) throw unauthorized('the key owner is disabled');
  const now = Date.now();
  if (!row.last_used_at || now - Date.parse(row.last_used_at) > LAST_USED_GRANULARITY_MS) {
    await new TenantDb(db, row.tenant_id).updateTable('api_keys', { last_used_at: new Date(now).toISOString() }).where('id', '=', row.id).execute();
  }
  return {
    tenantId: row.tenant_id,
    userId: row.user_id,
    email: row.email,
    role: row.role,
    permissions: effectiveKeyPermissions(row.role, JSON.parse(row.scopes) as string[]),
    label: `api-key ${row.name} (${row.email})`,
    via: 'api-key',
    apiKeyId: row.id,
    packsViewVersion: Number(row.packs_view_version ?? 0),
  };
}
