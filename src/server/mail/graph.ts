import { createHash } from 'node:crypto';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { AuthenticationHandler, Client, GraphError, type GraphRequest } from '@microsoft/microsoft-graph-client';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { messageIdList } from '../../core/mail/headers.js';
import { graphTransportMiddleware, msalNetworkClient, TransportError, type TransportOptions } from './graph-http.js';
import { autoHeadersOf, boundedText, headerMap } from './message-text.js';
import { MailboxError, type FetchedMessage, type MailAddress, type MailboxAdapter, type NextPageOptions, type OutgoingMail, type SyncPage, type DraftMail, type FiledDraft } from './types.js';

/**
 * Microsoft 365 mailboxes through Microsoft Graph v1.0 with app-only credentials.
 *
 * `createGraphMailbox(options)`:
 *   address        the mailbox: a user's or a shared mailbox's SMTP address (or its object id)
 *   tenantId       the company's directory (tenant) id or one of its verified domains
 *   clientId       application (client) id of the company's Entra app registration
 *   clientSecret   a client secret of that app
 *   authorityHost  config.microsoftGraph.authorityHost (https://login.microsoftonline.com)
 *   graphBaseUrl   config.microsoftGraph.graphBaseUrl (https://graph.microsoft.com)
 *   timeoutMs      per HTTP request, token requests included (default 30 s)
 *   ca             extra CA certificates (PEM) to trust: a TLS-inspecting proxy's, a test stand-in's
 *   bodies         'full' (default): the text body, at most 64 KiB; 'preview': Graph's 255-character
 *                  bodyPreview only (less data per page)
 *   now            the clock, for a Retry-After given as an HTTP date
 *
 * Tokens: msal-node `ConfidentialClientApplication.acquireTokenByClientCredential` with the scope
 * `{graph origin}/.default` (so the app's admin-consented application permissions apply); one msal
 * client per app and secret, shared by every mailbox of that app, so one token serves them all.
 * `authorityMetadata` and `cloudDiscoveryMetadata` are built from the authority host (msal's
 * documented way to skip instance discovery and the OpenID metadata request).
 *
 * Sync: a delta query per folder, Inbox then Sent Items (`/users/{address}/mailFolders/inbox/
 * messages/delta`, `…/sentitems/messages/delta`), `changeType=created`, `$select` of the fields
 * FetchedMessage needs, `$filter=receivedDateTime ge {since}` on a backfill, `Prefer:
 * odata.maxpagesize=N, IdType="ImmutableId"` (ids that survive moves). Each `nextPage` is one
 * Graph request; the cursor holds both folders' `@odata.nextLink` / `@odata.deltaLink`, and a pass
 * is caught up when Sent Items ends on its delta link after Inbox did. Messages with attachments
 * cost one more request each (`/messages/{id}/attachments`, names and types only). Deleted items
 * (`@removed`) are skipped: the store keeps what it saw.
 *
 * Failures: 410 (syncStateNotFound, resyncRequired) → `cursor-expired`; 429 and 503 with
 * Retry-After (seconds or an HTTP date) → `throttled` with the wait — the adapter never sleeps, the
 * engine waits; 401/403 and refused credentials → `auth` in an admin's words (which permission,
 * which policy); no such mailbox → `not-found`; network trouble and other 5xx → `unreachable`.
 *
 * Not available through Graph: In-Reply-To/References and the Date header of Sent Items (Graph
 * stamps internetMessageHeaders on received mail only; conversationId threads those), and the
 * exact size (Graph v1.0 has none; sizeBytes is headers + text body + attachment sizes).
 */

export interface GraphMailboxOptions {
  address: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost?: string | undefined;
  graphBaseUrl?: string | undefined;
  timeoutMs?: number | undefined;
  ca?: string | undefined;
  bodies?: 'full' | 'preview' | undefined;
  now?: (() => number) | undefined;
}

export const GRAPH_DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
export const GRAPH_DEFAULT_BASE_URL = 'https://graph.microsoft.com';
const TIMEOUT_MS = 30_000;
/** A page of 100 messages with 64 KiB bodies stays well under this. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** When Graph throttles without saying how long to wait. */
const DEFAULT_RETRY_AFTER_MS = 30_000;
/** Exchange allows 4 concurrent requests per app and mailbox; leave one for the engine (a send, a test). */
const ATTACHMENT_CONCURRENCY = 3;
const MAX_PAGE_SIZE = 1000;

