import Type from 'typebox';
import { closed } from './common.js';
import { UserView } from './people.js';
import { TemplateSchema, type PackDocument, type PackTemplate } from '../core/pack/schema.js';
import type { LanguageReason, LanguageSource } from '../core/compose/language.js';

/**
 * What a rep asks about themself (`/me`, `/me/packs`, `/me/render`, `/me/templates`,
 * `/me/template-uses`). The signature routes are in signatures.ts.
 */

export const Me = Type.Object({ user: UserView, tenant: Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() }), permissions: Type.Array(Type.String()), via: Type.String() });
export type Me = Type.Static<typeof Me>;

/** `If-None-Match` for the revalidated reads (304 when unchanged). */
export const IfNoneMatch = Type.Object({ 'if-none-match': Type.Optional(Type.String()) });

/** A pack version as published to me; its document is checked by the pack schema when pushed. */
export const PublishedPack = Type.Object({ pack: Type.String(), title: Type.String(), version: Type.Integer(), publishedAt: Type.String(), document: Type.Unsafe<PackDocument>(Type.Object({}, { additionalProperties: true })) });
export type PublishedPack = Type.Static<typeof PublishedPack>;
/** A template as a rep's own (a pack template, already checked when saved). */
const StoredTemplate = Type.Unsafe<PackTemplate>(Type.Object({}, { additionalProperties: true }));
export const MyPacks = Type.Object({ packs: Type.Array(PublishedPack), personal: Type.Array(StoredTemplate, { description: 'my own templates' }) });
export type MyPacks = Type.Static<typeof MyPacks>;

export const RenderRequest = Type.Object(
  {
    pack: Type.String({ maxLength: 63 }),
    template: Type.String({ maxLength: 63 }),
    language: Type.Optional(Type.String({ maxLength: 35 })),
    to: Type.Optional(Type.String({ maxLength: 254 })),
    inbound: Type.Optional(Type.String({ maxLength: 100_000, description: "the buyer's own last message in the thread (plain text): its language comes right after the rep's pick" })),
    fields: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 100 })),
  },
  closed,
);
export type RenderRequest = Type.Static<typeof RenderRequest>;
const LANGUAGE_SOURCES = ['rep-pick', 'buyer-wrote', 'contact-language', 'customer-country', 'recipient-domain', 'pack-default'] as const satisfies readonly LanguageSource[];
export const Rendered = Type.Object({
  language: Type.String(),
  reason: Type.String({ description: 'why this language, in English' }),
  source: Type.Enum([...LANGUAGE_SOURCES]),
  why: Type.Unsafe<LanguageReason>(Type.Object({ code: Type.String(), params: Type.Record(Type.String(), Type.String()) }, { description: 'the reason as a code with parameters, for a face to word in its UI language' })),
  subject: Type.String(),
  html: Type.String(),
  text: Type.String(),
});
export type Rendered = Type.Static<typeof Rendered>;

export const PersonalTemplate = Type.Object({ template: StoredTemplate, updatedAt: Type.String() });
export type PersonalTemplate = Type.Static<typeof PersonalTemplate>;
export const PersonalTemplateList = Type.Object({ templates: Type.Array(PersonalTemplate) });
export type PersonalTemplateList = Type.Static<typeof PersonalTemplateList>;
export const TemplateParams = Type.Object({ templateId: Type.String({ maxLength: 63 }) });
export const PersonalTemplatePut = Type.Object({ template: TemplateSchema }, closed);
export const TemplateCopy = Type.Object({ pack: Type.String({ maxLength: 63 }), template: Type.String({ maxLength: 63 }), newId: Type.Optional(Type.String({ maxLength: 63 })) }, closed);
export type TemplateCopy = Type.Static<typeof TemplateCopy>;

export const TemplateUse = Type.Object({ pack: Type.String({ maxLength: 63 }), template: Type.String({ maxLength: 63 }) }, closed);
export type TemplateUse = Type.Static<typeof TemplateUse>;
export const TemplateUses = Type.Object({ uses: Type.Array(Type.Object({ pack: Type.String(), template: Type.String(), count: Type.Integer() })) });
export type TemplateUses = Type.Static<typeof TemplateUses>;
