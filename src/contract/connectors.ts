import Type from 'typebox';
import { closed, nullable } from './common.js';

/** CRM connectors (`/connectors`) and their deliveries (`/deliveries`). */

export const ConnectorView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  settings: Type.Record(Type.String(), Type.Unknown()),
  secrets: Type.Array(Type.String(), { description: 'names of the stored secrets; their values never leave the store' }),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  health: Type.Object({ pending: Type.Integer(), dead: Type.Integer(), lastDeliveredAt: nullable(Type.String()) }),
});
export type ConnectorView = Type.Static<typeof ConnectorView>;
export const ConnectorList = Type.Object({ connectors: Type.Array(ConnectorView) });
export type ConnectorList = Type.Static<typeof ConnectorList>;
export const ConnectorParams = Type.Object({ connectorId: Type.String({ maxLength: 64 }) });

const Secrets = Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 4096 }), { maxProperties: 10 });
const Events = Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 });
export const ConnectorCreate = Type.Object({ kind: Type.String({ maxLength: 32 }), name: Type.String({ minLength: 1, maxLength: 100 }), settings: Type.Record(Type.String(), Type.Unknown()), secrets: Secrets, events: Type.Optional(Events), enabled: Type.Optional(Type.Boolean()) }, closed);
export type ConnectorCreate = Type.Static<typeof ConnectorCreate>;
export const ConnectorPatch = Type.Object({ enabled: Type.Optional(Type.Boolean()), settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())), secrets: Type.Optional(Secrets), events: Type.Optional(Events) }, closed);
export type ConnectorPatch = Type.Static<typeof ConnectorPatch>;

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export const DeliveryView = Type.Object({
  id: Type.String(),
  connector: Type.String(),
  eventType: Type.String(),
  status: Type.Enum([...DELIVERY_STATUSES]),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String(),
  lastError: nullable(Type.String()),
  createdAt: Type.String(),
  deliveredAt: nullable(Type.String()),
});
export type DeliveryView = Type.Static<typeof DeliveryView>;
export const DeliveryList = Type.Object({ deliveries: Type.Array(DeliveryView) });
export type DeliveryList = Type.Static<typeof DeliveryList>;
export const DeliveryQuery = Type.Object({ status: Type.Optional(Type.Enum([...DELIVERY_STATUSES])) }, closed);
export const DeliveryParams = Type.Object({ deliveryId: Type.String({ maxLength: 64 }) });

/** "Send a test event": one task.created delivered at once (not queued), so the admin sees the CRM's answer. */
export const ConnectorTestResult = Type.Object({
  ok: Type.Boolean(),
  eventId: Type.String(),
  reason: nullable(Type.String({ description: "the CRM's refusal or why it could not be reached, when not ok" })),
});
export type ConnectorTestResult = Type.Static<typeof ConnectorTestResult>;