const FOLDERS = { inbox: 'inbox', sent: 'sentitems' } as const;
type Folder = keyof typeof FOLDERS;

const SELECT = ['internetMessageId', 'internetMessageHeaders', 'conversationId', 'from', 'replyTo', 'toRecipients', 'ccRecipients', 'subject', 'receivedDateTime', 'sentDateTime', 'hasAttachments', 'bodyPreview'];

interface GraphRecipient {
  emailAddress?: { name?: string | null; address?: string | null } | null;
}

interface GraphMessage {
  id?: string;
  '@removed'?: unknown;
  internetMessageId?: string | null;
  internetMessageHeaders?: { name?: string; value?: string }[] | null;
  conversationId?: string | null;
  from?: GraphRecipient | null;
  replyTo?: GraphRecipient[] | null;
  toRecipients?: GraphRecipient[] | null;
  ccRecipients?: GraphRecipient[] | null;
  subject?: string | null;
  receivedDateTime?: string | null;
  sentDateTime?: string | null;
  hasAttachments?: boolean | null;
  bodyPreview?: string | null;
  body?: { contentType?: string; content?: string } | null;
}

/** What Graph answers for a created draft (the fields used here). */
interface CreatedMessage {
  id: string;
  internetMessageId?: string;
  webLink?: string;
}

