import type { Kysely } from 'kysely';
import type { Database, TenantRow } from '../db/tables.js';
import { newId, nowIso } from '../db/tenant-db.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { SLUG_PATTERN } from '../../core/pack/schema.js';

/** Tenants are created by the store's operator (CLI), never over the API. */

export interface NewTenant {
  slug: string;
  name: string;
  entraTenantId?: string | undefined;
  googleDomain?: string | undefined;
}

export async function createTenant(db: Kysely<Database>, input: NewTenant): Promise<TenantRow> {
  if (!new RegExp(SLUG_PATTERN).test(input.slug)) {
    throw badRequest(`tenant slug "${input.slug}" must be lower-case letters, digits, "-" or "_"`, [{ path: 'slug', message: 'invalid' }]);
  }
  if (input.entraTenantId && !/^[0-9a-f-]{36}$/i.test(input.entraTenantId)) {
    throw badRequest(`entra tenant id "${input.entraTenantId}" must be a GUID`, [{ path: 'entraTenantId', message: 'invalid' }]);
  }
  const existing = await db.selectFrom('tenants').select('id').where('slug', '=', input.slug).executeTakeFirst();
  if (existing) throw conflict(`tenant "${input.slug}" already exists`);
  const row: TenantRow = {
    id: newId(),
    slug: input.slug,
    name: input.name,
    entra_tenant_id: input.entraTenantId?.toLowerCase() ?? null,
    google_domain: input.googleDomain?.toLowerCase() ?? null,
    created_at: nowIso(),
  };
  await db.insertInto('tenants').values(row).execute();
  return row;
}

export async function findTenant(db: Kysely<Database>, slugOrId: string): Promise<TenantRow> {
  const row = await db.selectFrom('tenants').selectAll().where((eb) => eb.or([eb('slug', '=', slugOrId), eb('id', '=', slugOrId)])).executeTakeFirst();
  if (!row) throw notFound(`tenant "${slugOrId}"`);
  return row;
}

export async function listTenants(db: Kysely<Database>): Promise<TenantRow[]> {
  return db.selectFrom('tenants').selectAll().orderBy('slug').execute();
}
