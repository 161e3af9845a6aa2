import Type from 'typebox';
import { RoutingSchema } from '../teaminbox/rules-schema.js';
import { COLUMN_TYPES, COMPOSE_KINDS, DOCUMENT_DELIVERY, FIELD_TYPES, PAYMENTS_POLICY, SIGNATURE_ON_SEND, TEMPLATE_KINDS } from './vocabulary.js';

export { COLUMN_TYPES, COMPOSE_KINDS, DOCUMENT_DELIVERY, FIELD_TYPES, PAYMENTS_POLICY, SIGNATURE_ON_SEND, TEMPLATE_KINDS };

/**
 * The structure of a pack document: what an admin writes in YAML or JSON. Only structure lives
 * here; rules that need more than JSON Schema (duplicate ids, choice options, the default
 * language being present) are in validate.ts. Every object is closed, so a misspelt key is an
 * error that names the key, never a silently ignored setting.
 */

export const SLUG_PATTERN = '^[a-z0-9][a-z0-9_-]{0,62}$';
/** BCP 47 language tag, as far as packs need it: "en", "zh", "zh-Hant", "pt-BR". */
export const LANGUAGE_PATTERN = '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$';
export const FIELD_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_]{0,63}$';
export const TIME_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

const closed = { additionalProperties: false } as const;

const Slug = Type.String({ pattern: SLUG_PATTERN });
const Language = Type.String({ pattern: LANGUAGE_PATTERN });

/** A text given once for every language, or per language: {en: "Quotation", zh: "报价单"}. */
export const LocalizedText = Type.Union([
  Type.String({ minLength: 1, maxLength: 200 }),
  Type.Record(Language, Type.String({ minLength: 1, maxLength: 200 }), { minProperties: 1, ...closed }),
]);

export const ColumnSchema = Type.Object(
  {
    name: Type.String({ pattern: FIELD_NAME_PATTERN }),
    type: Type.Enum(COLUMN_TYPES),
    label: Type.Optional(LocalizedText),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    required: Type.Optional(Type.Boolean()),
  },
  closed,
);

export const FieldSchema = Type.Object(
  {
    name: Type.String({ pattern: FIELD_NAME_PATTERN }),
    type: Type.Enum(FIELD_TYPES),
    required: Type.Optional(Type.Boolean()),
    label: Type.Optional(LocalizedText),
    help: Type.Optional(LocalizedText),
    default: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    options: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    columns: Type.Optional(Type.Array(ColumnSchema, { minItems: 1 })),
  },
  closed,
);

export const VariantSchema = Type.Object(
  {
    subject: Type.String({ maxLength: 255 }),
    body: Type.String({ minLength: 1 }),
  },
  closed,
);

export const TemplateSchema = Type.Object(
  {
    id: Slug,
    kind: Type.Enum(TEMPLATE_KINDS),
    title: LocalizedText,
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }))),
    locked: Type.Optional(Type.Boolean()),
    fields: Type.Optional(Type.Array(FieldSchema)),
    variants: Type.Record(Language, VariantSchema, { minProperties: 1, ...closed }),
  },
  closed,
);

export const SignatureSchema = Type.Object(
  {
    id: Slug,
    title: Type.Optional(LocalizedText),
    enforce: Type.Optional(Type.Boolean()),
    body: Type.String({ minLength: 1 }),
  },
  closed,
);

const FollowUpDays = Type.Optional(Type.Integer({ minimum: 0, maximum: 60 }));

export const PoliciesSchema = Type.Object(
  {
    signatureOnSend: Type.Optional(Type.Enum(SIGNATURE_ON_SEND)),
    disableClientSignature: Type.Optional(Type.Boolean()),
    clientHours: Type.Optional(
      Type.Object({ start: Type.String({ pattern: TIME_PATTERN }), end: Type.String({ pattern: TIME_PATTERN }) }, closed),
    ),
    /** "Remind me if no reply": the buyer's business days per template kind (0 = off) and the rep's hour. */
    followUps: Type.Optional(
      Type.Object(
        {
          days: Type.Optional(
            Type.Object(
              { inquiry: FollowUpDays, quote: FollowUpDays, sample: FollowUpDays, 'follow-up': FollowUpDays, shipping: FollowUpDays, payment: FollowUpDays, other: FollowUpDays },
              closed,
            ),
          ),
          hour: Type.Optional(Type.String({ pattern: TIME_PATTERN })),
        },
        closed,
      ),
    ),
    /** The inquiry reply rule: what is an inquiry, and within how many company business hours it is answered. */
    inquiries: Type.Optional(
      Type.Object(
        {
          words: Type.Optional(Type.Array(Type.String({ minLength: 2, maxLength: 60 }), { maxItems: 200 })),
          firstContact: Type.Optional(Type.Boolean()),
          attachmentsFromNewCompany: Type.Optional(Type.Boolean()),
          replyWithinHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 240 })),
          escalateAfterHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 480 })),
          /** The company's country (ISO 3166 alpha-2): its work week and public holidays stop the inquiry clock. */
          country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })),
          /** The company's own closed days (YYYY-MM-DD): a factory shutdown, a company holiday. */
          closedDates: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 366 })),
        },
        closed,
      ),
    ),
    payments: Type.Optional(Type.Enum(PAYMENTS_POLICY)),
    documentDelivery: Type.Optional(Type.Enum(DOCUMENT_DELIVERY)),
  },
  closed,
);

/**
 * The company's letterhead on trade documents (quotations, proforma invoices). Bank details are
 * not here: they come only from the admin's company profile, never from a pack or a rep.
 */
export const CompanySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    phone: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 200 })),
    website: Type.Optional(Type.String({ minLength: 3, maxLength: 200 })),
    taxId: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  },
  closed,
);

export const PackSchema = Type.Object(
  {
    pack: Slug,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    groups: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    defaultLanguage: Language,
    templates: Type.Optional(Type.Array(TemplateSchema)),
    signatures: Type.Optional(Type.Array(SignatureSchema)),
    policies: Type.Optional(PoliciesSchema),
    company: Type.Optional(CompanySchema),
    /** Team-inbox routing rules (docs/team-inbox.md). */
    routing: Type.Optional(RoutingSchema),
  },
  closed,
);

export type PackDocument = Type.Static<typeof PackSchema>;
export type PackTemplate = Type.Static<typeof TemplateSchema>;
export type PackField = Type.Static<typeof FieldSchema>;
export type PackSignature = Type.Static<typeof SignatureSchema>;
export type PackCompany = Type.Static<typeof CompanySchema>;

/** A pack as the store serves it to a rep: which version of it reaches them, and its document. */
export interface PublishedPack {
  pack: string;
  title: string;
  version: number;
  publishedAt: string;
  document: PackDocument;
}
