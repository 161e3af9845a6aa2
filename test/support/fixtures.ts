import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import type { Store } from '../../src/server/db/connect.js';
import { TenantDb } from '../../src/server/db/tenant-db.js';
import type { Actor } from '../../src/server/auth/principal.js';
import { PERMISSIONS, type Permission } from '../../src/core/access/permissions.js';
import { createTenant } from '../../src/server/services/tenants.js';
import { addUser, createGroup } from '../../src/server/services/people.js';
import { createApiKey } from '../../src/server/services/api-keys.js';
import { pushPack } from '../../src/server/services/packs.js';
import { createCustomer } from '../../src/server/services/customers.js';

export function testConfig(overrides: Partial<Config> = {}): Config {
  // Renders get a minute: the suites drawing PDFs run beside Chromium and the builds on two cores,
  // where a first document can take over the 5 s production limit (the limit has its own tests).
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RENDER_TIMEOUT_MS: '60000' }, { port: 0, instanceId: 'test-instance', ...overrides });
}

export async function testApp(store: Store, overrides: Partial<Config> = {}, extra: Partial<Parameters<typeof buildApp>[0]> = {}): Promise<FastifyInstance> {
  return buildApp({ config: testConfig(overrides), store, logger: false, ...extra });
}

export function operator(tenantId: string): Actor {
  return { tenantId, userId: null, role: 'admin', permissions: new Set(PERMISSIONS), label: 'test operator' };
}

export const packYaml = (slug: string, groups: string[], title = `Pack ${slug}`) => `pack: ${slug}
title: ${title}
groups: [${groups.map((g) => JSON.stringify(g)).join(', ')}]
defaultLanguage: en
templates:
  - id: hello
    kind: inquiry
    title: Hello
    variants:
      en: {subject: "Hello", body: "<p>Hello {{ contact.firstName }}</p>"}
`;

export interface SeededTenant {
  tenantId: string;
  slug: string;
  tdb: TenantDb;
  admin: { id: string; email: string; key: string };
  rep: { id: string; email: string; key: string };
  groupId: string;
  groupSlug: string;
  packSlug: string;
  customerId: string;
}

/** A tenant with an admin, a rep in one group, a pack published to it and an API key for each user. */
export async function seedTenant(store: Store, slug: string, repScopes: Permission[] = ['packs:read', 'templates:personal', 'crm:read', 'crm:write']): Promise<SeededTenant> {
  const tenant = await createTenant(store.db, { slug, name: `Tenant ${slug}` });
  const tdb = new TenantDb(store.db, tenant.id);
  const op = operator(tenant.id);
  const groupSlug = `${slug}-sales`;
  const group = await createGroup(tdb, op, { slug: groupSlug });
  const admin = await addUser(tdb, op, { email: `admin@${slug}.test`, name: `Admin ${slug}`, role: 'admin' });
  const rep = await addUser(tdb, op, { email: `rep@${slug}.test`, name: `Rep ${slug}`, groups: [groupSlug] });
  const packSlug = `${slug}-pack`;
  await pushPack(tdb, op, packYaml(packSlug, [groupSlug]));
  const adminKey = await createApiKey(tdb, op, { userEmail: admin.email, name: 'admin key', scopes: [...PERMISSIONS] });
  const repKey = await createApiKey(tdb, op, { userEmail: rep.email, name: 'rep key', scopes: repScopes });
  const customer = await createCustomer(tdb, op, { name: `Customer of ${slug}`, domains: [`buyer-of-${slug}.de`], country: 'DE' });
  return {
    tenantId: tenant.id,
    slug,
    tdb,
    admin: { id: admin.id, email: admin.email, key: adminKey.key },
    rep: { id: rep.id, email: rep.email, key: repKey.key },
    groupId: group.id,
    groupSlug,
    packSlug,
    customerId: customer.id,
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
