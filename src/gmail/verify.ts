import type { Kysely } from 'kysely';
import type { Database } from '../server/db/tables.js';
import type { TokenVerifier } from '../server/auth/tokens.js';
import { principalFor } from '../server/auth/authenticate.js';
import type { Principal } from '../server/auth/principal.js';
import { AppError, unauthorized } from '../server/errors.js';
import type { AddonEvent } from './event.js';

/**
 * Who may call the add-on endpoints: only Google, on behalf of a rep of a tenant.
 *  1. `Authorization: Bearer <system ID token>`: signed by Google, audience = the exact endpoint
 *     URL as the deployment names it, e-mail = the add-on's own service account
 *     (service-<project number>@gcp-sa-gsuiteaddons.iam.gserviceaccount.com).
 *  2. `authorizationEventObject.userIdToken`: signed by Google, audience = the add-on's OAuth
 *     client id; its verified e-mail and Workspace domain (`hd`) name the tenant and the user.
 * Anything else is a 401 before any other work.
 */

export interface GmailAddonAuth {
  /** The public https URL the endpoints are reached at, e.g. https://store.example.com/gmail */
  endpointBase: string;
  serviceAccount: string;
  oauthClientId: string;
}

export async function verifyAddonRequest(
  db: Kysely<Database>,
  verifier: TokenVerifier,
  auth: GmailAddonAuth,
  request: { authorization: string | undefined; endpointPath: string; event: AddonEvent },
): Promise<Principal> {
  const m = /^Bearer\s+(\S+)$/i.exec((request.authorization ?? '').trim());
  if (!m) throw unauthorized('missing Authorization: Bearer <Google-signed system ID token>');
  await verifier.verifyGoogle(m[1]!, { audience: auth.endpointBase + request.endpointPath, expectedEmail: auth.serviceAccount });

  const userToken = request.event.authorizationEventObject?.userIdToken;
  if (typeof userToken !== 'string' || !userToken) throw unauthorized('the event carries no authorizationEventObject.userIdToken');
  const user = await verifier.verifyGoogle(userToken, { audience: auth.oauthClientId });
  try {
    return await principalFor(db, user);
  } catch (error) {
    // Not a user of any tenant: refused like a bad token, so the endpoint says nothing more.
    if (error instanceof AppError && error.status === 403) throw unauthorized(error.message);
    throw error;
  }
}
