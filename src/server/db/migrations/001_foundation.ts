import type { Kysely, CreateTableBuilder } from 'kysely';

// Migrations are frozen once released: never edit one, add the next.

type Table = CreateTableBuilder<string, string>;

/** id, tenant_id → tenants(id) cascading: the first two columns of every tenant-owned table. */
function tenantOwned(table: Table, name: string): Table {
  return table
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addForeignKeyConstraint(`${name}_tenant_fk`, ['tenant_id'], 'tenants', ['id'], (c) => c.onDelete('cascade'));
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('entra_tenant_id', 'text', (c) => c.unique())
    .addColumn('google_domain', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await tenantOwned(db.schema.createTable('users') as unknown as Table, 'users')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('phone', 'text')
    .addColumn('mobile', 'text')
    .addColumn('whatsapp', 'text')
    .addColumn('wechat', 'text')
    .addColumn('department', 'text')
    .addColumn('locale', 'text')
    .addColumn('time_zone', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('users_tenant_email_uq', ['tenant_id', 'email'])
    .execute();

  await tenantOwned(db.schema.createTable('groups') as unknown as Table, 'groups')
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('groups_tenant_slug_uq', ['tenant_id', 'slug'])
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('group_members_user_ix').on('group_members').columns(['user_id']).execute();

  await tenantOwned(db.schema.createTable('packs') as unknown as Table, 'packs')
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('packs_tenant_slug_uq', ['tenant_id', 'slug'])
    .execute();

  await tenantOwned(db.schema.createTable('pack_versions') as unknown as Table, 'pack_versions')
    .addColumn('pack_id', 'text', (c) => c.notNull().references('packs.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_format', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('pushed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('pushed_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('pack_versions_pack_version_uq', ['pack_id', 'version'])
    .execute();

  await db.schema
    .createTable('pack_publications')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('pack_id', 'text', (c) => c.notNull().references('packs.id').onDelete('cascade'))
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text', (c) => c.notNull().references('pack_versions.id'))
    .addColumn('published_by_label', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pack_publications_pk', ['pack_id', 'audience'])
    .execute();
  await db.schema.createIndex('pack_publications_audience_ix').on('pack_publications').columns(['tenant_id', 'audience']).execute();

  await tenantOwned(db.schema.createTable('personal_templates') as unknown as Table, 'personal_templates')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('personal_templates_uq', ['tenant_id', 'user_id', 'template_id'])
    .execute();

  await tenantOwned(db.schema.createTable('customers') as unknown as Table, 'customers')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .addColumn('time_zone', 'text')
    .addColumn('languages', 'text', (c) => c.notNull())
    .addColumn('business_hours', 'text')
    .addColumn('closed_days', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('customer_domains')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('customer_domains_pk', ['tenant_id', 'domain'])
    .execute();

  await tenantOwned(db.schema.createTable('contacts') as unknown as Table, 'contacts')
    .addColumn('customer_id', 'text', (c) => c.references('customers.id').onDelete('set null'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('language', 'text')
    .addColumn('country', 'text')
    .addColumn('time_zone', 'text')
    .addColumn('phone', 'text')
    .addColumn('last_utc_offset', 'text')
    .addColumn('last_seen_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('contacts_tenant_email_uq', ['tenant_id', 'email'])
    .execute();

  await tenantOwned(db.schema.createTable('activities') as unknown as Table, 'activities')
    .addColumn('customer_id', 'text', (c) => c.references('customers.id').onDelete('set null'))
    .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('utc_offset', 'text')
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('to_addresses', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('snippet', 'text', (c) => c.notNull())
    .addColumn('logged_by', 'text', (c) => c.notNull())
    .addColumn('logged_via', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Logging is idempotent on the Internet Message-ID, per tenant.
    .addUniqueConstraint('activities_tenant_message_uq', ['tenant_id', 'message_id'])
    .execute();
  await db.schema.createIndex('activities_customer_ix').on('activities').columns(['tenant_id', 'customer_id', 'occurred_at']).execute();

  await tenantOwned(db.schema.createTable('tasks') as unknown as Table, 'tasks')
    .addColumn('customer_id', 'text', (c) => c.references('customers.id').onDelete('set null'))
    .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('activity_id', 'text', (c) => c.references('activities.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('due_local', 'text')
    .addColumn('due_time_zone', 'text')
    .addColumn('assignee_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema.createIndex('tasks_assignee_ix').on('tasks').columns(['tenant_id', 'assignee_id', 'status']).execute();

  await tenantOwned(db.schema.createTable('scheduled_sends') as unknown as Table, 'scheduled_sends')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('draft_id', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('send_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scheduled_sends_due_ix').on('scheduled_sends').columns(['status', 'next_attempt_at']).execute();

  await tenantOwned(db.schema.createTable('audit_log') as unknown as Table, 'audit_log')
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_tenant_at_ix').on('audit_log').columns(['tenant_id', 'at']).execute();

  await tenantOwned(db.schema.createTable('api_keys') as unknown as Table, 'api_keys')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull().unique())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'api_keys', 'audit_log', 'scheduled_sends', 'tasks', 'activities', 'contacts', 'customer_domains', 'customers',
    'personal_templates', 'pack_publications', 'pack_versions', 'packs', 'group_members', 'groups', 'users', 'tenants',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
