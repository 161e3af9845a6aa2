import type { Actor } from '../auth/principal.js';
import type { ConnectorRow } from '../db/tables.js';
import { newId, nowIso, type TenantDb } from '../db/tenant-db.js';
import { AppError, badRequest, conflict, notFound } from '../errors.js';
import type { SecretBox } from '../secrets.js';
import { ADAPTERS, EVENT_TYPES, eventsAccepted } from '../connectors/registry.js';
import type { OutboxEvent, TaskCreatedEvent } from '../connectors/types.js';
import { audit } from './audit.js';
import type { ConnectorTestResult, ConnectorView, DeliveryView } from '../../contract/connectors.js';

export type { ConnectorTestResult, ConnectorView, DeliveryView };

/** CRM connectors configured by a tenant's admin, and queueing events for them (the outbox). */

export interface ConnectorInput {
  kind: string;
  name: string;
  settings: object;
  secrets: Record<string, string>;
  events?: string[] | undefined;
  enabled?: boolean | undefined;
}

function requireBox(box: SecretBox | undefined): SecretBox {
  if (!box) throw new AppError(503, 'no_secret_key', 'connectors need TRADEPANE_SECRET_KEY on the store to keep their secrets encrypted');
  return box;
}

function checked(kind: string, settings: unknown, secrets: Record<string, string>, events: string[]) {
  const adapter = ADAPTERS[kind];
  if (!adapter) throw badRequest(`kind: unknown connector "${kind}"; available: ${Object.keys(ADAPTERS).join(', ')}`, [{ path: 'kind', message: 'unknown connector' }]);
  const unknown = events.filter((e) => !(EVENT_TYPES as readonly string[]).includes(e));
  if (unknown.length) throw badRequest(`events: unknown ${unknown.join(', ')}; events are ${EVENT_TYPES.join(', ')}`, [{ path: 'events', message: 'unknown event' }]);
  const refused = events.filter((e) => !eventsAccepted(kind).includes(e));
  if (refused.length) throw badRequest(`events: a ${kind} connector cannot take ${refused.join(', ')}; it takes ${eventsAccepted(kind).join(', ')}`, [{ path: 'events', message: 'not taken by this connector' }]);
  try {
    return adapter.validate(settings, secrets);
  } catch (error) {
    const message = (error as Error).message;
    throw badRequest(message, [{ path: message.split(':')[0] ?? 'settings', message }]);
  }
}

async function view(tdb: TenantDb, row: ConnectorRow, box: SecretBox | undefined): Promise<ConnectorView> {
  const counts = await tdb.selectFrom('outbox').select(['status']).where('connector_id', '=', row.id).where('status', 'in', ['pending', 'dead']).execute();
  const last = await tdb.selectFrom('outbox').select('delivered_at').where('connector_id', '=', row.id).where('status', '=', 'delivered').orderBy('delivered_at', 'desc').limit(1).executeTakeFirst();
  let secretNames: string[] = [];
  try {
    secretNames = box ? Object.keys(box.open(row.secrets)) : [];
  } catch {
    secretNames = ['(cannot be read with the current TRADEPANE_SECRET_KEY)'];
  }
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    secrets: secretNames,
    events: JSON.parse(row.events) as string[],
    enabled: row.enabled === 1,
    health: { pending: counts.filter((c) => c.status === 'pending').length, dead: counts.filter((c) => c.status === 'dead').length, lastDeliveredAt: last?.delivered_at ?? null },
  };
}

export async function listConnectors(tdb: TenantDb, box: SecretBox | undefined): Promise<ConnectorView[]> {
  const rows = await tdb.selectFrom('connectors').selectAll().orderBy('name').execute();
  return Promise.all(rows.map((r) => view(tdb, r, box)));
}

