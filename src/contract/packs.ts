import Type from 'typebox';
import { closed, LocatedIssue } from './common.js';

/** Packs as the admin manages them (`/packs`): push, versions, publications, export. */

export const Publication = Type.Object({ audience: Type.String(), version: Type.Integer(), publishedAt: Type.String(), publishedBy: Type.String() });
export type Publication = Type.Static<typeof Publication>;
export const PackSummary = Type.Object({ pack: Type.String(), title: Type.String(), latestVersion: Type.Integer(), publications: Type.Array(Publication), updatedAt: Type.String() });
export type PackSummary = Type.Static<typeof PackSummary>;
export const PackList = Type.Object({ packs: Type.Array(PackSummary) });
export type PackList = Type.Static<typeof PackList>;
export const PackVersionSummary = Type.Object({ version: Type.Integer(), digest: Type.String(), pushedBy: Type.String(), pushedAt: Type.String(), groups: Type.Array(Type.String(), { description: 'the groups this version names: where publishing it without a group list sends it' }) });
export type PackVersionSummary = Type.Static<typeof PackVersionSummary>;
export const PackDetail = Type.Intersect([PackSummary, Type.Object({ versions: Type.Array(PackVersionSummary) })]);
export type PackDetail = Type.Static<typeof PackDetail>;
export const PackParams = Type.Object({ pack: Type.String({ maxLength: 63 }) });
export const PublicationParams = Type.Object({ pack: Type.String({ maxLength: 63 }), audience: Type.String({ maxLength: 63 }) });

export const PackPush = Type.Object(
  {
    source: Type.String({ minLength: 1, description: 'the pack as YAML or JSON text' }),
    fileName: Type.Optional(Type.String({ maxLength: 255 })),
    publish: Type.Optional(Type.Boolean({ description: 'publish to the groups the pack names (default true); false only stores the version' })),
  },
  closed,
);
export type PackPush = Type.Static<typeof PackPush>;
const pushed = <S extends 'created' | 'unchanged'>(status: S) => Type.Object({ pack: Type.String(), version: Type.Integer(), status: Type.Literal(status), publishedTo: Type.Array(Type.String()), warnings: Type.Array(LocatedIssue) });
export const PackCreated = pushed('created');
export const PackUnchanged = pushed('unchanged');
export type PushResult = Type.Static<typeof PackCreated> | Type.Static<typeof PackUnchanged>;

export const PackPublish = Type.Object({ version: Type.Integer({ minimum: 1 }), groups: Type.Optional(Type.Array(Type.String({ maxLength: 63 }), { minItems: 1, maxItems: 200 })) }, closed);
export type PackPublish = Type.Static<typeof PackPublish>;
export const PackRollback = Type.Object({ version: Type.Integer({ minimum: 1 }) }, closed);
export type PackRollback = Type.Static<typeof PackRollback>;
export const PackExportQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })), format: Type.Optional(Type.Enum(['source', 'yaml', 'json'])) }, closed);
/** The export is the pack's text (YAML or JSON), not a JSON object. */
export const PackExport = Type.String();
