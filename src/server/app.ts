import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { Store } from './db/connect.js';
import type { DevSigner } from './auth/dev-keys.js';
import { TokenVerifier } from './auth/tokens.js';
import { clientErrorAnswer, frameworkErrorAnswer, installErrorHandling } from './http/errors.js';
import { installValidators } from './http/validation.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { RenderPool } from './render/pool.js';
import { DocumentPool } from './documents/pool.js';
import type { DocumentRenderer } from './documents/task.js';
import { documentRoutes } from './routes/documents.js';
import { installAuth } from './http/auth-plugin.js';
import { installJsonBodyParser } from './http/json-body.js';
import { releaseLeases } from './jobs/leases.js';
import { systemRoutes } from './routes/system.js';
import { meRoutes } from './routes/me.js';
import { peopleRoutes } from './routes/people.js';
import { packRoutes } from './routes/packs.js';
import { adminRoutes } from './routes/admin.js';
import { crmRoutes } from './routes/crm.js';
import { connectorRoutes } from './routes/connectors.js';
import { mailboxRoutes } from './routes/mailboxes.js';
import { followUpRoutes } from './routes/followups.js';
import { followUpLinkRoutes } from './routes/followup-link.js';
import { teamInboxRoutes } from './routes/team-inbox.js';
import { inboxPageRoutes } from './routes/inbox-page.js';
import { mailAdapterFactory } from './mail/adapters.js';
import { companyRoutes } from './routes/company.js';
import { paymentRoutes } from './routes/payments.js';
import { adminConsoleApiRoutes } from './routes/admin-console-api.js';
import { adminConsoleRoutes } from './routes/admin-console.js';
import type { SecretBox } from './secrets.js';
import { gmailRoutes, GMAIL_PREFIX } from '../gmail/routes.js';
import { documentsPort, googleConnectPort, googleServices } from '../gmail/google.js';
import { documentLinkRoutes } from './routes/document-links.js';
import { googleCredentialsFromConfig, type GoogleCredentials } from './google/credentials.js';
import { scheduledSendRoutes } from './routes/scheduled-sends.js';
import { googleConnectRoutes, googleOauthCallbackRoutes } from './routes/google-connect.js';
import { directoryAccess, type DirectoryAccess } from './services/directory-sync.js';

export interface AppDeps {
  config: Config;
  store: Store;
  devSigner?: DevSigner | undefined;
  /** Logger setting: true/object for JSON logs; false in tests. */
  logger?: boolean | object;
  /** The built faces (webpack output), served at /addin/. */
  addinDir?: string;
  /** Encrypts connector secrets; without it connectors cannot be configured. */
  secretBox?: SecretBox | undefined;
  /** How directory sync reads Entra ID and Google Workspace (tests: the real readers pointed at the Graph and Google stand-ins). */
  directory?: DirectoryAccess | undefined;
  /** Where renders run; default: a worker pool sized by config.render (tests pass stand-ins). */
  renderPool?: RenderPool | undefined;
  /** Where trade documents are drawn; default: a worker pool sized by config.render (tests draw in-line). */
  documentDraw?: DocumentRenderer | undefined;
  /** The Gmail add-on's Google side: offline credentials (scheduling) and, in tests, the Gmail API root. */
  gmailAddon?: { credentials?: GoogleCredentials | undefined; gmailRootUrl?: string | undefined } | undefined;
  /** Sees every route as it is registered (tests walk the route table against the contract). */
  onRoute?: ((route: RouteOptions) => void) | undefined;
}

export const API_PREFIX = '/api/v1';

/**
 * Gives a plugin function the display name Fastify reads first. Without one, Fastify looks for
 * the function among require.cache's exports before using its name: a scan per plugin, cheap in
 * a plain process, ~5 ms a plugin under Jest's module registry, where apps are built hundreds
 * of times.
 */
function named<Plugin extends (...args: never[]) => unknown>(plugin: Plugin): Plugin {
  (plugin as unknown as Record<symbol, string>)[Symbol.for('fastify.display-name')] ??= plugin.name;
  return plugin;
}