export async function createConnector(tdb: TenantDb, actor: Actor, box: SecretBox | undefined, input: ConnectorInput): Promise<ConnectorView> {
  const sealer = requireBox(box);
  const events = input.events ?? [...eventsAccepted(input.kind)];
  const settings = checked(input.kind, input.settings, input.secrets, events);
  return tdb.transaction(async (t) => {
    if (await t.selectFrom('connectors').select('id').where('name', '=', input.name).executeTakeFirst()) throw conflict(`a connector named "${input.name}" exists`);
    const now = nowIso();
    const id = newId();
    await t.insert('connectors', { id, kind: input.kind, name: input.name, settings: JSON.stringify(settings), secrets: sealer.seal(input.secrets), events: JSON.stringify(events), enabled: input.enabled === false ? 0 : 1, created_at: now, updated_at: now });
    await audit(t, actor, 'connector.created', { type: 'connector', id }, { kind: input.kind, name: input.name, events });
    return view(t, (await t.selectFrom('connectors').selectAll().where('id', '=', id).executeTakeFirst())!, box);
  });
}

export async function updateConnector(tdb: TenantDb, actor: Actor, box: SecretBox | undefined, connectorId: string, changes: { enabled?: boolean | undefined; settings?: object | undefined; secrets?: Record<string, string> | undefined; events?: string[] | undefined }): Promise<ConnectorView> {
  const sealer = requireBox(box);
  return tdb.transaction(async (t) => {
    const row = await t.selectFrom('connectors').selectAll().where('id', '=', connectorId).executeTakeFirst();
    if (!row) throw notFound('connector');
    const secrets = changes.secrets ?? sealer.open(row.secrets);
    const events = changes.events ?? (JSON.parse(row.events) as string[]);
    const settings = checked(row.kind, changes.settings ?? JSON.parse(row.settings), secrets, events);
    await t
      .updateTable('connectors', { settings: JSON.stringify(settings), secrets: sealer.seal(secrets), events: JSON.stringify(events), ...(changes.enabled !== undefined ? { enabled: changes.enabled ? 1 : 0 } : {}), updated_at: nowIso() })
      .where('id', '=', connectorId)
      .execute();
    await audit(t, actor, 'connector.updated', { type: 'connector', id: connectorId }, { enabled: changes.enabled, settingsChanged: Boolean(changes.settings), secretsChanged: Boolean(changes.secrets), events });
    return view(t, (await t.selectFrom('connectors').selectAll().where('id', '=', connectorId).executeTakeFirst())!, box);
  });
}

/** Removes a connector; its queued and dead deliveries go with it (nothing would ever deliver them). */
export async function removeConnector(tdb: TenantDb, actor: Actor, connectorId: string): Promise<void> {
  await tdb.transaction(async (t) => {
    const row = await t.selectFrom('connectors').select(['id', 'kind', 'name']).where('id', '=', connectorId).executeTakeFirst();
    if (!row) throw notFound('connector');
    const dropped = await t.selectFrom('outbox').select('status').where('connector_id', '=', connectorId).where('status', 'in', ['pending', 'dead']).execute();
    await t.deleteFrom('outbox').where('connector_id', '=', connectorId).execute();
    await t.deleteFrom('connectors').where('id', '=', connectorId).execute();
    await audit(t, actor, 'connector.removed', { type: 'connector', id: connectorId }, { kind: row.kind, name: row.name, droppedPending: dropped.filter((d) => d.status === 'pending').length, droppedDead: dropped.filter((d) => d.status === 'dead').length });
  });
}

/** The test event: a task every kind takes, with no contact, so nothing in the CRM is matched or created but the task. */
export function testEvent(assignee: string, now: Date = new Date()): TaskCreatedEvent {
  const id = `test:${newId()}`;
  return {
    type: 'task.created',
    id,
    occurredAt: now.toISOString(),
    task: { id, title: 'tradepane test event (safe to delete)', notes: 'Sent from the tradepane admin console to check this connection.', dueAt: null, dueLocal: null, assignee },
    contact: null,
    messageId: null,
  };
}

/**
 * "Send a test event": delivered at once through the connector's adapter, paused or not, and
 * answered with the CRM's verdict; not queued, so a failing test leaves no dead letter behind.
 */
