import type { PackOutline } from '../../core/pack/outline.js';
import type { TenantDb } from '../db/tenant-db.js';
import { companyTexts } from './company-profile.js';
import { badRequest, notFound } from '../errors.js';
import { parsePackSource, type LocatedIssue, type SourceFormat } from '../../core/pack/source.js';
import type { PackDocument, PackField, PackTemplate } from '../../core/pack/schema.js';
import { localized, matchLanguage, type MissingValue } from '../../core/template/index.js';
import { renderInline, type Renderer } from '../render/render-task.js';
import { renderSignature } from '../../core/signature/index.js';
import { renderInputs, type ContactRecord, type CustomerRecord } from '../../core/compose/index.js';
import { recipientOf } from './customers.js';
import { repProfileOf } from './people.js';
import { packLimitError, sanitizedPack } from './packs.js';
import type { DraftCheck, SignaturePreview, TemplatePreview } from '../../contract/console.js';

export type { DraftCheck, SignaturePreview, TemplatePreview };

/**
 * What the admin console shows before anything is stored: a draft pack checked with the engine's
 * own messages at their line and column, and every template and signature of a draft (or of a
 * stored version) rendered as a chosen rep would get it — with sample values or a real customer's.
 */

function outlineOf(pack: PackDocument): PackOutline {
  const lang = pack.defaultLanguage;
  return {
    pack: pack.pack,
    title: pack.title,
    groups: pack.groups,
    defaultLanguage: lang,
    templates: (pack.templates ?? []).map((t) => ({
      id: t.id,
      kind: t.kind,
      title: localized(t.title, lang) ?? t.id,
      languages: Object.keys(t.variants),
      fields: (t.fields ?? []).map((f) => ({ name: f.name, type: f.type, required: f.required ?? false, label: localized(f.label, lang) ?? f.name })),
      locked: t.locked ?? false,
    })),
    signatures: (pack.signatures ?? []).map((s) => ({ id: s.id, title: localized(s.title, lang) ?? s.id, enforce: s.enforce ?? false })),
  };
}

/** Checks a draft exactly as a push would, without storing anything. */
export function checkDraft(source: string, fileName?: string): DraftCheck {
  const parsed = parsePackSource(source, fileName);
  if (!parsed.ok && parsed.limit) throw packLimitError(parsed);
  if (!parsed.ok) return { ok: false, format: parsed.format, issues: parsed.issues, outline: null };
  const { pack, removed } = sanitizedPack(parsed.pack);
  const issues = [...parsed.issues, ...removed.map(parsed.locate)];
  // Sanitising can leave a template that no longer parses: that fails the check as a push would.
  if (issues.some((i) => i.severity === 'error')) return { ok: false, format: parsed.format, issues, outline: null };
  return { ok: true, format: parsed.format, issues, outline: outlineOf(pack) };
}

/** Where the pack to preview comes from: the editor's draft, or a stored version (default: latest). */
export type PackRef = { source: string; fileName?: string | undefined } | { pack: string; version?: number | undefined };

async function loadPack(tdb: TenantDb, ref: PackRef): Promise<PackDocument> {
  if ('source' in ref) {
    const parsed = parsePackSource(ref.source, ref.fileName);
    if (!parsed.ok && parsed.limit) throw packLimitError(parsed);
    if (!parsed.ok) {
      const first = parsed.issues.find((i) => i.severity === 'error');
      throw badRequest(`the draft has errors; fix them before previewing (${first ? `${first.path}: ${first.message}` : 'invalid'})`, [{ path: 'source', message: 'invalid pack' }]);
    }
    const { pack, removed } = sanitizedPack(parsed.pack);
    const broken = removed.find((i) => i.severity === 'error');
    if (broken) throw badRequest(`the draft has errors; fix them before previewing (${broken.path}: ${broken.message})`, [{ path: 'source', message: 'invalid pack' }]);
    return pack;
  }
  let q = tdb
    .selectFrom('pack_versions')
    .innerJoin('packs', (j) => j.onRef('packs.id', '=', 'pack_versions.pack_id').onRef('packs.tenant_id', '=', 'pack_versions.tenant_id'))
    .select(['pack_versions.document'])
    .where('packs.slug', '=', ref.pack);
  q = ref.version !== undefined ? q.where('pack_versions.version', '=', ref.version) : q.orderBy('pack_versions.version', 'desc').limit(1);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound(ref.version !== undefined ? `version ${ref.version} of pack "${ref.pack}"` : `pack "${ref.pack}"`);
  return JSON.parse(row.document) as PackDocument;
}

