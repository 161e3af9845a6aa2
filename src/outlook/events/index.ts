/**
 * The Outlook event-handler bundle: its own webpack entry, one self-contained file with no React
 * and no code splitting, loaded by events.html (Outlook on the web, new Outlook, Mac) and
 * directly as JavaScript by classic Outlook on Windows' JavaScript-only runtime. There,
 * Office.onReady never runs and nothing else starts the code: the handlers must be registered
 * with Office.actions.associate while this file is first evaluated, at top level.
 */
// First: the globals the rest of the bundle relies on, for older classic Windows runtimes.
import './runtime-globals.js';
import { StoreClient } from '../../client/store-client.js';
import { addinConfig } from '../auth/config.js';
import { associateHandler, cacheStorage } from '../office/index.js';
import { createHandlers } from './handlers.js';
import { HANDLERS } from './names.js';
import { eventToken } from './token.js';

const storage = cacheStorage();
const handlers = createHandlers({
  storage,
  client: async () => {
    const config = addinConfig();
    const token = await eventToken(storage, config, 2_000);
    return token ? new StoreClient({ baseUrl: config.storeUrl, token: () => token }) : null;
  },
});

associateHandler(HANDLERS.newMessageCompose, handlers.onNewMessageCompose);
associateHandler(HANDLERS.messageFromChanged, handlers.onMessageFromChanged);
associateHandler(HANDLERS.messageSend, handlers.onMessageSend);
associateHandler(HANDLERS.reinsertSignature, handlers.reinsertSignature);
associateHandler(HANDLERS.scheduleForClientMorning, handlers.scheduleForClientMorning);
