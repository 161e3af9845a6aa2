/**
 * Who may do what. A user's role grants permissions; an API key carries scopes, and acts with
 * the permissions that are both in its scopes and granted by its owner's role today (so demoting
 * the owner also narrows every key they made).
 */

export const ROLES = ['rep', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'packs:read', // the packs published to me
  'packs:write', // push, publish, roll back and export any pack of the tenant
  'templates:personal', // my own personal templates
  'people:read', // list users and groups
  'people:write', // add and change users and groups
  'keys:manage', // create and revoke API keys
  'audit:read', // read the audit log
  'crm:read',
  'crm:write',
  'sends:write', // schedule and cancel my sends
  'company:write', // the company's official profile and bank accounts
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const REP_PERMISSIONS: readonly Permission[] = ['packs:read', 'templates:personal', 'crm:read', 'crm:write', 'sends:write'];

export function permissionsOfRole(role: Role): ReadonlySet<Permission> {
  return new Set(role === 'admin' ? PERMISSIONS : REP_PERMISSIONS);
}

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The permissions an API key acts with now. */
export function effectiveKeyPermissions(ownerRole: Role, scopes: readonly string[]): ReadonlySet<Permission> {
  const granted = permissionsOfRole(ownerRole);
  return new Set(scopes.filter(isPermission).filter((s) => granted.has(s)));
}
