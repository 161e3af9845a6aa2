import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The web team inbox page at /inbox (the webpack-built inbox.html; scripts from /addin/). It signs
 * in like the console (its public settings at /admin/sign-in.json); everything it shows comes from
 * the API, where each route checks the rep works the inbox.
 */
export const inboxPageRoutes: FastifyPluginAsync<{ addinDir: string }> = async (app, { addinDir }) => {
  const page = async (_request: unknown, reply: FastifyReply) => {
    let html: string;
    try {
      html = await readFile(join(addinDir, 'inbox.html'), 'utf8');
    } catch {
      return reply.status(404).send({ error: { code: 'not_built', message: 'the team inbox is not built: run "npm run build"' } });
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('x-frame-options', 'DENY').header('referrer-policy', 'no-referrer').send(html);
  };
  app.get('/inbox', { config: { access: 'public' }, schema: { hide: true } }, page);
  app.get('/inbox/', { config: { access: 'public' }, schema: { hide: true } }, page);
};
