import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AllowedAddinScripts, DevTeamItem, DevToken, DevUserQuery, Health, Unhealthy } from '../../contract/system.js';
import { seedTeamDemo } from '../demo/team-demo.js';
import { TenantDb } from '../db/tenant-db.js';
import type { Store } from '../db/connect.js';
import { ping } from '../db/connect.js';
import type { DevSigner } from '../auth/dev-keys.js';
import { AppError, forbidden, notFound } from '../errors.js';

export interface SystemOptions {
  store: Store;
  devSigner: DevSigner | undefined;
  publicUrl: string;
  isClosing: () => boolean;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const systemRoutes: FastifyPluginAsyncTypebox<SystemOptions> = async (app, { store, devSigner, publicUrl, isClosing }) => {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Process up and database reachable (503 otherwise, and while shutting down)',
        response: { 200: Health, 503: Unhealthy },
      },
    },
    async (_request, reply) => {
      if (isClosing()) return reply.status(503).send({ status: 'shutting-down', database: store.dialect });
      const up = await ping(store);
      return reply.status(up ? 200 : 503).send({ status: up ? 'ok' : 'database-unreachable', database: store.dialect });
    },
  );

  // Classic Outlook on Windows runs the event handlers as bare JavaScript; before it lets that
  // code use SSO or CORS it asks the add-in's origin which scripts it vouches for (docs/outlook.md).
  const eventsScript = `${new URL(publicUrl).origin}/addin/events.js`;
  app.get(
    '/.well-known/microsoft-officeaddins-allowed.json',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'The add-in scripts this origin allows to use SSO and CORS from Outlook’s event runtime (classic Windows)',
        response: { 200: AllowedAddinScripts },
      },
    },
    async (_request, reply) => reply.header('cache-control', 'public, max-age=3600').send({ allowed: [eventsScript] }),
  );

  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    const link = (path: string, text: string, note: string) => `<li><a href="${escapeHtml(publicUrl + path)}">${escapeHtml(text)}</a> — ${escapeHtml(note)}</li>`;
    const dev = devSigner
      ? `<h2>Dev mode</h2><p>Self-signed sign-in for trying things out. Get a token, then call the API with <code>Authorization: Bearer &lt;token&gt;</code>:</p><ul>
${link('/dev/token?email=admin%40demo.tradepane.test', 'Token for the demo admin', 'admin@demo.tradepane.test')}
${link('/dev/token?email=rep%40demo.tradepane.test', 'Token for the demo rep', 'rep@demo.tradepane.test (groups sales-eu, sales-me)')}
${link('/dev/playground?email=rep%40demo.tradepane.test', 'Outlook playground as the demo rep', 'the real task pane and event handlers beside a simulated Outlook message (dev harness)')}
${link('/dev/taskpane?email=rep%40demo.tradepane.test', 'Open the task pane as the demo rep', 'the bare task pane page (outside Outlook it has no message to work on; use the playground)')}
${link('/dev/admin?email=admin%40demo.tradepane.test', 'Open the admin console as the demo admin', 'packs, people, compliance, operations, usage')}
</ul><p>Try it: <code>curl -H "Authorization: Bearer $TOKEN" ${escapeHtml(publicUrl)}/api/v1/me/packs</code></p>`
      : '';
    return reply.type('text/html; charset=utf-8').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tradepane store</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .25em}</style></head><body>