interface DeltaPage {
  value?: GraphMessage[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** Where one folder's delta stands: the link to call next, and whether it is a delta link (the folder's round is over). */
interface FolderState {
  link: string;
  atDelta: boolean;
}

interface GraphCursor {
  v: 1;
  inbox: FolderState | null;
  sent: FolderState | null;
  next: Folder;
  /** The backfill's start (ISO), for the folder whose delta has not begun yet. */
  since: string;
}

const CURSOR_PREFIX = 'graph1:';

// ---------------------------------------------------------------------------------------------
// msal clients, shared per app registration and secret (the directory sync's Graph client uses them too)

const apps = new Map<string, ConfidentialClientApplication>();
const APPS_MAX = 200;

export function appFor(o: Required<Pick<GraphMailboxOptions, 'tenantId' | 'clientId' | 'clientSecret'>> & { authorityHost: string; transport: TransportOptions }): ConfidentialClientApplication {
  const key = createHash('sha256').update([o.authorityHost, o.tenantId, o.clientId, o.clientSecret, o.transport.ca ?? '', o.transport.timeoutMs].join('\n')).digest('hex');
  let app = apps.get(key);
  if (!app) {
    const host = new URL(o.authorityHost).host;
    const authority = `${o.authorityHost}/${encodeURIComponent(o.tenantId)}`;
    app = new ConfidentialClientApplication({
      auth: {
        clientId: o.clientId,
        clientSecret: o.clientSecret,
        authority,
        knownAuthorities: [host],
        // The documented way to skip instance discovery and the OpenID configuration request.
        cloudDiscoveryMetadata: JSON.stringify({ tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`, 'api-version': '1.1', metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }] }),
        authorityMetadata: JSON.stringify({
          token_endpoint: `${authority}/oauth2/v2.0/token`,
          authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
          issuer: `${authority}/v2.0`,
          jwks_uri: `${authority}/discovery/v2.0/keys`,
        }),
      },
      system: { networkClient: msalNetworkClient(o.transport) },
    });
    if (apps.size >= APPS_MAX) {
      const oldest = apps.keys().next();
      if (!oldest.done) apps.delete(oldest.value);
    }
    apps.set(key, app);
  }
  return app;
}

// ---------------------------------------------------------------------------------------------
// Turning what Graph and the sign-in endpoint answered into MailboxErrors

/** Milliseconds from a Retry-After value (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const oneLine = (text: string, max = 240) => text.replace(/\s+/g, ' ').trim().slice(0, max);

function signInFailure(error: unknown, o: { tenantId: string; clientId: string }): MailboxError {
  const e = error as { errorCode?: unknown; errorMessage?: unknown; name?: unknown; message?: unknown } | null;
  const code = typeof e?.errorCode === 'string' ? e.errorCode : '';
  const text = typeof e?.errorMessage === 'string' ? e.errorMessage : typeof e?.message === 'string' ? e.message : String(error);
  const aadsts = /AADSTS\d+/.exec(text)?.[0] ?? '';
  const app = `the Entra app ${o.clientId}`;
  if (aadsts === 'AADSTS7000215') return new MailboxError('auth', `Microsoft refused the client secret of ${app} (AADSTS7000215: invalid client secret): give the connection the secret's value (not its id) from Entra ID ▸ App registrations ▸ Certificates & secrets`);
  if (aadsts === 'AADSTS7000222') return new MailboxError('auth', `the client secret of ${app} has expired (AADSTS7000222): create a new one in Entra ID ▸ App registrations ▸ Certificates & secrets and update the connection`);
  if (aadsts === 'AADSTS700016') return new MailboxError('auth', `tenant ${o.tenantId} has no application ${o.clientId} (AADSTS700016): check the application (client) id, and that an admin of this tenant consented to it`);
  if (aadsts === 'AADSTS90002' || aadsts === 'AADSTS900023') return new MailboxError('auth', `Microsoft knows no tenant "${o.tenantId}" (${aadsts}): give the directory (tenant) id or a verified domain of the company's Microsoft 365`);
  if (['invalid_client', 'unauthorized_client', 'invalid_request', 'invalid_scope', 'invalid_grant', 'access_denied'].includes(code)) {
    return new MailboxError('auth', `Microsoft sign-in refused ${app} in tenant ${o.tenantId} (${aadsts || code}: ${oneLine(text.split(/\r?\n/)[0] ?? text, 160)})`);
  }
  return new MailboxError('unreachable', `could not get a token for ${app} from Microsoft sign-in: ${oneLine(text, 200)}`);
}

function graphFailure(error: unknown, what: string, address: string, now: number): MailboxError {
  if (error instanceof MailboxError) return error;
  if (error instanceof TransportError) return new MailboxError('unreachable', `${what}: ${error.message}`);
  if (!(error instanceof GraphError)) return new MailboxError('protocol', `${what}: ${oneLine(String((error as Error)?.message ?? error))}`);
  const status = error.statusCode;
  const code = error.code ?? '';
  // The Graph client wraps a transport failure as a GraphError without a status.
  if (status === -1 || code === 'TransportError') return new MailboxError('unreachable', `${what}: ${oneLine(error.message || String(error.body))}`);
  const detail = `HTTP ${status}${code ? ` ${code}` : ''}: ${oneLine(error.message || '')}`;
  if (status === 410) return new MailboxError('cursor-expired', `${what}: Graph no longer knows this sync state (${detail}); the mailbox syncs again from the start`);
  const wait = retryAfterMs(error.headers?.get('retry-after'), now);
  if (status === 429 || (status === 503 && wait !== undefined)) return new MailboxError('throttled', `${what}: Microsoft Graph asks to slow down (${detail})`, wait ?? DEFAULT_RETRY_AFTER_MS);
  if (status === 401) return new MailboxError('auth', `${what}: Microsoft Graph refused the app's token (${detail}): check that the app registration still exists and an admin granted consent`);
  if (status === 403) {
    return new MailboxError('auth', `${what}: the app may not read the mailbox ${address} (${detail}). An admin must grant the application permission Mail.Read (Mail.ReadWrite and Mail.Send to send) with admin consent in Entra ID ▸ App registrations ▸ API permissions; if an Exchange application access policy limits the app, add ${address} to the policy's group (check with Test-ApplicationAccessPolicy)`);
  }
  if (status === 404) {
    if (code === 'MailboxNotEnabledForRESTAPI') return new MailboxError('not-found', `${what}: ${address} has no Exchange Online mailbox (${detail}): an on-premises or unlicensed mailbox cannot be synced through Graph`);
    return new MailboxError('not-found', `${what}: there is no mailbox ${address} in this tenant (${detail}): check the address; a shared mailbox must exist in Exchange Online`);
  }
  if (status >= 500 || status === 408) return new MailboxError('unreachable', `${what}: ${detail}`);
  return new MailboxError('protocol', `${what}: ${detail}`);
}

// ---------------------------------------------------------------------------------------------
// Mapping a Graph message to a FetchedMessage

function address(r: GraphRecipient | null | undefined): MailAddress | null {
  const raw = r?.emailAddress?.address?.trim();
  if (!raw) return null;
  const name = r?.emailAddress?.name?.trim();
  // Exchange repeats the address as the name when there is none.
  return name && name.toLowerCase() !== raw.toLowerCase() ? { address: raw.toLowerCase(), name } : { address: raw.toLowerCase() };
}

const addresses = (list: GraphRecipient[] | null | undefined): MailAddress[] => (list ?? []).map(address).filter((a): a is MailAddress => a !== null);

function toIso(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function mapMessage(m: GraphMessage, folder: Folder, bodies: 'full' | 'preview', attachments: { name: string; contentType: string; size: number }[]): FetchedMessage {
  const list = m.internetMessageHeaders ?? [];
  const headers = headerMap(list);
  const headerBytes = list.reduce((sum, h) => sum + (h.name && typeof h.value === 'string' ? h.name.length + h.value.length + 4 : 0), 0);
  const header = (name: string) => headers.get(name) ?? null;
  const autoHeaders = autoHeadersOf(header);
  const text = bodies === 'full' && m.body && typeof m.body.content === 'string' ? boundedText(m.body.content) : typeof m.bodyPreview === 'string' ? boundedText(m.bodyPreview) : null;
  const receivedAt = toIso(folder === 'sent' ? (m.sentDateTime ?? m.receivedDateTime) : (m.receivedDateTime ?? m.sentDateTime)) ?? new Date(0).toISOString();
  const inReplyTo = messageIdList(header('in-reply-to'))[0] ?? null;
  return {
    providerId: m.id ?? '',
    folder,
    messageId: m.internetMessageId?.trim() || null,
    inReplyTo,
    references: messageIdList(header('references')),
    providerThreadId: m.conversationId ?? null,
    from: address(m.from),
    replyTo: addresses(m.replyTo),
    to: addresses(m.toRecipients),
    cc: addresses(m.ccRecipients),
    dateHeader: header('date'),
    receivedAt,
    subject: (m.subject ?? '').replace(/\u0000/g, ''),
    sizeBytes: headerBytes + Buffer.byteLength(text ?? '', 'utf8') + attachments.reduce((sum, a) => sum + a.size, 0),
    attachments: attachments.map(({ name, contentType }) => ({ name, contentType })),
    autoHeaders,
    textBody: text,
  };
}

// ---------------------------------------------------------------------------------------------
// The cursor

function encodeCursor(c: GraphCursor): string {
  return CURSOR_PREFIX + Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

function decodeCursor(raw: string, graphBaseUrl: string): GraphCursor {
  const bad = (why: string) => new MailboxError('cursor-expired', `the stored Graph sync cursor is unusable (${why}); the mailbox syncs again from the start`);
  if (!raw.startsWith(CURSOR_PREFIX)) throw bad('not a Graph cursor');
  let c: GraphCursor;
  try {
    c = JSON.parse(Buffer.from(raw.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8')) as GraphCursor;
  } catch {
    throw bad('not readable');
  }
  const okState = (s: unknown): s is FolderState | null => s === null || (typeof s === 'object' && typeof (s as FolderState).link === 'string' && typeof (s as FolderState).atDelta === 'boolean' && (s as FolderState).link.startsWith(`${graphBaseUrl}/`));
  if (c?.v !== 1 || !okState(c.inbox) || !okState(c.sent) || (c.next !== 'inbox' && c.next !== 'sent') || typeof c.since !== 'string' || Number.isNaN(Date.parse(c.since))) throw bad('made by another version or for another Graph');
  return c;
}

// ---------------------------------------------------------------------------------------------

class GraphMailbox implements MailboxAdapter {
  readonly provider = 'graph' as const;
  private readonly address: string;
  private readonly graphBaseUrl: string;
  private readonly transport: TransportOptions;
  private readonly bodies: 'full' | 'preview';
  private readonly now: () => number;
  private readonly client: Client;
  private readonly app: ConfidentialClientApplication;
  private readonly scope: string;
  private token = '';
  /** When to ask msal again: five minutes before the token expires. */
  private tokenRenewAt = 0;
  /** Graph refused the last token: msal must fetch a new one, not hand out its cached copy. */
  private tokenRefused = false;

  constructor(private readonly o: GraphMailboxOptions) {
    for (const field of ['address', 'tenantId', 'clientId', 'clientSecret'] as const) {
      if (typeof o[field] !== 'string' || !o[field].trim()) throw new MailboxError('auth', `Microsoft 365 mailbox: ${field} is missing`);
    }
    this.address = o.address.trim();
    const authorityHost = (o.authorityHost ?? GRAPH_DEFAULT_AUTHORITY_HOST).replace(/\/+$/, '');
    this.graphBaseUrl = (o.graphBaseUrl ?? GRAPH_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.transport = { timeoutMs: o.timeoutMs ?? TIMEOUT_MS, ca: o.ca, maxBytes: MAX_RESPONSE_BYTES };
    this.bodies = o.bodies ?? 'full';
    this.now = o.now ?? Date.now;
    const graph = new URL(this.graphBaseUrl);
    this.scope = `${graph.origin}/.default`;
    this.app = appFor({ tenantId: o.tenantId.trim(), clientId: o.clientId.trim(), clientSecret: o.clientSecret, authorityHost, transport: this.transport });
    const auth = new AuthenticationHandler({ getAccessToken: async () => this.token });
    auth.setNext(graphTransportMiddleware(this.transport));
    this.client = Client.initWithMiddleware({ middleware: auth, baseUrl: this.graphBaseUrl, defaultVersion: 'v1.0', customHosts: new Set([graph.hostname]) });
  }

  /** A token for Graph (msal caches it until shortly before it expires). */
  private async signIn(): Promise<void> {
    if (this.token && Date.now() < this.tokenRenewAt) return;
    let result;
    try {
      result = await this.app.acquireTokenByClientCredential({ scopes: [this.scope], skipCache: this.tokenRefused });
    } catch (error) {
      throw signInFailure(error, this.o);
    }
    if (!result?.accessToken) throw new MailboxError('auth', `Microsoft sign-in gave the Entra app ${this.o.clientId} no token for ${this.scope}`);
    this.token = result.accessToken;
    this.tokenRefused = false;
    this.tokenRenewAt = (result.expiresOn?.getTime() ?? Date.now()) - 5 * 60_000;
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    await this.signIn();
    try {
      return await request();
    } catch (error) {
      const failure = graphFailure(error, what, this.address, this.now());
      // A token Graph refuses (rotated secret, withdrawn consent) is not offered again.
      if (failure.code === 'auth') {
        this.tokenRenewAt = 0;
        this.tokenRefused = true;
      }
      throw failure;
    }
  }

  private get userPath(): string {
    return `/users/${encodeURIComponent(this.address)}`;
  }

  private prefer(pageSize?: number): string {
    return [...(pageSize ? [`odata.maxpagesize=${pageSize}`] : []), 'IdType="ImmutableId"', ...(this.bodies === 'full' ? ['outlook.body-content-type="text"'] : [])].join(', ');
  }

  async test(): Promise<{ address: string; folders: string[] }> {
    const folders: string[] = [];
    for (const folder of Object.values(FOLDERS)) {
      const res = await this.call<{ displayName?: string }>(`${this.address}: reading the folder ${folder}`, () => this.client.api(`${this.userPath}/mailFolders/${folder}`).select(['displayName']).get());
      folders.push(res.displayName ?? folder);
    }
    return { address: this.address.toLowerCase(), folders };
  }

  async nextPage(cursor: string | null, options: NextPageOptions): Promise<SyncPage> {
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(options.pageSize)));
    const state: GraphCursor = cursor === null ? { v: 1, inbox: null, sent: null, next: 'inbox', since: options.since.toISOString() } : decodeCursor(cursor, this.graphBaseUrl);
    const folder = state.next;
    const current = state[folder];
    const what = `${this.address}: delta of ${FOLDERS[folder]}`;
    const page = await this.call<DeltaPage>(what, () => {
      let req: GraphRequest;
      if (current) {
        req = this.client.api(current.link);
      } else {
        req = this.client
          .api(`${this.userPath}/mailFolders/${FOLDERS[folder]}/messages/delta`)
          .select(this.bodies === 'full' ? [...SELECT, 'body'] : SELECT)
          .filter(`receivedDateTime ge ${state.since}`)
          .query({ changeType: 'created' });
      }
      return req.header('Prefer', this.prefer(pageSize)).get() as Promise<DeltaPage>;
    });
    const next = page['@odata.nextLink'];
    const delta = page['@odata.deltaLink'];
    const link = next ?? delta;
    if (!link) throw new MailboxError('protocol', `${what}: Graph answered neither @odata.nextLink nor @odata.deltaLink`);
    if (!link.startsWith(`${this.graphBaseUrl}/`)) throw new MailboxError('protocol', `${what}: Graph's next link points outside ${this.graphBaseUrl}`);
    const listed = (page.value ?? []).filter((m) => m && typeof m.id === 'string' && m['@removed'] === undefined);
    const messages = await this.withAttachments(listed, folder);
    state[folder] = { link, atDelta: !next };
    const folderDone = !next;
    if (folderDone) state.next = folder === 'inbox' ? 'sent' : 'inbox';
    // A pass is Inbox to its delta link, then Sent Items to its delta link.
    const caughtUp = folderDone && folder === 'sent';
    return { messages, cursor: encodeCursor(state), caughtUp };
  }

  private async withAttachments(listed: GraphMessage[], folder: Folder): Promise<FetchedMessage[]> {
    const out: FetchedMessage[] = new Array<FetchedMessage>(listed.length);
    let index = 0;
    const worker = async () => {
      while (index < listed.length) {
        const i = index++;
        const m = listed[i]!;
        out[i] = mapMessage(m, folder, this.bodies, m.hasAttachments ? await this.attachments(m.id!) : []);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ATTACHMENT_CONCURRENCY, listed.length) }, worker));
    return out;
  }

  private async attachments(messageId: string): Promise<{ name: string; contentType: string; size: number }[]> {
    try {
      const res = await this.call<{ value?: { name?: string | null; contentType?: string | null; size?: number | null; isInline?: boolean | null }[] }>(`${this.address}: attachments of a message`, () =>
        this.client.api(`${this.userPath}/messages/${encodeURIComponent(messageId)}/attachments`).select(['name', 'contentType', 'size', 'isInline']).header('Prefer', this.prefer()).get(),
      );
      // Inline parts are logos and signature images, not what was sent.
      return (res.value ?? []).filter((a) => !a.isInline).map((a) => ({ name: (a.name ?? '').replace(/\u0000/g, '').slice(0, 255), contentType: a.contentType ?? 'application/octet-stream', size: typeof a.size === 'number' && a.size > 0 ? a.size : 0 }));
    } catch (error) {
      // Moved or deleted between the delta page and now: the message is still worth keeping.
      if (error instanceof MailboxError && error.code === 'not-found') return [];
      throw error;
    }
  }

  /**
   * Sends a mail from this mailbox. A draft is created, then sent (`…/messages/{id}/send`;
   * permissions Mail.ReadWrite and Mail.Send), so the answer can name the Message-ID Exchange gave
   * it — sendMail answers 202 with nothing; the sync recognises the sent copy by it. Graph lets a
   * client set only `x-` headers on a JSON message (no In-Reply-To, References, Message-ID), so:
   * - a new mail (no `inReplyTo`): `POST /users/{address}/messages`, JSON;
   * - an answer to a mail this mailbox holds (its Graph id as the sync stored it, else found by
   *   `$filter=internetMessageId eq '…'`): `POST …/messages/{id}/createReply` with our recipients,
   *   subject and body — Exchange files it in the buyer's conversation and gives it In-Reply-To and
   *   References, so the buyer's client threads it;
   * - an answer to a mail this mailbox does not hold (a hand-off from the rep's own mailbox, which
   *   never received the inquiry): the draft is created from MIME (`Content-Type: text/plain`,
   *   the RFC 822 source in base64), which carries In-Reply-To and References itself.
   */
  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const draft = mail.inReplyTo ? await this.createAnswer(mail, mail.inReplyTo) : await this.createMessage(mail);
    await this.call(`${this.address}: sending the mail`, () => this.client.api(`${this.userPath}/messages/${encodeURIComponent(draft.id)}/send`).header('Prefer', this.prefer()).post(null));
    if (!draft.internetMessageId) throw new MailboxError('protocol', `${this.address}: the mail was sent but Graph answered no Message-ID`);
    return { messageId: draft.internetMessageId };
  }

  private async createAnswer(mail: OutgoingMail, inReplyTo: string): Promise<CreatedMessage> {
    const stored = mail.answering?.providerId;
    if (stored) {
      try {
        return await this.createReply(stored, mail);
      } catch (error) {
        // Deleted since the sync saw it: look for it by its Message-ID (a copy may still be there).
        if (!(error instanceof MailboxError && error.code === 'not-found')) throw error;
      }
    }
    const found = await this.findByMessageId(inReplyTo);
    return found ? this.createReply(found, mail) : this.createFromMime(mail);
  }

  /** The Graph id of the mail with this Message-ID in this mailbox, or null. */
  private async findByMessageId(messageId: string): Promise<string | null> {
    const bare = messageId.trim().replace(/^<|>$/g, '');
    const res = await this.call<{ value?: { id?: string }[] }>(`${this.address}: finding the mail answered`, () =>
      this.client
        .api(`${this.userPath}/messages`)
        .filter(`internetMessageId eq '<${bare.replace(/'/g, "''")}>'`)
        .select(['id'])
        .top(1)
        .header('Prefer', this.prefer())
        .get(),
    );
    return res.value?.find((m) => typeof m.id === 'string' && m.id)?.id ?? null;
  }

  private async createReply(originalId: string, mail: OutgoingMail): Promise<CreatedMessage> {
    const draft = await this.call<Partial<CreatedMessage>>(`${this.address}: creating the answer`, () =>
      this.client.api(`${this.userPath}/messages/${encodeURIComponent(originalId)}/createReply`).header('Prefer', this.prefer()).post({ message: this.messageJson(mail) }),
    );
    if (!draft.id) throw new MailboxError('protocol', `${this.address}: Graph created the answer but answered no id`);
    return { ...draft, id: draft.id };
  }

  private async createFromMime(mail: OutgoingMail): Promise<CreatedMessage> {
    if (!mail.to.length) throw new MailboxError('protocol', `${this.address}: a mail needs at least one To recipient`);
    const mailbox = (a: MailAddress) => (a.name ? { name: a.name, address: a.address } : a.address);
    const source = await new MailComposer({
      from: mailbox(mail.from ?? { address: this.address }),
      to: mail.to.map(mailbox),
      cc: (mail.cc ?? []).map(mailbox),
      subject: mail.subject,
      html: mail.html,
      ...(mail.text ? { text: mail.text } : {}),
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
      ...(mail.references?.length ? { references: mail.references } : {}),
      ...(mail.autoSubmitted ? { headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } } : {}),
    })
      .compile()
      .build();
    const draft = await this.call<Partial<CreatedMessage>>(`${this.address}: creating the mail`, () =>
      this.client.api(`${this.userPath}/messages`).header('Prefer', this.prefer()).header('Content-Type', 'text/plain').post(source.toString('base64')),
    );
    if (!draft.id) throw new MailboxError('protocol', `${this.address}: Graph created the mail but answered no id`);
    return { ...draft, id: draft.id };
  }

  /**
   * Files a draft in the mailbox's Drafts folder (`POST /users/{address}/messages`, Mail.ReadWrite)
   * and answers Outlook on the web's link to it. Graph cannot set In-Reply-To on a new message, so
   * the draft is a new mail to the buyer with the thread's "Re:" subject.
   */
  async createDraft(mail: DraftMail): Promise<FiledDraft> {
    const draft = await this.createMessage(mail);
    return { folder: 'Drafts', webLink: typeof draft.webLink === 'string' && /^https:\/\//.test(draft.webLink) ? draft.webLink : null };
  }

  /** The message resource of a mail we write (JSON): only `x-` headers can be set. */
  private messageJson(mail: OutgoingMail): Record<string, unknown> {
    const recipient = (a: MailAddress) => ({ emailAddress: { address: a.address, ...(a.name ? { name: a.name } : {}) } });
    return {
      subject: mail.subject,
      body: { contentType: 'HTML', content: mail.html },
      toRecipients: mail.to.map(recipient),
      ccRecipients: (mail.cc ?? []).map(recipient),
      ...(mail.from ? { from: recipient(mail.from) } : {}),
      ...(mail.autoSubmitted ? { internetMessageHeaders: [{ name: 'X-Auto-Response-Suppress', value: 'All' }] } : {}),
    };
  }

  private async createMessage(mail: OutgoingMail): Promise<CreatedMessage> {
    if (!mail.to.length) throw new MailboxError('protocol', `${this.address}: a mail needs at least one To recipient`);
    const draft = await this.call<Partial<CreatedMessage>>(`${this.address}: creating the mail`, () => this.client.api(`${this.userPath}/messages`).header('Prefer', this.prefer()).post(this.messageJson(mail)));
    if (!draft.id) throw new MailboxError('protocol', `${this.address}: Graph created the mail but answered no id`);
    return { ...draft, id: draft.id };
  }

  async close(): Promise<void> {
    this.token = '';
  }
}

export function createGraphMailbox(options: GraphMailboxOptions): MailboxAdapter {
  return new GraphMailbox(options);
}