export async function testConnector(tdb: TenantDb, actor: Actor & { email?: string }, box: SecretBox | undefined, connectorId: string): Promise<ConnectorTestResult> {
  const sealer = requireBox(box);
  const row = await tdb.selectFrom('connectors').selectAll().where('id', '=', connectorId).executeTakeFirst();
  if (!row) throw notFound('connector');
  const adapter = ADAPTERS[row.kind];
  const event = testEvent(actor.email ?? actor.label);
  let outcome: { ok: boolean; reason: string | null };
  try {
    if (!adapter) throw new Error(`no adapter for "${row.kind}"`);
    const secrets = sealer.open(row.secrets);
    const result = await adapter.deliver(event, adapter.validate(JSON.parse(row.settings), secrets), secrets);
    outcome = result.ok ? { ok: true, reason: null } : { ok: false, reason: result.reason };
  } catch (error) {
    outcome = { ok: false, reason: (error as Error).message };
  }
  await tdb.transaction((t) => audit(t, actor, 'connector.tested', { type: 'connector', id: connectorId }, { name: row.name, ok: outcome.ok, reason: outcome.reason }));
  return { ok: outcome.ok, eventId: event.id, reason: outcome.reason };
}

/**
 * Queues an event for every enabled connector that wants it, in the caller's transaction: the
 * store's own log and the deliveries it owes are written together or not at all.
 */
export async function enqueue(tdb: TenantDb, event: OutboxEvent): Promise<number> {
  return enqueueFor(tdb, await enabledConnectors(tdb), [event]);
}

/** The tenant's enabled connectors and the events each wants; look them up once for many events. */
export async function enabledConnectors(tdb: TenantDb): Promise<{ id: string; events: string[] }[]> {
  const rows = await tdb.selectFrom('connectors').select(['id', 'events']).where('enabled', '=', 1).execute();
  return rows.map((c) => ({ id: c.id, events: JSON.parse(c.events) as string[] }));
}

/** `enqueue` for several events with the connectors already looked up (in the same transaction), in one insert. */
export async function enqueueFor(tdb: TenantDb, connectors: { id: string; events: string[] }[], events: OutboxEvent[]): Promise<number> {
  const now = nowIso();
  const rows = events.flatMap((event) =>
    connectors
      .filter((c) => c.events.includes(event.type))
      .map((c) => ({
        id: newId(),
        connector_id: c.id,
        event_type: event.type,
        event: JSON.stringify(event),
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: now,
        lease_owner: null,
        lease_until: null,
        last_error: null,
        external_id: null,
        created_at: now,
        updated_at: now,
        delivered_at: null,
      })),
  );
  await tdb.insert('outbox', rows);
  return rows.length;
}

export async function listDeliveries(tdb: TenantDb, status?: 'pending' | 'delivered' | 'dead'): Promise<DeliveryView[]> {
  let q = tdb.selectFrom('outbox').innerJoin('connectors', 'connectors.id', 'outbox.connector_id').select(['outbox.id', 'connectors.name', 'outbox.event_type', 'outbox.status', 'outbox.attempts', 'outbox.next_attempt_at', 'outbox.last_error', 'outbox.created_at', 'outbox.delivered_at']);
  if (status) q = q.where('outbox.status', '=', status);
  const rows = await q.orderBy('outbox.created_at', 'desc').limit(500).execute();
  return rows.map((r) => ({ id: r.id, connector: r.name, eventType: r.event_type, status: r.status, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error, createdAt: r.created_at, deliveredAt: r.delivered_at }));
}

/** A dead letter goes back into the queue for another full round of attempts. */
export async function replayDelivery(tdb: TenantDb, actor: Actor, deliveryId: string): Promise<DeliveryView> {
  return tdb.transaction(async (t) => {
    const row = await t.selectFrom('outbox').select(['id', 'status']).where('id', '=', deliveryId).executeTakeFirst();
    if (!row) throw notFound('delivery');
    if (row.status !== 'dead') throw conflict(`only dead deliveries can be replayed; this one is ${row.status}`);
    const now = nowIso();
    await t.updateTable('outbox', { status: 'pending', attempts: 0, next_attempt_at: now, lease_owner: null, lease_until: null, updated_at: now }).where('id', '=', deliveryId).execute();
    await audit(t, actor, 'delivery.replayed', { type: 'delivery', id: deliveryId });
    return (await listDeliveries(t)).find((d) => d.id === deliveryId)!;
  });
}
