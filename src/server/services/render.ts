import type { TenantDb } from '../db/tenant-db.js';
import { companyTexts } from './company-profile.js';
import { AppError, badRequest, notFound } from '../errors.js';
import type { PackTemplate } from '../../core/pack/schema.js';
import { matchLanguage, type MissingValue } from '../../core/template/index.js';
import { renderInline, type Renderer } from '../render/render-task.js';
import { chooseLanguage, describeLanguageChoice, renderInputs, type LanguageReason, type LanguageSource } from '../../core/compose/index.js';
import { detectBuyerLanguage } from './language-detect.js';
import { recipientOf } from './customers.js';
import { repProfileOf } from './people.js';
import { publishedPacks } from './packs.js';
import { listPersonalTemplates, PERSONAL } from './personal-templates.js';
import type { Rendered } from '../../contract/me.js';

export interface RenderRequest {
  pack: string;
  template: string;
  /** The rep's pick for this mail; otherwise the compose core's chain (core/compose/language.ts). Never the rep's UI language. */
  language?: string | undefined;
  /** The buyer's own last message in the thread (plain text): the language they wrote in comes next after the rep's pick. */
  inbound?: string | undefined;
  fields?: Record<string, unknown> | undefined;
  /** The recipient: their contact and company records fill contact.* and customer.*. */
  to?: string | undefined;
  now?: Date | undefined;
}

export type { Rendered };

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
  const found = await findTemplate(tdb, userId, request.pack, request.template);
  const user = await tdb.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  return renderFound(tdb, found, { rep: repProfileOf(user), timeZone: user.time_zone }, request, renderer);
}

/**
 * Renders a template already found, as `rep` (a rep's profile; the team inbox passes the role
 * address's own "rep" for its acknowledgement), with the same language chain and recipient records
 * as renderForRep. `buyerLanguage` is a language already detected (the sync's), used when there is
 * no `inbound` text to detect from.
 */
export async function renderFound(
  tdb: TenantDb,
  found: { template: PackTemplate; defaultLanguage: string },
  as: { rep: Record<string, string | null | undefined>; timeZone: string | null },
  request: Omit<RenderRequest, 'pack' | 'template'> & { buyerLanguage?: string | null | undefined },
  renderer: Renderer = renderInline,
): Promise<Rendered> {
  const { template, defaultLanguage } = found;
  const { contact, customer } = request.to ? await recipientOf(tdb, request.to) : { contact: undefined, customer: undefined };

  const variants = Object.keys(template.variants);
  // An explicit pick of a language the template lacks is a mistake to report, not to paper over.
  if (request.language && !matchLanguage(request.language, variants)) {
    throw badRequest(`the template has no ${request.language} variant (has: ${variants.join(', ')})`, [{ path: 'language', message: 'no such variant' }]);
  }
  const choice = chooseLanguage(variants, {
    repPick: request.language,
    buyerWrote: (await detectBuyerLanguage(request.inbound)) ?? request.buyerLanguage ?? undefined,
    contactLanguage: contact?.language,
    customerCountry: customer?.country,
    recipient: request.to,
    packDefault: defaultLanguage,
  });
  const result = await renderer({
    template,
    language: choice.language,
    context: renderInputs({
      rep: as.rep,
      company: await companyTexts(tdb),
      to: request.to,
      contact: contact ? { firstName: contact.first_name, lastName: contact.last_name, email: contact.email } : undefined,
      customer: customer ? { name: customer.name, country: customer.country } : undefined,
      fields: request.fields ?? {},
    }),
    options: { ...(request.now ? { now: request.now } : {}), ...(as.timeZone ? { timeZone: as.timeZone } : {}) },
  });
  if (!result.ok) throw missingValues(result.missing);
  // The renderer returns the HTML sanitised (render-task.ts).
  return { language: result.language, reason: describeLanguageChoice(choice.reason), source: choice.source, why: choice.reason, subject: result.subject, html: result.html, text: result.text };
}

export function missingValues(missing: MissingValue[]): AppError {
  return new AppError(
    422,
    'missing_values',
    `cannot insert yet: ${missing.map((m) => m.label ?? m.name).join(', ')} ${missing.length === 1 ? 'has' : 'have'} no value`,
    missing.map((m) => ({ path: m.name, message: m.reason, where: m.where, ...(m.label ? { label: m.label } : {}) })),
  );
}
