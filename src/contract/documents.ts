import Type from 'typebox';
import { closed, nullableString } from './common.js';

/** Trade documents: quotations and proforma invoices as PDFs (`/api/v1/me/documents`; docs/documents.md). */

export const DocumentKind = Type.Enum(['proforma', 'quotation']);

export const CreateDocumentRequest = Type.Object(
  {
    kind: DocumentKind,
    /** The pack and template whose typed fields (lines, Incoterm, payment terms, validity) the document is drawn from. */
    pack: Type.String({ maxLength: 63 }),
    template: Type.String({ maxLength: 63 }),
    /** The buyer's language: en, es, zh, ar, de, fr (a regional tag such as zh-CN counts as its language). Default: the contact's, else the pack's. */
    language: Type.Optional(Type.String({ maxLength: 35 })),
    /** The recipient: their contact and company records fill the buyer block. */
    to: Type.Optional(Type.String({ maxLength: 254 })),
    /** The buyer block as the rep wants it printed, over what the store knows. */
    buyer: Type.Optional(
      Type.Object(
        {
          company: Type.Optional(Type.String({ maxLength: 200 })),
          contact: Type.Optional(Type.String({ maxLength: 200 })),
          address: Type.Optional(Type.String({ maxLength: 500 })),
          email: Type.Optional(Type.String({ maxLength: 254 })),
        },
        closed,
      ),
    ),
    fields: Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 100 }),
  },
  closed,
);

export const DocumentView = Type.Object({
  id: Type.String(),
  kind: DocumentKind,
  number: Type.String({ description: 'PI-2026-0001, Q-2026-0001: per company, kind and year, without gaps' }),
  language: Type.String(),
  currency: Type.String(),
  total: Type.String({ description: 'the total as printed' }),
  totalMinor: Type.String({ description: 'the total in minor units (cents), exact' }),
  fileName: Type.String(),
  createdAt: Type.String(),
  createdBy: nullableString,
  /** Sent as a link (the Gmail card's link, docs/documents.md): how often and when the buyer opened it. */
  link: Type.Optional(Type.Object({ opens: Type.Integer({ minimum: 0 }), firstOpenedAt: nullableString, lastOpenedAt: nullableString })),
});

export const CreatedDocument = Type.Object({
  document: DocumentView,
  /** The PDF, base64: what Outlook's addFileAttachmentFromBase64Async and the Gmail API take. */
  pdfBase64: Type.String(),
  /** Where the PDF can be fetched again (the same bytes). */
  downloadPath: Type.String(),
});

export type CreateDocumentRequest = Type.Static<typeof CreateDocumentRequest>;
export type DocumentView = Type.Static<typeof DocumentView>;
export type CreatedDocument = Type.Static<typeof CreatedDocument>;

export const DocumentListQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, closed);
export type DocumentListQuery = Type.Static<typeof DocumentListQuery>;

export const DocumentList = Type.Object({ documents: Type.Array(DocumentView) });
export type DocumentList = Type.Static<typeof DocumentList>;

export const DocumentParams = Type.Object({ documentId: Type.String({ maxLength: 64 }) }, closed);

/** The PDF bytes themselves (Content-Type application/pdf), the same as a CreatedDocument's pdfBase64. */
export const DocumentPdf = Type.Unknown({ description: 'application/pdf' });
