import { appFor, GRAPH_DEFAULT_AUTHORITY_HOST, GRAPH_DEFAULT_BASE_URL } from '../mail/graph.js';
import { send, TransportError, type TransportOptions } from '../mail/graph-http.js';
import type { DirectoryEntry } from '../../core/people/directory.js';

/**
 * Reads the people of a Microsoft Entra ID directory through Microsoft Graph, app-only: the app
 * registration's client credentials (msal-node, as the mailbox adapter does, over the same
 * transport in mail/graph-http.ts) and `GET /v1.0/users` with `$select`, following
 * `@odata.nextLink` page by page. The app needs the application permission User.Read.All with
 * admin consent. Fields read: displayName, jobTitle, department, businessPhones[0], mobilePhone,
 * mail (else userPrincipalName), accountEnabled.
 */

export interface EntraDirectoryOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost?: string | undefined;
  graphBaseUrl?: string | undefined;
  /** Extra CA to trust (tests: the Graph stand-in's self-signed certificate). */
  ca?: string | undefined;
  timeoutMs?: number | undefined;
  /** Page size asked for ($top; Graph allows up to 999 for users). */
  pageSize?: number | undefined;
}

/** Graph or the sign-in endpoint refused, or could not be reached; the message says which and why. */
export class DirectoryError extends Error {
  override readonly name = 'DirectoryError';
}

interface GraphUser {
  displayName?: string | null;
  jobTitle?: string | null;
  department?: string | null;
  businessPhones?: string[] | null;
  mobilePhone?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  accountEnabled?: boolean | null;
}

const SELECT = 'displayName,jobTitle,department,businessPhones,mobilePhone,mail,userPrincipalName,accountEnabled';
// A runaway nextLink chain stops here rather than holding a request forever (999 × 200 users).
const MAX_PAGES = 200;

export async function readEntraDirectory(o: EntraDirectoryOptions): Promise<DirectoryEntry[]> {
  const authorityHost = (o.authorityHost ?? GRAPH_DEFAULT_AUTHORITY_HOST).replace(/\/+$/, '');
  const graphBase = (o.graphBaseUrl ?? GRAPH_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const transport: TransportOptions = { timeoutMs: o.timeoutMs ?? 30_000, ca: o.ca, maxBytes: 32 * 1024 * 1024 };
  const app = appFor({ tenantId: o.tenantId, clientId: o.clientId, clientSecret: o.clientSecret, authorityHost, transport });
  let token: string;
  try {
    const result = await app.acquireTokenByClientCredential({ scopes: [`${new URL(graphBase).origin}/.default`] });
    if (!result?.accessToken) throw new Error('no access token in the answer');
    token = result.accessToken;
  } catch (error) {
    throw new DirectoryError(`Microsoft sign-in refused the app ${o.clientId} in ${o.tenantId}: ${(error as Error).message.split('\n')[0]}`);
  }
  const entries: DirectoryEntry[] = [];
  let next: string | null = `${graphBase}/v1.0/users?$select=${SELECT}&$top=${o.pageSize ?? 999}`;
  for (let page = 0; next; page++) {
    if (page >= MAX_PAGES) throw new DirectoryError(`the directory has more than ${MAX_PAGES} pages of users; stopped`);
    // nextLink must stay on Graph's own host: never send the token elsewhere.
    if (new URL(next).origin !== new URL(graphBase).origin) throw new DirectoryError(`Graph's next page points to another host (${new URL(next).host}); stopped`);
    let res;
    try {
      res = await send(next, { method: 'GET', headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }, transport);
    } catch (error) {
      throw new DirectoryError(`could not reach Microsoft Graph: ${error instanceof TransportError ? error.message : String(error)}`);
    }
    let body: { value?: GraphUser[]; '@odata.nextLink'?: string; error?: { code?: string; message?: string } };
    try {
      body = JSON.parse(res.text) as typeof body;
    } catch {
      throw new DirectoryError(`Microsoft Graph answered HTTP ${res.status} without JSON`);
    }
    if (res.status !== 200) {
      const hint = res.status === 403 ? ' (the app needs the application permission User.Read.All with admin consent)' : '';
      throw new DirectoryError(`Microsoft Graph refused to list users: HTTP ${res.status} ${body.error?.code ?? ''}: ${body.error?.message ?? ''}${hint}`.replace(/\s+/g, ' ').trim());
    }
    for (const u of body.value ?? []) {
      const email = (u.mail || u.userPrincipalName || '').trim().toLowerCase();
      if (!email) continue;
      entries.push({
        email,
        enabled: u.accountEnabled !== false,
        fields: { name: u.displayName ?? null, title: u.jobTitle ?? null, department: u.department ?? null, phone: u.businessPhones?.[0] ?? null, mobile: u.mobilePhone ?? null },
      });
    }
    next = body['@odata.nextLink'] ?? null;
  }
  return entries;
}
