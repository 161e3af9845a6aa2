import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { TenantDb } from '../db/tenant-db.js';
import { AppError, forbidden } from '../errors.js';
import { authenticate } from '../auth/authenticate.js';
import { FailureLimiter } from '../auth/failure-limiter.js';
import type { TokenVerifier } from '../auth/tokens.js';
import type { Principal } from '../auth/principal.js';
import type { Permission } from '../../core/access/permissions.js';

export type RouteAccess = Permission | 'authenticated' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every /api route says who may call it; registration fails if it does not. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The signed-in caller and their tenant's database door; only valid on authenticated routes. */
export function caller(request: FastifyRequest, db: Kysely<Database>): { principal: Principal; tdb: TenantDb } {
  const principal = request.principal;
  if (!principal) throw new Error('caller() used on a route without authentication');
  return { principal, tdb: new TenantDb(db, principal.tenantId) };
}

export function installAuth(app: FastifyInstance, db: Kysely<Database>, verifier: TokenVerifier, failureLimit: number): void {
  const limiter = new FailureLimiter(failureLimit);
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.config?.access) {
      throw new Error(`route ${String(route.method)} ${route.url} does not declare config.access`);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config?.access;
    if (!access || access === 'public') return;
    // Every credential is checked, even from an address over its failure limit: an office behind
    // one NAT shares an address, and a colleague's bad tokens must not lock out a valid one. Only
    // failures are throttled: past the limit they answer 429 instead of 401.
    try {
      request.principal = await authenticate(db, verifier, request.headers.authorization);
    } catch (error) {
      if (error instanceof AppError && error.status === 401) {
        const retryAfter = limiter.retryAfter(request.ip);
        limiter.recordFailure(request.ip);
        if (retryAfter > 0) {
          reply.header('retry-after', String(retryAfter));
          throw new AppError(429, 'too_many_failures', `too many failed sign-ins from this address; try again in ${retryAfter} s`);
        }
      }
      throw error;
    }
    if (access !== 'authenticated' && !request.principal.permissions.has(access)) {
      throw forbidden(`this needs the "${access}" permission${request.principal.via === 'api-key' ? ' (not in this API key\'s scopes)' : ''}`);
    }
  });
}
