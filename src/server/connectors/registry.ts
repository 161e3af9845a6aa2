import { CONVERSATION_EVENT_TYPES, CRM_EVENT_TYPES, PAYMENT_EVENT_TYPES, SEND_EVENT_TYPES, TEAM_INBOX_EVENT_TYPES, type ConnectorAdapter } from './types.js';
import { hubspotAdapter } from './hubspot.js';
import { salesforceAdapter } from './salesforce.js';
import { googleTasksAdapter } from './google-tasks.js';
import { microsoftTodoAdapter } from './microsoft-todo.js';
import { webhookAdapter } from './webhook.js';

/** Every connector kind the store can deliver to. One adapter per external API. */
export const ADAPTERS: Record<string, ConnectorAdapter<unknown>> = {
  webhook: webhookAdapter as ConnectorAdapter<unknown>,
  hubspot: hubspotAdapter as ConnectorAdapter<unknown>,
  salesforce: salesforceAdapter as ConnectorAdapter<unknown>,
  'google-tasks': googleTasksAdapter as ConnectorAdapter<unknown>,
  'microsoft-todo': microsoftTodoAdapter as ConnectorAdapter<unknown>,
};

export const EVENT_TYPES = [...CRM_EVENT_TYPES, ...SEND_EVENT_TYPES, ...CONVERSATION_EVENT_TYPES, ...PAYMENT_EVENT_TYPES, ...TEAM_INBOX_EVENT_TYPES] as const;

/** The event types a connector kind can take (and gets when the admin names none). */
export const eventsAccepted = (kind: string): readonly string[] => ADAPTERS[kind]?.accepts ?? CRM_EVENT_TYPES;
