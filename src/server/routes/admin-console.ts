import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SignInSettings } from '../../contract/console.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';

/**
 * The admin console page at /admin (the webpack-built admin.html; its scripts load from /addin/),
 * and the public sign-in settings the page needs to start Microsoft or Google sign-in. Everything
 * the console shows comes from the API, where every route checks the caller is an admin.
 */

export interface AdminConsoleOptions {
  addinDir: string;
  config: Config;
  devMode: boolean;
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * MS_AUDIENCE is the API's application ID URI (api://…/GUID) or its client id: the console signs
 * in with that same app registration (a single-page-application redirect URI /admin) and asks for
 * its access_as_user scope, so the token it gets is the one the store already verifies.
 */
export function microsoftSignIn(audience: string | undefined): { clientId: string; scopes: string[]; authority: string } | null {
  if (!audience) return null;
  const clientId = GUID.exec(audience)?.[0];
  if (!clientId) return null;
  const resource = audience.startsWith('api://') ? audience : `api://${audience}`;
  return { clientId, scopes: [`${resource}/access_as_user`], authority: 'https://login.microsoftonline.com/organizations' };
}

export const adminConsoleRoutes: FastifyPluginAsyncTypebox<AdminConsoleOptions> = async (app, { addinDir, config, devMode }) => {
  const page = async (_request: unknown, reply: import('fastify').FastifyReply) => {
    let html: string;
    try {
      html = await readFile(join(addinDir, 'admin.html'), 'utf8');
    } catch {
      return reply.status(404).send({ error: { code: 'not_built', message: 'the admin console is not built: run "npm run build"' } });
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      // The console is never framed (clickjacking) and never sends its URL (which may hold a dev token's fragment) elsewhere.
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .send(html);
  };
  app.get('/admin', { config: { access: 'public' }, schema: { hide: true } }, page);
  app.get('/admin/', { config: { access: 'public' }, schema: { hide: true } }, page);

  app.get(
    '/admin/sign-in.json',
    {
      config: { access: 'public' },
      schema: {
        tags: ['admin'],
        summary: 'Which sign-in the admin console offers (public settings only)',
        response: { 200: SignInSettings },
      },
    },
    async () => ({
      microsoft: microsoftSignIn(config.microsoft.audience),
      google: config.google.audience ? { clientId: config.google.audience } : null,
      dev: devMode,
    }),
  );
};
