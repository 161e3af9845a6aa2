import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId, nowIso, TenantDb } from '../db/tenant-db.js';
import type { Database, DocumentRow } from '../db/tables.js';
import { AppError, badRequest, notFound, unprocessable } from '../errors.js';
import type { PackTemplate } from '../../core/pack/schema.js';
import { applyFieldDefaults, checkFieldValues } from '../../core/template/index.js';
import {
  DOCUMENT_LANGUAGES,
  DOCUMENT_PREFIX,
  documentLanguageOf,
  documentInputFromTemplate,
  documentNumber,
  DocumentInputError,
  itemColumnsOf,
  type ItemColumns,
  layoutDocument,
  type DocumentBankAccount,
  type DocumentInput,
  type DocumentKind,
  type DocumentLanguage,
} from '../../core/documents/index.js';
import { isoDateIn } from '../../core/template/values.js';
import { publishedPacks } from './packs.js';
import { getCompanyProfile } from './company-profile.js';
import { recipientOf } from './customers.js';
import { DOCUMENT_LAYOUT_VERSION, renderDocumentInline, type DocumentRenderer } from '../documents/task.js';
import type { CreateDocumentRequest, DocumentView } from '../../contract/documents.js';

/**
 * Quotations and proforma invoices (docs/documents.md): drawn from a pack template's typed fields,
 * numbered per company, kind and year without gaps, stored with the data they were drawn from.
 */

/** The company's official details and accounts (the admin's company profile). */
export interface CompanyProfileLike {
  legalName?: string | null;
  address?: string | null;
  phone?: string | null;
  email?: string | null;
  website?: string | null;
  taxId?: string | null;
  bankAccounts: DocumentBankAccount[];
}

/** Where the official profile comes from: services/company-profile.ts (tests may stand in). */
export type ProfileSource = (tdb: TenantDb) => Promise<CompanyProfileLike | undefined>;

export interface DocumentDeps {
  draw?: DocumentRenderer | undefined;
  profile?: ProfileSource | undefined;
  now?: () => Date;
}

export interface CreatedDocumentResult {
  document: DocumentView;
  pdf: Uint8Array;
}


function itemColumns(template: PackTemplate): ItemColumns {
  const columns = itemColumnsOf(template);
  if (columns) return columns;
  throw unprocessable(
    'not_a_document_template',
    `template "${template.id}" has no item lines: a document needs a field of type lines with a text (item), a number (quantity) and a money (unit price) column`,
  );
}

function toDocumentKind(kind: string): DocumentKind {
  if (kind === 'proforma' || kind === 'quotation') return kind;
  throw badRequest(`kind must be proforma or quotation; got "${kind}"`, [{ path: 'kind', message: 'proforma | quotation' }]);
}

/**
 * Takes the next number of `kind` in `year` for the tenant: one statement that inserts 1 or adds 1
 * and returns the result, row-locked on PostgreSQL and serialised by SQLite's write lock. Run it in
 * the transaction that stores the document: if that rolls back, so does the number.
 */
export async function nextSequence(tdb: TenantDb, kind: DocumentKind, year: number): Promise<number> {
  const row = await tdb.executor
    .insertInto('document_sequences')
    .values({ tenant_id: tdb.tenantId, kind, year, last_value: 1 })
    .onConflict((oc) => oc.columns(['tenant_id', 'kind', 'year']).doUpdateSet((eb) => ({ last_value: eb('document_sequences.last_value', '+', 1) })))
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return Number(row.last_value);
}

