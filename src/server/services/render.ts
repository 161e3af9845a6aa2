import type { TenantDb } from '../db/tenant-db.js';
import { AppError, badRequest, notFound } from '../errors.js';
import type { PackTemplate } from '../../core/pack/schema.js';
import { chooseVariant, matchLanguage, type MissingValue } from '../../core/template/index.js';
import { renderInline, type Renderer } from '../render/render-task.js';
import { recipientOf } from './customers.js';
import { repProfileOf } from './people.js';
import { publishedPacks } from './packs.js';
import { listPersonalTemplates, PERSONAL } from './personal-templates.js';

export interface RenderRequest {
  pack: string;
  template: string;
  /** The rep's pick; otherwise the contact's language, then the customer's country's, then the pack's default. */
  language?: string | undefined;
  fields?: Record<string, unknown> | undefined;
  /** The recipient: their contact and company records fill contact.* and customer.*. */
  to?: string | undefined;
  now?: Date | undefined;
}

export interface Rendered {
  language: string;
  reason: string;
  subject: string;
  html: string;
  text: string;
}

async function findTemplate(tdb: TenantDb, userId: string, packSlug: string, templateId: string): Promise<{ template: PackTemplate; defaultLanguage: string }> {
  if (packSlug === PERSONAL) {
    const own = (await listPersonalTemplates(tdb, userId)).find((p) => p.template.id === templateId);
    if (own) return { template: own.template, defaultLanguage: Object.keys(own.template.variants)[0] ?? 'en' };
  } else {
    const pack = (await publishedPacks(tdb, userId)).find((p) => p.pack === packSlug);
    const template = pack?.document.templates?.find((t) => t.id === templateId);
    if (pack && template) return { template, defaultLanguage: pack.document.defaultLanguage };
  }
  throw notFound(`template "${templateId}" in "${packSlug}" (among the templates published to you)`);
}

/**
 * Renders a template for a rep, with everything the store knows: their profile (rep.*), their
 * company (company.name), the recipient's contact and customer records. Missing values answer
 * 422 with the list the UI shows; nothing is sent blank.
 */
export async function renderForRep(tdb: TenantDb, userId: string, request: RenderRequest, renderer: Renderer = renderInline): Promise<Rendered> {
  const { template, defaultLanguage } = await findTemplate(tdb, userId, request.pack, request.template);
  const user = await tdb.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  const tenant = await tdb.executor.selectFrom('tenants').select('name').where('id', '=', tdb.tenantId).executeTakeFirst();
  const { contact, customer } = request.to ? await recipientOf(tdb, request.to) : { contact: undefined, customer: undefined };

  // A language the rep picks for this mail wins; otherwise contact → customer's country → the
  // rep's own language → the pack's default.
  let choice: { language: string; reason: string };
  if (request.language) {
    const picked = matchLanguage(request.language, Object.keys(template.variants));
    if (!picked) throw badRequest(`the template has no ${request.language} variant (has: ${Object.keys(template.variants).join(', ')})`, [{ path: 'language', message: 'no such variant' }]);
    choice = { language: picked, reason: `chosen by you (${picked})` };
  } else {
    choice = chooseVariant(template, {
      contactLanguage: contact?.language ?? undefined,
      customerCountry: customer?.country ?? undefined,
      repPick: user.locale ?? undefined,
      packDefault: defaultLanguage,
    });
  }
  const result = await renderer({
    template,
    language: choice.language,
    context: {
      rep: repProfileOf(user),
      company: { name: tenant?.name ?? null },
      contact: { firstName: contact?.first_name, lastName: contact?.last_name, email: contact?.email ?? request.to },
      customer: { company: customer?.name, country: customer?.country },
      fields: request.fields ?? {},
    },
    options: { ...(request.now ? { now: request.now } : {}), ...(user.time_zone ? { timeZone: user.time_zone } : {}) },
  });
  if (!result.ok) throw missingValues(result.missing);
  // The renderer returns the HTML sanitised (render-task.ts).
  return { language: result.language, reason: choice.reason, subject: result.subject, html: result.html, text: result.text };
}

export function missingValues(missing: MissingValue[]): AppError {
  return new AppError(
    422,
    'missing_values',
    `cannot insert yet: ${missing.map((m) => m.label ?? m.name).join(', ')} ${missing.length === 1 ? 'has' : 'have'} no value`,
    missing.map((m) => ({ path: m.name, message: m.reason, where: m.where, ...(m.label ? { label: m.label } : {}) })),
  );
}
