import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { TenantDb } from '../db/tenant-db.js';
import type { Actor } from '../auth/principal.js';
import { PERMISSIONS } from '../../core/access/permissions.js';
import { createTenant } from '../services/tenants.js';
import { addUser, createGroup } from '../services/people.js';
import { pushPack } from '../services/packs.js';
import { setCompanyProfile } from '../services/company-profile.js';

export const DEMO_TENANT = 'demo';
export const DEMO_ADMIN = 'admin@demo.tradepane.test';
export const DEMO_REP = 'rep@demo.tradepane.test';

/** Creates the demo tenant, its admin, rep, groups and pack, once. Returns false when it already exists. */
export async function seedDemo(db: Kysely<Database>): Promise<boolean> {
  const exists = await db.selectFrom('tenants').select('id').where('slug', '=', DEMO_TENANT).executeTakeFirst();
  if (exists) return false;
  await db.transaction().execute(async (trx) => {
    const tenant = await createTenant(trx, { slug: DEMO_TENANT, name: 'Demo Export Co.' });
    const tdb = new TenantDb(trx, tenant.id);
    const seeder: Actor = { tenantId: tenant.id, userId: null, role: 'admin', permissions: new Set(PERMISSIONS), label: 'demo seed' };
    await createGroup(tdb, seeder, { slug: 'sales-eu', name: 'Sales Europe' });
    await createGroup(tdb, seeder, { slug: 'sales-me', name: 'Sales Middle East' });
    await addUser(tdb, seeder, { email: DEMO_ADMIN, name: 'Ada Admin', role: 'admin', title: 'IT Administrator', locale: 'en' });
    await addUser(tdb, seeder, {
      email: DEMO_REP,
      name: 'Li Wei',
      role: 'rep',
      title: 'Export Sales Manager',
      phone: '+86 574 8888 0000',
      mobile: '+86 138 0000 0000',
      wechat: 'liwei-demo',
      department: 'Export Sales',
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      groups: ['sales-eu', 'sales-me'],
    });
    const source = readFileSync(new URL('./demo-pack.yaml', import.meta.url), 'utf8');
    await pushPack(tdb, seeder, source, 'demo-pack.yaml');
    // The official account the payment template inserts (the standard example IBAN: demo only).
    await setCompanyProfile(tdb, seeder, {
      legalName: 'Demo Export Co.',
      phone: '+86 574 0000 0000',
      bankAccounts: [{ label: 'USD', beneficiary: 'Demo Export Co.', bankName: 'Demo Bank', iban: 'DE89 3704 0044 0532 0130 00', swift: 'DEUTDEFF', currency: 'USD' }],
    });
  });
  return true;
}
