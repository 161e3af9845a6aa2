import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { pushPack } from '../../src/server/services/packs.js';
import { savePersonalTemplate } from '../../src/server/services/personal-templates.js';
import { bearer, operator, packYaml, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../src/server/secrets.js';

/**
 * Walks every route the store publishes in its OpenAPI document, as a rep and as an admin of
 * tenant B, pointing every path parameter and every reference in the body at tenant A's
 * resources. Nothing of A may be read or changed: the answer is 403/404/422, or a success that
 * carries none of A's identifiers — and afterwards A's data is exactly as before.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

describe.each(storeKinds())('tenant isolation on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let a: SeededTenant;
  let b: SeededTenant;
  let aKeyId: string;
  let aTaskId: string;
  let aConnectorId: string;
  let aDeliveryId: string;
  let aSendId: string;
  let aMailboxId: string;
  let aInboxId: string;
  let aConversationId: string;
  let aDocumentId: string;
  let aFollowUpId: string;
  const box = new SecretBox(randomBytes(32));

  const snapshotOfA = async () => {
    const t = a.tdb;
    return {
      users: await t.selectFrom('users').select(['id', 'email', 'name', 'role', 'disabled_at', 'updated_at']).orderBy('id').execute(),
      groups: await t.selectFrom('groups').selectAll().orderBy('id').execute(),
      members: await t.selectFrom('group_members').selectAll().orderBy('user_id').execute(),
      packs: await t.selectFrom('pack_versions').select(['id', 'version', 'digest']).orderBy('id').execute(),
      publications: await t.selectFrom('pack_publications').selectAll().orderBy('audience').execute(),
      keys: await t.selectFrom('api_keys').select(['id', 'revoked_at']).orderBy('id').execute(),
      customers: await t.selectFrom('customers').selectAll().orderBy('id').execute(),
      domains: await t.selectFrom('customer_domains').selectAll().orderBy('domain').execute(),
      contacts: await t.selectFrom('contacts').selectAll().orderBy('id').execute(),
      personal: await t.selectFrom('personal_templates').selectAll().orderBy('id').execute(),
      followUps: await t.selectFrom('followups').selectAll().orderBy('id').execute(),
      uses: await t.selectFrom('template_uses').selectAll().execute(),
      activities: await t.selectFrom('activities').selectAll().orderBy('id').execute(),
      tasks: await t.selectFrom('tasks').selectAll().orderBy('id').execute(),
      connectors: await t.selectFrom('connectors').selectAll().orderBy('id').execute(),
      outbox: await t.selectFrom('outbox').selectAll().orderBy('id').execute(),
      mailboxes: await t.selectFrom('mailboxes').selectAll().orderBy('id').execute(),
      conversations: await t.selectFrom('conversations').selectAll().orderBy('id').execute(),
      audit: (await t.selectFrom('audit_log').select('id').execute()).length,
    };
  };

  beforeAll(async () => {
    store = await kind.open();
    a = await seedTenant(store, 'alpha');
    b = await seedTenant(store, 'bravo');
    // A pack for everyone in A: a rep of B must still never see it.
    await pushPack(a.tdb, operator(a.tenantId), packYaml('alpha-for-all', ['*'], 'Alpha everyone pack'));
    await savePersonalTemplate(a.tdb, { ...operator(a.tenantId), userId: a.rep.id }, { id: 'alpha-personal', kind: 'other', title: 'Alpha secret template', variants: { en: { subject: 'Alpha secret', body: '<p>secret</p>' } } });
    const { createConnector } = await import('../../src/server/services/connectors.js');
    aConnectorId = (await createConnector(a.tdb, operator(a.tenantId), box, { kind: 'webhook', name: 'alpha hook', settings: { url: 'https://crm.alpha.example/hook' }, secrets: { signingSecret: 'alpha-signing-secret-0123' } })).id;
    const { logMail, createTask } = await import('../../src/server/services/crm.js');
    const aRep = { ...operator(a.tenantId), userId: a.rep.id };
    await logMail(a.tdb, aRep, { messageId: '<alpha-deal@buyer-of-alpha.de>', direction: 'inbound', from: 'boss@buyer-of-alpha.de', to: ['rep@alpha.test'], subject: 'Alpha secret deal', via: 'api' });
    aTaskId = (await createTask(a.tdb, aRep, { messageId: '<alpha-deal@buyer-of-alpha.de>' })).id;
    aDeliveryId = (await a.tdb.selectFrom('outbox').select('id').executeTakeFirstOrThrow()).id;
    await a.tdb.updateTable('outbox', { status: 'dead' }).where('id', '=', aDeliveryId).execute();
    aKeyId = (await a.tdb.selectFrom('api_keys').select('id').executeTakeFirstOrThrow()).id;
    const { scheduleSend } = await import('../../src/server/services/scheduled-sends.js');
    const inADay = new Date(Date.now() + 86_400_000).toISOString();
    aSendId = (await scheduleSend(a.tdb, { ...aRep, role: 'rep' as const, label: a.rep.email }, { provider: 'gmail', draftId: 'r-alpha-draft', recipients: ['boss@buyer-of-alpha.de'], subject: 'Alpha secret deal', sendAt: inADay })).send.id;
    const { addMailbox } = await import('../../src/server/services/mailboxes.js');
    const loopbackImap = { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port: 9, security: 'none' } };
    aMailboxId = (await addMailbox(a.tdb, operator(a.tenantId), box, { provider: 'imap', address: 'info@alpha.test', settings: loopbackImap, secrets: { password: 'alpha-mail-password' } }, { backfillDays: 30 })).id;
    aConversationId = 'alpha-conversation-0001';
    const at = new Date().toISOString();
    await a.tdb.insert('conversations', { id: aConversationId, subject: 'Alpha secret conversation', subject_key: 'alpha secret conversation', participants: '["boss@buyer-of-alpha.de"]', customer_ids: '[]', customer_id: null, first_message_at: at, last_message_at: at, last_inbound_at: at, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'open', assignee_id: null, first_response_at: null, created_at: at, updated_at: at });
    aDocumentId = 'alpha-document-0001';
    await a.tdb.insert('documents', { id: aDocumentId, kind: 'proforma', number: 'PI-2026-0001', year: 2026, sequence: 1, language: 'en', layout_version: 1, pack: null, pack_version: null, template_id: null, data: '{}', total_minor: '0', currency: 'USD', sha256: null, byte_size: null, created_by: a.rep.id, created_at: at });
    const { createFollowUp } = await import('../../src/server/services/followups.js');
    aFollowUpId = (await createFollowUp(a.tdb, aRep, { rule: { kind: 'business-days', days: 3 }, subject: 'Alpha secret quotation', to: ['boss@buyer-of-alpha.de'], messageId: '<alpha-quote@alpha.test>' })).followUp.id;
    const { configureTeamInbox } = await import('../../src/server/services/team-inbox.js');
    aInboxId = (await configureTeamInbox(a.tdb, operator(a.tenantId), aMailboxId, { groups: [a.groupSlug] })).id;
    await a.tdb.updateTable('conversations', { team_inbox_id: aInboxId, state: 'new' }).where('id', '=', aConversationId).execute();
    app = await testApp(store, {}, { secretBox: box });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  /** Path parameters → tenant A's resources. A new parameter name must be added here, or the walk fails. */
  const paramValue = (name: string): string => {
    const values: Record<string, string> = { userId: a.rep.id, groupId: a.groupId, keyId: aKeyId, pack: a.packSlug, customerId: a.customerId, audience: a.groupSlug, templateId: 'alpha-personal', taskId: aTaskId, connectorId: aConnectorId, deliveryId: aDeliveryId, sendId: aSendId, mailboxId: aMailboxId, conversationId: aConversationId, documentId: aDocumentId, followUpId: aFollowUpId, inboxId: aInboxId };
    const v = values[name];
    if (!v) throw new Error(`isolation walk: no tenant-A value for path parameter "${name}"; add one`);
    return v;
  };

  /** Bodies that reach the service layer and name tenant A's things. */
  const bodyFor = (method: Method, path: string): object | undefined => {
    const bodies: Record<string, object> = {
      'POST /api/v1/users': { email: 'intruder@bravo.test', name: 'Intruder', groups: [a.groupSlug] },
      'PATCH /api/v1/users/{userId}': { name: 'Renamed by B', role: 'admin' },
      'POST /api/v1/groups': { slug: 'bravo-walk' },
      'POST /api/v1/packs': { source: packYaml(a.packSlug, [a.groupSlug]) },
      'POST /api/v1/api-keys': { name: 'steal', user: a.admin.email, scopes: ['packs:read'] },
      'POST /api/v1/packs/{pack}/publish': { version: 1 },
      'PUT /api/v1/me/templates/{templateId}': { template: { id: 'alpha-personal', kind: 'other', title: 'B owns this one', variants: { en: { subject: 's', body: 'b' } } } },
      'POST /api/v1/me/templates/copy': { pack: a.packSlug, template: 'hello' },
      'POST /api/v1/me/template-uses': { pack: a.packSlug, template: 'hello' },
      'POST /api/v1/packs/{pack}/rollback': { version: 1 },
      'POST /api/v1/customers': { name: 'Bravo copy', domains: ['buyer-of-alpha.de'] },
      // B logging a mail A already logged is B's own first log: never "already logged by A's rep".
      'POST /api/v1/log': { messageId: '<alpha-deal@buyer-of-alpha.de>', direction: 'inbound', from: 'boss@buyer-of-alpha.de', to: ['x@bravo.test'], subject: 'B copy', via: 'api' },
      'POST /api/v1/tasks': { messageId: '<alpha-deal@buyer-of-alpha.de>' },
      'POST /api/v1/tasks/{taskId}/reschedule': { due: { at: '2030-01-01T00:00:00Z' } },
      'PATCH /api/v1/me/scheduled-sends/{sendId}': { sendAt: '2030-01-01T09:00:00+01:00' },
      'POST /api/v1/connectors': { kind: 'webhook', name: 'alpha hook', settings: { url: 'https://crm.bravo.example/hook' }, secrets: { signingSecret: 'bravo-signing-secret-012' } },
      'PATCH /api/v1/connectors/{connectorId}': { enabled: false },
      'PATCH /api/v1/customers/{customerId}': { name: 'Renamed by B', timeZone: 'Europe/Paris' },
      'PUT /api/v1/contacts': { email: 'someone@buyer-of-alpha.de', firstName: 'Set by B' },
      'POST /api/v1/mailboxes': { provider: 'imap', address: 'info@bravo.test', settings: { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port: 9, security: 'none' } }, secrets: { password: 'bravo-password' } },
      'POST /api/v1/mailboxes/{mailboxId}/pause': { paused: true },
      'PUT /api/v1/mailboxes/{mailboxId}/secret': { secret: 'tenant B tries to set A\'s password' },
      // B asking for a reminder on the same Message-ID is B's own reminder, never A's.
      'POST /api/v1/me/followups': { rule: { kind: 'business-days', days: 3 }, subject: 'B copy', to: ['boss@buyer-of-alpha.de'], messageId: '<alpha-quote@alpha.test>' },
      'POST /api/v1/me/followups/{followUpId}/snooze': { until: '2030-01-01T00:00:00Z' },
      'PUT /api/v1/mailboxes/{mailboxId}/team-inbox': { groups: ['bravo-sales'] },
      'POST /api/v1/team-conversations/{conversationId}/assign': { assignee: 'rep@bravo.test' },
      'POST /api/v1/team-conversations/{conversationId}/state': { action: 'close' },
      'POST /api/v1/team-conversations/{conversationId}/notes': { body: 'B writes in A' },
      'POST /api/v1/team-conversations/{conversationId}/presence': { activity: 'viewing' },
      'POST /api/v1/team-conversations/{conversationId}/hand-off': { subject: 'Re: B', text: "B writes to A's buyer", takeOver: true },
    };
    return bodies[`${method} ${path}`] ?? (method === 'GET' || method === 'DELETE' || method === 'PUT' ? undefined : {});
  };

  /** Routes whose path names something in the caller's own namespace (my template "x"): B may create its own; A's stays untouched. */
  const ownNamespace = new Set(['PUT /api/v1/me/templates/{templateId}', 'DELETE /api/v1/me/templates/{templateId}']);

  const routes = () => {
    const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    return Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase() as Method, path })));
  };

  it('covers a meaningful number of routes', () => {
    expect(routes().length).toBeGreaterThanOrEqual(35);
  });

  it.each(['rep', 'admin'] as const)("never lets tenant B's %s read or change tenant A", async (who) => {
    const before = await snapshotOfA();
    // What B cannot know and never sent: A's ids and A's people's names. (B may echo what it sent.)
    const aIdentifiers = [a.tenantId, a.admin.id, a.rep.id, a.groupId, aKeyId, 'Admin alpha', 'Rep alpha', 'Tenant alpha', 'alpha-for-all', a.customerId, 'Customer of alpha', 'Alpha secret', 'rep@alpha.test', aTaskId, aConnectorId, aDeliveryId, 'crm.alpha.example', 'alpha-signing-secret', aMailboxId, aConversationId, 'info@alpha.test', 'alpha-mail-password', 'Alpha secret conversation', aFollowUpId];
    const outcomes: string[] = [];
    for (const { method, path } of routes()) {
      const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => paramValue(name));
      const payload = bodyFor(method, path);
      const res = await app.inject({ method, url, headers: bearer(b[who].key), ...(payload ? { payload } : {}) });
      const leaked = aIdentifiers.filter((id) => res.body.includes(id));
      outcomes.push(`${method} ${path} → ${res.statusCode}`);
      expect({ route: `${method} ${path}`, leaked }).toEqual({ route: `${method} ${path}`, leaked: [] });
      if (path.includes('{') && !ownNamespace.has(`${method} ${path}`)) expect({ route: `${method} ${path}`, status: [403, 404].includes(res.statusCode) }).toEqual({ route: `${method} ${path}`, status: true });
      else expect({ route: `${method} ${path}`, status: res.statusCode }).toEqual({ route: `${method} ${path}`, status: expect.not.stringMatching(/^5/) });
      expect(res.statusCode).toBeLessThan(500);
    }
    expect(await snapshotOfA()).toEqual(before);
    // The walk really exercised both outcomes: refusals and B's own successful calls.
    expect(outcomes.some((o) => / → 2\d\d$/.test(o))).toBe(true);
    expect(outcomes.some((o) => / → (403|404)$/.test(o))).toBe(true);
  });

  it("gives B's admin A's group, user and pack names as unknown in B", async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(b.admin.key), payload: { email: 'x@bravo.test', name: 'X', groups: [a.groupSlug] } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details[0].message).toContain(`unknown group "${a.groupSlug}"`);
    expect(res.json().error.details[0].message).not.toContain(a.groupId);
  });
});
