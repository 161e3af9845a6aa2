import type { Permission, Role } from '../../core/access/permissions.js';

/** Who is acting, in which tenant, with which permissions. Every service call takes one. */
export interface Actor {
  tenantId: string;
  /** null for operator commands run on the store host (`tradepane …` without --as). */
  userId: string | null;
  role: Role;
  permissions: ReadonlySet<Permission>;
  /** How the actor appears in the audit log: an e-mail, or "api-key ci (alice@acme.com)". */
  label: string;
}

export type AuthMethod = 'api-key' | 'microsoft' | 'google' | 'dev';

export interface Principal extends Actor {
  userId: string;
  email: string;
  via: AuthMethod;
  apiKeyId?: string;
  /**
   * The tenant's `packs_view_version` read in the same query as the user, when the request was
   * authenticated (tokens and API keys): `GET /me/packs` revalidates with it instead of a second round
   * trip. Only ever from this request's own authentication — a principal kept across requests
   * must not carry it.
   */
  packsViewVersion?: number;
}
