import Type from 'typebox';
import { closed, LocatedIssue, nullable } from './common.js';
import type { PackOutline } from '../core/pack/outline.js';
import type { MissingValue } from '../core/template/types.js';

/**
 * The admin console's own reads and actions (`/admin/…`): its sign-in settings, draft checks and
 * previews, the people import and template usage. Compliance and the Gmail signature push are in
 * signatures.ts, the team's scheduled sends in scheduled-sends.ts.
 */

export const SignInSettings = Type.Object({
  microsoft: nullable(Type.Object({ clientId: Type.String(), scopes: Type.Array(Type.String()), authority: Type.String() })),
  google: nullable(Type.Object({ clientId: Type.String() })),
  dev: Type.Boolean(),
});
export type SignInSettings = Type.Static<typeof SignInSettings>;

export const DraftCheckRequest = Type.Object({ source: Type.String({ minLength: 1 }), fileName: Type.Optional(Type.String({ maxLength: 255 })) }, closed);
export const DraftCheck = Type.Object({
  ok: Type.Boolean(),
  format: Type.Enum(['yaml', 'json']),
  issues: Type.Array(LocatedIssue),
  outline: nullable(Type.Unsafe<PackOutline>(Type.Object({}, { additionalProperties: true, description: 'core/pack/outline.ts PackOutline' }))),
});
export type DraftCheck = Type.Static<typeof DraftCheck>;

/** The pack to preview: the editor's draft (source), or a stored version (pack, version; default latest). */
const PackRefFields = {
  source: Type.Optional(Type.String({ minLength: 1, description: 'draft pack text (YAML or JSON)' })),
  fileName: Type.Optional(Type.String({ maxLength: 255 })),
  pack: Type.Optional(Type.String({ maxLength: 63 })),
  version: Type.Optional(Type.Integer({ minimum: 1 })),
};
const Id = Type.String({ maxLength: 63 });

export const TemplatePreviewRequest = Type.Object(
  {
    ...PackRefFields,
    template: Id,
    language: Type.String({ maxLength: 35 }),
    user: Type.Optional(Type.String({ maxLength: 64, description: 'user id whose profile fills rep.* (default: me)' })),
    to: Type.Optional(Type.String({ maxLength: 254, description: 'a recipient e-mail whose contact and customer records fill contact.* and customer.*' })),
    fields: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 100 })),
  },
  closed,
);
export type TemplatePreviewRequest = Type.Static<typeof TemplatePreviewRequest>;
export const MissingValueView = Type.Unsafe<MissingValue>(Type.Object({ name: Type.String(), label: Type.Optional(Type.String()), where: Type.Enum(['subject', 'body']), reason: Type.String() }));
export const TemplatePreview = Type.Object({
  language: Type.String(),
  subject: Type.String(),
  html: Type.String(),
  text: Type.String(),
  data: Type.Enum(['sample', 'customer']),
  missing: Type.Array(MissingValueView, { description: 'what a rep would still have to fill in (never an error here: the admin is looking)' }),
});
export type TemplatePreview = Type.Static<typeof TemplatePreview>;
export const SignaturePreviewRequest = Type.Object({ ...PackRefFields, signature: Id, user: Type.Optional(Type.String({ maxLength: 64 })) }, closed);
export const SignaturePreview = Type.Object({ signature: Type.String(), html: Type.String(), text: Type.String(), hash: Type.String(), removed: Type.Array(Type.String()) });
export type SignaturePreview = Type.Static<typeof SignaturePreview>;

export const PeopleImportRequest = Type.Object({ csv: Type.String({ minLength: 1, maxLength: 2_000_000 }), apply: Type.Optional(Type.Boolean()) }, closed);
export const ImportRowReport = Type.Object({
  line: Type.Integer({ description: 'line in the file (the header is line 1)' }),
  email: Type.String(),
  action: Type.Enum(['create', 'update', 'unchanged', 'error']),
  changes: Type.Array(Type.Object({ field: Type.String(), from: Type.String(), to: Type.String() })),
  errors: Type.Array(Type.Object({ column: Type.String(), message: Type.String() })),
});
export type ImportRowReport = Type.Static<typeof ImportRowReport>;
export const ImportReport = Type.Object({
  applied: Type.Boolean(),
  columns: Type.Array(Type.String()),
  counts: Type.Object({ create: Type.Integer(), update: Type.Integer(), unchanged: Type.Integer(), error: Type.Integer() }),
  rows: Type.Array(ImportRowReport),
});
export type ImportReport = Type.Static<typeof ImportReport>;

export const UsageQuery = Type.Object({ weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 53 })), unusedDays: Type.Optional(Type.Integer({ minimum: 7, maximum: 365 })) }, closed);
export const UsageReport = Type.Object({
  weeks: Type.Array(Type.String()),
  unusedDays: Type.Integer(),
  templates: Type.Array(
    Type.Object({ pack: Type.String(), template: Type.String(), title: Type.String(), total: Type.Integer(), perWeek: Type.Record(Type.String(), Type.Integer()), users: Type.Array(Type.Object({ email: Type.String(), count: Type.Integer() })) }),
  ),
  unused: Type.Array(Type.Object({ pack: Type.String(), template: Type.String(), title: Type.String(), publishedVersion: Type.Integer() })),
});
export type UsageReport = Type.Static<typeof UsageReport>;