function viewOf(row: DocumentRow, total: string): DocumentView {
  return {
    id: row.id,
    kind: row.kind as DocumentKind,
    number: row.number,
    language: row.language,
    currency: row.currency,
    total,
    totalMinor: row.total_minor,
    fileName: `${row.number}.pdf`,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

async function draw(deps: DocumentDeps, input: DocumentInput, createdAt: string): Promise<Uint8Array> {
  const result = await (deps.draw ?? renderDocumentInline)({ input, title: `${input.number} ${input.seller.name}`, createdAt, author: input.seller.name });
  if (!result.ok) throw unprocessable(result.code, result.message, result.details);
  return result.pdf;
}

/** Builds the document's data from a template's fields and what the store knows; nothing is stored. */
export async function documentInputFor(
  tdb: TenantDb,
  userId: string,
  request: CreateDocumentRequest,
  deps: DocumentDeps,
): Promise<{ input: DocumentInput; pack: string; packVersion: number; template: string }> {
  const kind = toDocumentKind(request.kind);
  const pack = (await publishedPacks(tdb, userId)).find((p) => p.pack === request.pack);
  const template = pack?.document.templates?.find((t) => t.id === request.template);
  // Documents come from the company's packs only: a rep's personal template does not issue invoices.
  if (!pack || !template) throw notFound(`template "${request.template}" in "${request.pack}" (among the templates published to you)`);
  const columns = itemColumns(template);
  const now = (deps.now ?? (() => new Date()))();
  const user = await tdb.selectFrom('users').select(['time_zone', 'email', 'name']).where('id', '=', userId).executeTakeFirstOrThrow();
  const timeZone = user.time_zone ?? 'UTC';
  const { values, errors } = checkFieldValues(template, applyFieldDefaults(template, request.fields, { now, timeZone }));
  if (errors.length > 0) throw badRequest(`the fields have ${errors.length} problem${errors.length === 1 ? '' : 's'}`, errors.map((e) => ({ path: `fields.${e.field}`, message: e.message })));

  const { contact, customer } = request.to ? await recipientOf(tdb, request.to) : { contact: undefined, customer: undefined };
  const wanted = request.language ?? contact?.language ?? pack.document.defaultLanguage;
  const language: DocumentLanguage | undefined = documentLanguageOf(wanted);
  if (!language) {
    throw badRequest(`documents are written in ${DOCUMENT_LANGUAGES.join(', ')}; "${wanted}" is not one of them`, [{ path: 'language', message: `one of ${DOCUMENT_LANGUAGES.join(', ')}` }]);
  }

  const profile: CompanyProfileLike = (await (deps.profile ?? getCompanyProfile)(tdb)) ?? { bankAccounts: [] };
  const tenant = await tdb.executor.selectFrom('tenants').select('name').where('id', '=', tdb.tenantId).executeTakeFirst();
  const issueDate = isoDateIn(now, timeZone);
  const input = documentInputFromTemplate({
    kind,
    language,
    number: documentNumber(kind, Number(issueDate.slice(0, 4)), 0),
    issueDate,
    columns,
    values,
    company: pack.document.company,
    profile: { ...profile, legalName: profile.legalName || tenant?.name },
    buyer: {
      company: request.buyer?.company ?? customer?.name,
      contact: request.buyer?.contact ?? (contact ? [contact.first_name, contact.last_name].filter(Boolean).join(' ') || undefined : undefined),
      address: request.buyer?.address,
      email: request.buyer?.email ?? request.to,
    },
  });
  return { input, pack: pack.pack, packVersion: pack.version, template: template.id };
}

function checkLayout(input: DocumentInput): string {
  try {
    return layoutDocument(input).total.value;
  } catch (error) {
    if (error instanceof DocumentInputError) throw unprocessable('invalid_document', `the document cannot be made: ${error.message}`, error.problems.map((p) => ({ path: p.path, message: p.message })));
    throw error;
  }
}

/**
 * Makes a document: checks everything first (so a number is only taken for a document that can
 * be drawn), takes the next number and stores the document in one short transaction, then draws
 * the PDF off the event loop. The stored row is the document of record; its PDF can always be
 * drawn again from it (`documentPdf`).
 */
export async function createDocument(tdb: TenantDb, userId: string, request: CreateDocumentRequest, deps: DocumentDeps = {}): Promise<CreatedDocumentResult> {
  const built = await documentInputFor(tdb, userId, request, deps);
  checkLayout(built.input);
  const year = Number(built.input.issueDate.slice(0, 4));
  const createdAt = nowIso();
  const row = await tdb.transaction(async (t) => {
    const sequence = await nextSequence(t, built.input.kind, year);
    const input = { ...built.input, number: documentNumber(built.input.kind, year, sequence) };
    const layout = layoutDocument(input);
    const values: DocumentRow = {
      id: newId(),
      tenant_id: t.tenantId,
      kind: input.kind,
      number: input.number,
      year,
      sequence,
      language: input.language,
      layout_version: DOCUMENT_LAYOUT_VERSION,
      pack: built.pack,
      pack_version: built.packVersion,
      template_id: built.template,
      data: JSON.stringify(input),
      total_minor: layout.totalMinor,
      currency: layout.currency,
      sha256: null,
      byte_size: null,
      created_by: userId,
      created_at: createdAt,
    };
    const { tenant_id: _tenant, ...rest } = values;
    await t.insert('documents', rest);
    return values;
  });
  const input = JSON.parse(row.data) as DocumentInput;
  const pdf = await draw(deps, input, row.created_at);
  await tdb.updateTable('documents', { sha256: sha256(pdf), byte_size: pdf.byteLength }).where('id', '=', row.id).execute();
  return { document: viewOf(row, checkLayout(input)), pdf };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A stored document's PDF, drawn again from its data: the same bytes as when it was made. */
export async function documentPdf(tdb: TenantDb, id: string, deps: DocumentDeps = {}): Promise<{ document: DocumentView; pdf: Uint8Array }> {
  const row = await tdb.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`document ${id}`);
  if (row.layout_version !== DOCUMENT_LAYOUT_VERSION) {
    throw new AppError(409, 'layout_changed', `document ${row.number} was drawn with layout version ${row.layout_version}; this store draws version ${DOCUMENT_LAYOUT_VERSION}`);
  }
  const input = JSON.parse(row.data) as DocumentInput;
  const pdf = await draw(deps, input, row.created_at);
  return { document: viewOf(row, checkLayout(input)), pdf };
}

export async function listDocuments(tdb: TenantDb, options: { limit?: number } = {}): Promise<DocumentView[]> {
  const rows = await tdb.selectFrom('documents').selectAll().orderBy('created_at', 'desc').orderBy('number', 'desc').limit(options.limit ?? 50).execute();
  const ids = rows.map((r) => r.id);
  const links = ids.length ? await tdb.selectFrom('document_links').select(['document_id', 'open_count', 'first_opened_at', 'last_opened_at']).where('document_id', 'in', ids).execute() : [];
  return rows.map((row) => {
    const view = viewOf(row, checkLayout(JSON.parse(row.data) as DocumentInput));
    const mine = links.filter((l) => l.document_id === row.id);
    return mine.length ? { ...view, link: linkStats(mine) } : view;
  });
}

// ---- links instead of attachments (migration 015) ------------------------------------------------

/** Where the store serves a document by its link (outside /api/v1: the buyer has no account). */
export const DOCUMENT_LINK_PATH = '/doc';
/** 32 random bytes, base64url: what the link carries. */
const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Several links to one document (the rep made the link twice) count together. */
function linkStats(rows: { open_count: number; first_opened_at: string | null; last_opened_at: string | null }[]): NonNullable<DocumentView['link']> {
  const firsts = rows.map((r) => r.first_opened_at).filter((x): x is string => x !== null).sort();
  const lasts = rows.map((r) => r.last_opened_at).filter((x): x is string => x !== null).sort();
  return { opens: rows.reduce((n, r) => n + Number(r.open_count), 0), firstOpenedAt: firsts[0] ?? null, lastOpenedAt: lasts[lasts.length - 1] ?? null };
}

/**
 * A link to one of the tenant's documents for a buyer who has no account: an unguessable token
 * (256 bits) of which only the SHA-256 is stored. Answers the token; the caller builds the URL.
 */
export async function createDocumentLink(tdb: TenantDb, userId: string, documentId: string, now: Date = new Date()): Promise<string> {
  const row = await tdb.selectFrom('documents').select('id').where('id', '=', documentId).executeTakeFirst();
  if (!row) throw notFound(`document ${documentId}`);
  const token = randomBytes(32).toString('base64url');
  await tdb.insert('document_links', { token_hash: tokenHash(token), document_id: documentId, created_by: userId, created_at: now.toISOString() });
  return token;
}

/**
 * The document behind a link, its opening counted (first, last, how often) unless `count` is
 * false (a HEAD request). The token alone names the tenant: the lookup is by its hash across
 * tenants, and the document is then read in that tenant only. Unknown token → 404.
 */
export async function openDocumentLink(db: Kysely<Database>, token: string, deps: DocumentDeps & { count?: boolean } = {}): Promise<{ document: DocumentView; pdf: Uint8Array }> {
  if (!LINK_TOKEN.test(token)) throw notFound('document link');
  const hash = tokenHash(token);
  const link = await db.selectFrom('document_links').select(['tenant_id', 'document_id']).where('token_hash', '=', hash).executeTakeFirst();
  if (!link) throw notFound('document link');
  const tdb = new TenantDb(db, link.tenant_id);
  const found = await documentPdf(tdb, link.document_id, deps);
  if (deps.count !== false) {
    const at = (deps.now ?? (() => new Date()))().toISOString();
    await tdb
      .updateTable('document_links', { last_opened_at: at })
      .set((eb) => ({ open_count: eb('open_count', '+', 1), first_opened_at: eb.fn.coalesce('first_opened_at', eb.val(at)) }))
      .where('token_hash', '=', hash)
      .execute();
  }
  return found;
}

export { DOCUMENT_PREFIX };