/** Builds the store's HTTP app. The caller owns the store; the app hands back job leases on close. */
export async function buildApp({ config, store, devSigner, logger, addinDir = resolve('dist'), secretBox, gmailAddon, renderPool, onRoute, documentDraw, directory }: AppDeps): Promise<FastifyInstance> {
  let closing = false;
  // One set of Google credentials for the add-on's scheduling and the scheduled-send routes.
  const googleCredentials = gmailAddon?.credentials ?? googleCredentialsFromConfig(config.googleApi, store.db, secretBox);
  const app = Fastify({
    logger: logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    // Believing X-Forwarded-For from anyone would let a client pick the address the sign-in limiter counts.
    trustProxy: config.trustProxy as boolean | string[], // Fastify also takes a hop count; its typings omit it
    // Answers the HTTP layer gives before any route (431, a URL that is not one) in the one error shape.
    clientErrorHandler: clientErrorAnswer,
    frameworkErrors: frameworkErrorAnswer,
  }).withTypeProvider<TypeBoxTypeProvider>();

  if (onRoute) app.addHook('onRoute', onRoute);
  installValidators(app);
  installErrorHandling(app);
  installJsonBodyParser(app);
  const verifier = new TokenVerifier({ microsoft: config.microsoft, google: config.google, devPublicKey: devSigner?.publicKey });
  installAuth(app, store.db, verifier, config.authFailureLimit);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'tradepane template store', version: '1', description: 'Templates, signatures, policies and the CRM log for the tradepane Outlook add-in and Gmail add-on.' },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Microsoft Entra ID access token, Google ID token, dev token, or API key (tpk_…)' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // swagger-ui's own policy (its inline scripts by hash), never framed; no upgrade-insecure-requests, which would break http://localhost.
    staticCSP: true,
    transformStaticCSP: (header: string) => header.replace("frame-ancestors 'self'", "frame-ancestors 'none'").replace(/\s*upgrade-insecure-requests;?/, ''),
  });

  installSecurityHeaders(app, addinDir);
  const renders = renderPool ?? new RenderPool(config.render);
  app.addHook('onClose', async () => renders.close());
  const documentPool = documentDraw ? undefined : new DocumentPool(config.render);
  app.addHook('onClose', async () => documentPool?.close());
  if (existsSync(addinDir)) {
    await app.register(fastifyStatic, {
      root: addinDir,
      prefix: '/addin/',
      index: false,
      cacheControl: true,
      maxAge: '1h',
      // The build's .br / .gz beside each script (webpack.config.js): sent to browsers that accept them.
      preCompressed: true,
      // A stray .env or .git in the build folder must not be served: 404 as if it were not there.
      dotfiles: 'ignore',
      // Source maps would hand out the faces' sources; only dev mode serves them.
      allowedPath: (pathname: string) => !(config.production && pathname.endsWith('.map')),
    });
  } else {
    app.get('/addin/*', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
      reply.status(404).send({ error: { code: 'not_built', message: 'the add-in files are not built: run "npm run build"' } }),
    );
  }
  await app.register(named(systemRoutes), { store, devSigner, publicUrl: config.publicUrl, isClosing: () => closing });
  await app.register(named(adminConsoleRoutes), { addinDir, config, devMode: Boolean(devSigner) });
  await app.register(named(inboxPageRoutes), { addinDir });
  await app.register(
    named(async function apiRoutes(api) {
      await api.register(named(meRoutes), { db: store.db, renderer: renders.render });
      await api.register(named(peopleRoutes), { db: store.db, box: secretBox, directory: directory ?? directoryAccess({ graph: config.microsoftGraph, google: googleCredentials, googleAdminRootUrl: config.googleApi.adminApiRootUrl }) });
      await api.register(named(packRoutes), { db: store.db });
      await api.register(named(adminRoutes), { db: store.db });
      await api.register(named(crmRoutes), { db: store.db });
      await api.register(named(followUpRoutes), { db: store.db, renderer: renders.render });
      await api.register(named(connectorRoutes), { db: store.db, box: secretBox });
      await api.register(named(mailboxRoutes), { db: store.db, box: secretBox, backfillDays: config.mailSync.backfillDays, adapterFor: mailAdapterFactory({ microsoftGraph: config.microsoftGraph, google: googleCredentials }) });
      await api.register(named(teamInboxRoutes), { db: store.db, box: secretBox, adapterFor: mailAdapterFactory({ microsoftGraph: config.microsoftGraph, google: googleCredentials }), renderer: renders.render });
      await api.register(named(scheduledSendRoutes), { db: store.db, credentials: googleCredentials });
      await api.register(named(googleConnectRoutes), { db: store.db, credentials: googleCredentials, publicUrl: config.publicUrl });
      await api.register(named(companyRoutes), { db: store.db });
      await api.register(named(paymentRoutes), { db: store.db });
      await api.register(named(adminConsoleApiRoutes), { db: store.db, credentials: googleCredentials, renderer: renders.render });
      await api.register(named(documentRoutes), { db: store.db, deps: { draw: documentDraw ?? documentPool!.draw } });
    }),
    { prefix: API_PREFIX },
  );

  await app.register(named(googleOauthCallbackRoutes), { db: store.db, credentials: googleCredentials, publicUrl: config.publicUrl });
  await app.register(named(followUpLinkRoutes), { db: store.db, box: secretBox, adapterFor: mailAdapterFactory({ microsoftGraph: config.microsoftGraph, google: googleCredentials }), renderer: renders.render });
  const documentDeps = { draw: documentDraw ?? documentPool!.draw };
  const gmailServices = {
    ...googleServices({ ...gmailAddon, credentials: googleCredentials }),
    googleConnect: googleConnectPort(googleCredentials, config.publicUrl),
    documents: documentsPort({ credentials: googleCredentials, gmailRootUrl: gmailAddon?.gmailRootUrl, publicUrl: config.publicUrl, deps: documentDeps }),
  };
  await app.register(named(gmailRoutes), { prefix: GMAIL_PREFIX, db: store.db, verifier, auth: config.gmailAddon, services: gmailServices });
  await app.register(named(documentLinkRoutes), { db: store.db, deps: documentDeps });

  app.addHook('preClose', async () => {
    closing = true;
  });
  // Answers given while closing tell keep-alive clients to reconnect elsewhere, so the socket
  // ends with the response instead of holding shutdown open until the keep-alive timeout.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onClose', async (instance) => {
    const released = await releaseLeases(store.db, config.instanceId);
    if (released) instance.log.info({ released }, 'released job leases');
  });
  return app;
}
