import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { createConnector } from '../../src/server/services/connectors.js';
import { updateUser } from '../../src/server/services/people.js';
import { createFollowUp, fireDueFollowUps } from '../../src/server/services/followups.js';
import type { Actor } from '../../src/server/auth/principal.js';
import { permissionsOfRole } from '../../src/core/access/permissions.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/**
 * Two instances run the due pass at the same moment over the same due reminders: each fires
 * once — one task each and one connector event each. On PostgreSQL the second instance is its
 * own connection pool on the same schema (what a second server process is to the database).
 */
describe.each(storeKinds())('the follow-up due pass fires once across instances on $name', (kind) => {
  let store: Store;
  let second: Store;
  let t: SeededTenant;

  beforeAll(async () => {
    store = await kind.open();
    second = kind.name === 'postgres' ? openStore({ databaseUrl: process.env.TEST_DATABASE_URL!, pgSchema: store.schema!, poolSize: 4 }) : store;
    t = await seedTenant(store, `fuonce${kind.name}`);
  });
  afterAll(async () => {
    if (second !== store) await second.db.destroy();
    await store.close();
  });

  it('makes exactly one task per due reminder when two instances race', async () => {
    await updateUser(t.tdb, operator(t.tenantId), t.rep.id, { timeZone: 'Asia/Shanghai' });
    await createConnector(t.tdb, operator(t.tenantId), new SecretBox(randomBytes(32)), { kind: 'webhook', name: 'tasks', settings: { url: 'https://hooks.example.test/tasks' }, secrets: { signingSecret: 'a-signing-secret-of-length' }, events: ['task.created'] });
    const actor: Actor = { tenantId: t.tenantId, userId: t.rep.id, role: 'rep', permissions: permissionsOfRole('rep'), label: t.rep.email };
    const N = 24;
    for (let i = 0; i < N; i++) {
      // Sent Thu 21 May 2026, 11:00 Riyadh: due Mon 1 Jun 2026 01:00Z (see followups-sync.test.ts).
      await createFollowUp(t.tdb, actor, { rule: { kind: 'business-days', days: 3 }, subject: `Quotation ${i}`, to: [`buyer${i}@alfaisal-trading.com.sa`], messageId: `<q${i}@fuonce.test>`, sentAt: '2026-05-21T08:00:00Z' });
    }
    // One not yet due stays waiting.
    await createFollowUp(t.tdb, actor, { rule: { kind: 'business-days', days: 5 }, subject: 'Later', to: ['later@alfaisal-trading.com.sa'], messageId: '<later@fuonce.test>', sentAt: '2026-05-21T08:00:00Z' });

    const at = new Date('2026-06-01T01:00:00Z');
    const counts: number[] = [];
    for (let round = 0; round < 3; round++) counts.push(...(await Promise.all([fireDueFollowUps(store.db, 'instance-a', at, 10), fireDueFollowUps(second.db, 'instance-b', at, 10)])));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(N);

    const rows = await t.tdb.selectFrom('followups').select(['status', 'task_id', 'fired_by', 'subject']).execute();
    const due = rows.filter((r) => r.status === 'due');
    expect(due).toHaveLength(N);
    expect(new Set(due.map((r) => r.task_id)).size).toBe(N);
    expect(rows.find((r) => r.subject === 'Later')).toMatchObject({ status: 'waiting', task_id: null });
    const tasks = await t.tdb.selectFrom('tasks').select(['id', 'title']).where('title', 'like', 'Follow up: %').execute();
    expect(tasks).toHaveLength(N);
    expect(await t.tdb.selectFrom('outbox').select('id').where('event_type', '=', 'task.created').execute()).toHaveLength(N);
  });
});
