import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { addUser } from '../../src/server/services/people.js';
import { createApiKey } from '../../src/server/services/api-keys.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/** "Turn into task" twice on one mail: one open task per mail and rep, also when the clicks race. */
describe.each(storeKinds())('tasks from a mail are idempotent on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let otherRepKey: string;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'taskdedupe');
    const other = await addUser(t.tdb, operator(t.tenantId), { email: 'second@taskdedupe.test', name: 'Second Rep' });
    otherRepKey = (await createApiKey(t.tdb, operator(t.tenantId), { userEmail: other.email, name: 'k', scopes: ['crm:read', 'crm:write'] })).key;
    app = await testApp(store);
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const post = (url: string, key: string, payload: object) => app.inject({ method: 'POST', url, headers: bearer(key), payload });
  const logged = async (id: string) => {
    const res = await post('/api/v1/log', t.rep.key, {
      messageId: `<${id}@firma.de>`,
      direction: 'inbound',
      dateHeader: 'Wed, 25 Nov 2026 12:00:00 +0100',
      from: 'einkauf@firma.de',
      to: ['rep@taskdedupe.test'],
      subject: `RFQ ${id}`,
      via: 'outlook',
    });
    expect([200, 201]).toContain(res.statusCode);
    return `<${id}@firma.de>`;
  };
  const openTasks = async (messageId: string) =>
    t.tdb.selectFrom('tasks').innerJoin('activities', 'activities.id', 'tasks.activity_id').select(['tasks.id', 'tasks.assignee_id']).where('activities.message_id', '=', messageId.slice(1, -1)).where('tasks.status', '=', 'open').execute();

  it('a second "turn into task" answers 200 with the open task, not a new one', async () => {
    const messageId = await logged('twice');
    const first = await post('/api/v1/tasks', t.rep.key, { messageId, due: { rule: { businessDays: 2, at: '10:00' } } });
    expect(first.statusCode).toBe(201);
    const second = await post('/api/v1/tasks', t.rep.key, { messageId, due: { rule: { businessDays: 5, at: '09:00' } } });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ id: first.json().id, existing: true, dueAt: first.json().dueAt });
    expect(await openTasks(messageId)).toHaveLength(1);
  });

  it('makes one task when clicks race', async () => {
    const messageId = await logged('race');
    const results = await Promise.all([1, 2, 3, 4].map(() => post('/api/v1/tasks', t.rep.key, { messageId, due: { rule: { businessDays: 2, at: '10:00' } } })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    expect(await openTasks(messageId)).toHaveLength(1);
  });

  it('is per rep: a colleague gets their own task; a done task does not block a new one', async () => {
    const messageId = await logged('per-rep');
    const mine = await post('/api/v1/tasks', t.rep.key, { messageId });
    const theirs = await post('/api/v1/tasks', otherRepKey, { messageId });
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
    expect(await openTasks(messageId)).toHaveLength(2);
    expect((await post(`/api/v1/tasks/${mine.json().id}/complete`, t.rep.key, {})).statusCode).toBe(200);
    const again = await post('/api/v1/tasks', t.rep.key, { messageId });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).not.toBe(mine.json().id);
  });

  it('tasks not made from a mail are not deduplicated', async () => {
    const a = await post('/api/v1/tasks', t.rep.key, { title: 'Call Omar' });
    const b = await post('/api/v1/tasks', t.rep.key, { title: 'Call Omar' });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).not.toBe(b.json().id);
  });
});
