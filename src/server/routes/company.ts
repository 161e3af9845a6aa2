import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { getCompanyProfileView, setCompanyProfile } from '../services/company-profile.js';
import { errorResponses } from '../../contract/common.js';
import { CompanyProfileInput, CompanyProfileView } from '../../contract/company.js';

/** The company's official profile and bank accounts (admins only). */
export const companyRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/admin/company-profile', { config: { access: 'company:write' }, schema: { tags: ['company'], summary: 'The company\'s official profile and bank accounts', response: { 200: CompanyProfileView, ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return getCompanyProfileView(tdb);
  });

  app.put(
    '/admin/company-profile',
    {
      config: { access: 'company:write' },
      schema: {
        tags: ['company'],
        summary: 'Replace the company\'s official profile; IBANs (checksum) and SWIFT/BIC codes are verified, each error names the field and the account',
        body: CompanyProfileInput,
        response: { 200: CompanyProfileView, ...errorResponses },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return setCompanyProfile(tdb, principal, request.body);
    },
  );
};
