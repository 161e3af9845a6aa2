import type { ConnectorAdapter } from './types.js';
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

export const EVENT_TYPES = ['email.logged', 'task.created'] as const;
