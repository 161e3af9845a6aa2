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
}
