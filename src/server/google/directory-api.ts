// The Directory API's own module, not the whole googleapis package (seconds to load; see gmail-api.ts).
import { admin_directory_v1 } from 'googleapis/build/src/apis/admin/directory_v1.js';
import type { DirectoryEntry } from '../../core/people/directory.js';
import type { GoogleAuth } from './credentials.js';
import { DirectoryError } from '../directory/entra.js';

/**
 * THE Google Workspace directory adapter: reads the people of a directory through the Admin SDK Directory API
 * (`users.list`, googleapis), acting as a Workspace administrator through the store's service
 * account with domain-wide delegation (the company adds DIRECTORY_SCOPE to the client ID it already
 * authorised for Gmail). Fields read: primaryEmail, name.fullName, the primary (else first)
 * organization's title and department, the first `work` and `mobile` phones, suspended/archived.
 */

export const GOOGLE_ADMIN_DEFAULT_ROOT_URL = 'https://admin.googleapis.com/';
/** Read-only access to the users of the domain: all directory sync needs. */
export const DIRECTORY_SCOPE = 'https://www.googleapis.com/auth/admin.directory.user.readonly';

export interface GoogleDirectoryOptions {
  /** A client acting as `adminEmail` with DIRECTORY_SCOPE (GoogleCredentials.delegatedAs). */
  auth: GoogleAuth;
  adminEmail: string;
  /** `my_customer` (the administrator's own account) or a customer ID such as C01abc23d. */
  customer: string;
  rootUrl?: string | undefined;
  timeoutMs?: number | undefined;
  /** maxResults per page (Google allows 1–500). */
  pageSize?: number | undefined;
}

// A runaway pageToken chain stops here rather than holding a request forever (500 × 400 users).
const MAX_PAGES = 400;

interface Organization {
  title?: string | null;
  department?: string | null;
  primary?: boolean | null;
}
interface Phone {
  value?: string | null;
  type?: string | null;
  primary?: boolean | null;
}

const primaryFirst = <T extends { primary?: boolean | null }>(items: unknown): T[] => (Array.isArray(items) ? [...(items as T[])].sort((a, b) => Number(Boolean(b.primary)) - Number(Boolean(a.primary))) : []);

/** One directory user as the sync's rule sees it, or null when it has no address. */
export function googleUserEntry(user: admin_directory_v1.Schema$User): DirectoryEntry | null {
  const email = (user.primaryEmail ?? '').trim().toLowerCase();
  if (!email) return null;
  const organization = primaryFirst<Organization>(user.organizations)[0];
  const phones = primaryFirst<Phone>(user.phones);
  const phoneOf = (type: string) => phones.find((p) => p.type === type && p.value)?.value ?? null;
  const fullName = user.name?.fullName ?? ([user.name?.givenName, user.name?.familyName].filter(Boolean).join(' ') || null);
  return {
    email,
    enabled: !user.suspended && !user.archived,
    fields: { name: fullName, title: organization?.title ?? null, department: organization?.department ?? null, phone: phoneOf('work'), mobile: phoneOf('mobile') },
  };
}

function explain(error: unknown, o: GoogleDirectoryOptions): DirectoryError {
  const e = error as { response?: { status?: number; data?: { error?: string | { message?: string }; error_description?: string } }; message?: string };
  const status = e.response?.status;
  const data = e.response?.data;
  const detail = (typeof data?.error === 'string' ? `${data.error}${data.error_description ? `: ${data.error_description}` : ''}` : data?.error?.message) ?? e.message ?? String(error);
  const first = detail.split('\n')[0];
  if (typeof data?.error === 'string' || /invalid_grant|unauthorized_client/.test(detail)) {
    return new DirectoryError(`Google refused the service account acting as ${o.adminEmail}: ${first} (its client ID needs ${DIRECTORY_SCOPE} in the domain-wide delegation, and ${o.adminEmail} must be a Workspace user)`);
  }
  if (status === 403) return new DirectoryError(`Google refused to list users: HTTP 403: ${first} (${o.adminEmail} must be an administrator allowed to read users)`);
  if (status === 400 || status === 404) return new DirectoryError(`Google refused to list users of customer ${o.customer}: HTTP ${status}: ${first}`);
  if (status) return new DirectoryError(`Google refused to list users: HTTP ${status}: ${first}`);
  return new DirectoryError(`could not reach Google's Directory API: ${first}`);
}

export async function readGoogleDirectory(o: GoogleDirectoryOptions): Promise<DirectoryEntry[]> {
  const directory = new admin_directory_v1.Admin({ auth: o.auth, rootUrl: o.rootUrl ?? GOOGLE_ADMIN_DEFAULT_ROOT_URL, retry: false, timeout: o.timeoutMs ?? 30_000 });
  const entries: DirectoryEntry[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page === 0 || pageToken; page++) {
    if (page >= MAX_PAGES) throw new DirectoryError(`the directory has more than ${MAX_PAGES} pages of users; stopped`);
    let data: admin_directory_v1.Schema$Users;
    try {
      ({ data } = await directory.users.list({ customer: o.customer, maxResults: o.pageSize ?? 500, pageToken, viewType: 'admin_view', orderBy: 'email' }));
    } catch (error) {
      throw explain(error, o);
    }
    for (const user of data.users ?? []) {
      const entry = googleUserEntry(user);
      if (entry) entries.push(entry);
    }
    pageToken = data.nextPageToken ?? undefined;
  }
  return entries;
}