<h1>tradepane template store</h1>
<p>Templates, signatures and policies for foreign-trade sales reps, served to the Outlook add-in and the Gmail add-on.</p>
<ul>
${link('/docs', 'API documentation', 'every route, with its schemas (OpenAPI)')}
${link('/docs/json', 'OpenAPI document', 'machine-readable')}
${link('/healthz', 'Health', 'process and database status')}
</ul>${dev}
<p>Command line: <code>npx tradepane --help</code>.${devSigner ? ` Database: ${escapeHtml(store.where)}.` : ''}</p>
</body></html>`);
  });

  if (devSigner) {
    // Loopback connection AND a loopback Host: a web page the developer visits could otherwise
    // reach this through DNS rebinding (its name resolving to 127.0.0.1).
    const devUser = async (ip: string, host: string | undefined, rawEmail: string) => {
      const hostname = (host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(ip) || !['localhost', '127.0.0.1', '::1'].includes(hostname)) {
        throw forbidden('dev tokens are only handed out to this machine, at localhost');
      }
      const email = rawEmail.trim().toLowerCase();
      const users = await store.db.selectFrom('users').select(['id', 'tenant_id', 'email', 'name']).where('email', '=', email).where('disabled_at', 'is', null).execute();
      if (users.length === 0) throw notFound(`user ${email}`);
      if (users.length > 1) throw new AppError(409, 'ambiguous', `${email} exists in several tenants`);
      return users[0]!;
    };

    // The token travels in the fragment, which browsers never send to a server or its logs.
    app.get(
      '/dev/taskpane',
      {
        config: { access: 'public' },
        schema: { tags: ['dev'], summary: 'Dev mode only, loopback only: open the task pane page signed in as a user', querystring: DevUserQuery },
      },
      async (request, reply) => {
        const user = await devUser(request.ip, request.headers.host, request.query.email);
        const token = await devSigner.sign({ tenantId: user.tenant_id, userId: user.id, email: user.email });
        return reply.redirect(`/addin/taskpane.html#token=${encodeURIComponent(token)}`);
      },
    );

    // The playground: the real task pane and event handlers beside a simulated Outlook item
    // (docs/outlook.md). Dev mode and loopback only, like the token it carries.
    app.get(
      '/dev/playground',
      {
        config: { access: 'public' },
        schema: { tags: ['dev'], summary: 'Dev mode only, loopback only: the Outlook playground (real task pane, simulated Outlook) signed in as a user', querystring: DevUserQuery },
      },
      async (request, reply) => {
        const user = await devUser(request.ip, request.headers.host, request.query.email);
        const token = await devSigner.sign({ tenantId: user.tenant_id, userId: user.id, email: user.email });
        // The name too: the simulated Outlook window shows From as Outlook would ("Linda Chen <linda@…>").
        const fragment = new URLSearchParams({ token, email: user.email, name: user.name });
        return reply.redirect(`/addin/playground.html#${fragment.toString()}`);
      },
    );

    // The playground's shared mailbox (docs/outlook.md): the demo team inbox's mail, seeded once in the user's tenant.
    app.post(
      '/dev/team-demo',
      {
        config: { access: 'public' },
        schema: { tags: ['dev'], summary: 'Dev mode only, loopback only: the demo team inbox (info@ of the user\'s domain) with one inquiry, as the Outlook playground opens it', querystring: DevUserQuery, response: { 200: DevTeamItem } },
      },
      async (request) => {
        const user = await devUser(request.ip, request.headers.host, request.query.email);
        return seedTeamDemo(new TenantDb(store.db, user.tenant_id), user, new Date());
      },
    );

    app.get(
      '/dev/admin',
      {
        config: { access: 'public' },
        schema: { tags: ['dev'], summary: 'Dev mode only, loopback only: open the admin console signed in as a user', querystring: DevUserQuery },
      },
      async (request, reply) => {
        const user = await devUser(request.ip, request.headers.host, request.query.email);
        const token = await devSigner.sign({ tenantId: user.tenant_id, userId: user.id, email: user.email });
        return reply.redirect(`/admin#token=${encodeURIComponent(token)}`);
      },
    );

    app.get(
      '/dev/token',
      {
        config: { access: 'public' },
        schema: { tags: ['dev'], summary: 'Dev mode only, loopback only: a signed token for a user of any tenant', querystring: DevUserQuery, response: { 200: DevToken } },
      },
      async (request) => {
        const user = await devUser(request.ip, request.headers.host, request.query.email);
        return { token: await devSigner.sign({ tenantId: user.tenant_id, userId: user.id, email: user.email }), email: user.email, expiresInSeconds: 12 * 3600 };
      },
    );
  }
};
