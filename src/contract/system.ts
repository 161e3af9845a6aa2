import Type from 'typebox';

/** The store's public system routes (no `/api/v1` prefix, no sign-in). */

export const Health = Type.Object({ status: Type.Literal('ok'), database: Type.String() });
export const Unhealthy = Type.Object({ status: Type.String(), database: Type.String() });
export type Health = Type.Static<typeof Unhealthy>;
export const AllowedAddinScripts = Type.Object({ allowed: Type.Array(Type.String()) });
export const DevUserQuery = Type.Object({ email: Type.String({ maxLength: 254 }) }, { additionalProperties: false });
export const DevToken = Type.Object({ token: Type.String(), email: Type.String(), expiresInSeconds: Type.Integer() });
export type DevToken = Type.Static<typeof DevToken>;
/** Dev mode only: the demo team inbox's mail as the Outlook playground opens it (a message in the shared mailbox info@). */
export const DevTeamItem = Type.Object({
  roleAddress: Type.String(),
  conversationId: Type.String(),
  internetMessageId: Type.String(),
  threadId: Type.String(),
  subject: Type.String(),
  from: Type.Object({ name: Type.String(), address: Type.String() }),
  text: Type.String(),
  receivedAt: Type.String(),
  dateHeader: Type.String(),
});
export type DevTeamItem = Type.Static<typeof DevTeamItem>;