/** A plausible value for a field, so a preview shows every part of the template filled in. */
export function sampleValue(field: Pick<PackField, 'type' | 'options' | 'currency' | 'columns' | 'default' | 'name'>, today: string): unknown {
  if (field.default !== undefined && field.type !== 'date') return field.default;
  switch (field.type) {
    case 'number':
      return 500;
    case 'money':
      return { amount: 12500, currency: field.currency ?? 'USD' };
    case 'date':
      return today;
    case 'choice':
      return field.options?.[0] ?? 'option';
    case 'email':
      return 'buyer@example.com';
    case 'url':
      return 'https://example.com/catalogue';
    case 'lines':
      return [1, 2].map((n) =>
        Object.fromEntries(
          (field.columns ?? []).map((c) => [c.name, c.type === 'number' ? n * 100 : c.type === 'money' ? { amount: n * 4.5, currency: c.currency ?? field.currency ?? 'USD' } : c.type === 'date' ? today : `Sample ${c.name} ${n}`]),
        ),
      );
    case 'textarea':
      return `Sample ${field.name}\nsecond line`;
    default:
      return `Sample ${field.name}`;
  }
}

export interface TemplatePreviewRequest {
  ref: PackRef;
  template: string;
  language: string;
  /** Whose profile fills rep.* (default: the admin asking). */
  userId: string;
  /** A real recipient: their contact and customer records fill contact.* and customer.*; otherwise sample ones. */
  to?: string | undefined;
  fields?: Record<string, unknown> | undefined;
  now?: Date | undefined;
}

export async function previewTemplate(tdb: TenantDb, request: TemplatePreviewRequest, renderer: Renderer = renderInline): Promise<TemplatePreview> {
  const pack = await loadPack(tdb, request.ref);
  const template: PackTemplate | undefined = pack.templates?.find((t) => t.id === request.template);
  if (!template) throw notFound(`template "${request.template}" in pack "${pack.pack}"`);
  const language = matchLanguage(request.language, Object.keys(template.variants));
  if (!language) throw badRequest(`template "${template.id}" has no ${request.language} variant (has: ${Object.keys(template.variants).join(', ')})`, [{ path: 'language', message: 'no such variant' }]);
  const user = await tdb.selectFrom('users').selectAll().where('id', '=', request.userId).executeTakeFirst();
  if (!user) throw notFound('user');
  const now = request.now ?? new Date();
  const today = now.toISOString().slice(0, 10);
  const sampleFields = Object.fromEntries((template.fields ?? []).map((f) => [f.name, sampleValue(f, today)]));
  const fields = { ...sampleFields, ...(request.fields ?? {}) };
  // Sample people unless a real recipient is named; assembled as every render is (core/compose).
  let contact: ContactRecord = { firstName: 'Maria', lastName: 'García', email: 'maria.garcia@example.com' };
  let customer: CustomerRecord = { name: 'Example Trading S.L.', country: 'ES' };
  if (request.to) {
    const found = await recipientOf(tdb, request.to);
    if (!found.contact && !found.customer) throw notFound(`a contact or customer for ${request.to}`);
    contact = { firstName: found.contact?.first_name, lastName: found.contact?.last_name, email: found.contact?.email };
    customer = { name: found.customer?.name, country: found.customer?.country };
  }
  const result = await renderer({
    template,
    language,
    context: renderInputs({ rep: repProfileOf(user), company: await companyTexts(tdb), to: request.to, contact, customer, fields }),
    options: { now, ...(user.time_zone ? { timeZone: user.time_zone } : {}) },
  });
  const data = request.to ? 'customer' : 'sample';
  if (!result.ok) return { language: result.language, subject: '', html: '', text: '', missing: result.missing, data };
  return { language: result.language, subject: result.subject, html: result.html, text: result.text, missing: [], data };
}

/** A signature rendered from one rep's profile, as Outlook and Gmail would get it. */
export async function previewSignature(tdb: TenantDb, ref: PackRef, signatureId: string, userId: string): Promise<SignaturePreview> {
  const pack = await loadPack(tdb, ref);
  const signature = pack.signatures?.find((s) => s.id === signatureId);
  if (!signature) throw notFound(`signature "${signatureId}" in pack "${pack.pack}"`);
  const user = await tdb.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound('user');
  const tenant = await tdb.executor.selectFrom('tenants').select('name').where('id', '=', tdb.tenantId).executeTakeFirst();
  const rendered = renderSignature(signature, repProfileOf(user), { name: tenant?.name ?? null });
  return { signature: signature.id, html: rendered.html, text: rendered.text, hash: rendered.hash, removed: rendered.removed };
}
