import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * `tenants.packs_view_version`: a number every change that can alter what a rep's
 * `GET /me/packs` answers (its ETag or its body) raises, in the same transaction as the change.
 * A store instance keeps each rep's ETag and serialised view in memory and serves them while the
 * number is unchanged, so several instances over one database never serve a stale view
 * (services/pack-views.ts). Database triggers raise it, so no write path can forget to:
 * publications (publish, rollback, unpublish, pack deletion), group memberships (the admin
 * console, imports, directory sync, group or user deletion), personal templates, and the user's
 * own row (the ETag covers its stamp).
 */
const WATCHED = ['pack_publications', 'group_members', 'personal_templates', 'users'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tenants').addColumn('packs_view_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`
      CREATE FUNCTION packs_view_bump() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          UPDATE tenants SET packs_view_version = packs_view_version + 1 WHERE id = OLD.tenant_id;
        ELSE
          UPDATE tenants SET packs_view_version = packs_view_version + 1 WHERE id = NEW.tenant_id;
          IF TG_OP = 'UPDATE' AND OLD.tenant_id IS DISTINCT FROM NEW.tenant_id THEN
            UPDATE tenants SET packs_view_version = packs_view_version + 1 WHERE id = OLD.tenant_id;
          END IF;
        END IF;
        RETURN NULL;
      END $$`.execute(db);
    for (const table of WATCHED) {
      await sql`CREATE TRIGGER ${sql.id(`${table}_packs_view`)} AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(table)} FOR EACH ROW EXECUTE FUNCTION packs_view_bump()`.execute(db);
    }
    return;
  }
  for (const table of WATCHED) {
    for (const [event, row] of [['INSERT', 'NEW'], ['UPDATE', 'NEW'], ['DELETE', 'OLD']] as const) {
      await sql`CREATE TRIGGER ${sql.id(`${table}_packs_view_${event.toLowerCase()}`)} AFTER ${sql.raw(event)} ON ${sql.table(table)} FOR EACH ROW BEGIN
        UPDATE tenants SET packs_view_version = packs_view_version + 1 WHERE id = ${sql.raw(row)}.tenant_id;
      END`.execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const table of WATCHED) await sql`DROP TRIGGER ${sql.id(`${table}_packs_view`)} ON ${sql.table(table)}`.execute(db);
    await sql`DROP FUNCTION packs_view_bump()`.execute(db);
  } else {
    for (const table of WATCHED) for (const event of ['insert', 'update', 'delete']) await sql`DROP TRIGGER ${sql.id(`${table}_packs_view_${event}`)}`.execute(db);
  }
  await db.schema.alterTable('tenants').dropColumn('packs_view_version').execute();
}
