import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CompiledQuery } from 'kysely';
import { migrate, openStore, type Store } from '../../src/server/db/connect.js';
import { TenantDb } from '../../src/server/db/tenant-db.js';
import { lastOpenedQuery } from '../../src/server/services/team-inbox.js';

/**
 * Outlook's on-send check runs this query on every send from a team conversation. SQLite's plan
 * shows whether it reads the conversation's own audit entries or walks the tenant's log by time.
 */
describe('the on-send check reads one conversation\'s audit entries', () => {
  let store: Store;
  beforeAll(async () => {
    store = openStore({ sqliteFile: ':memory:' });
    await migrate(store);
  });
  afterAll(async () => store.close());

  it('searches audit_log by target, not by the tenant\'s time index', async () => {
    const { sql, parameters } = lastOpenedQuery(new TenantDb(store.db, 'tenant-1'), 'conversation-1', 'user-1', '2026-01-01T00:00:00.000Z').compile();
    const plan = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${sql}`, [...parameters]));
    const details = plan.rows.map((r) => r.detail).join('\n');
    expect(details).toMatch(/SEARCH audit_log USING INDEX audit_log_target_ix \(tenant_id=\? AND target_id=\?/);
    expect(details).not.toMatch(/audit_log_tenant_at_ix/);
  });
});
