import type { FetchMessageObject, ImapFlow, MessageStructureObject } from 'imapflow';
import type { AddressObject, ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { MailboxError, type FetchedMessage, type MailAddress, type MailboxAdapter, type NextPageOptions, type OutgoingMail, type SyncPage, type DraftMail, type FiledDraft } from './types.js';

/**
 * THE IMAP/SMTP adapter (imapflow, mailparser, nodemailer): Chinese enterprise mail (Tencent
 * Exmail, Alibaba, NetEase), Zoho, Outlook.com and any other IMAP server.
 *
 * Cursor: per folder (INBOX, and the folder marked `\Sent`) the UIDVALIDITY and the highest UID
 * stored. A backfill starts each folder just below the first UID received since the window's
 * start (IMAP SEARCH SINCE); after that, backfill and incremental passes are the same thing: the
 * UIDs above the stored one, oldest first, `pageSize` at a time. A changed UIDVALIDITY means
 * every UID we hold is meaningless → `cursor-expired` (the engine resyncs; the Message-ID dedupe
 * keeps that idempotent). Where the server offers CONDSTORE, STATUS's HIGHESTMODSEQ and UIDNEXT
 * let a pass over an unchanged folder end without selecting it.
 */

export { IMAP_PRESETS, IMAP_PRESET_NAMES, type Endpoint, type ImapPreset, type ImapSecurity, type ImapSettings } from './imap-presets.js';
import { IMAP_PRESETS, IMAP_PRESET_NAMES, type Endpoint, type ImapPreset, type ImapSettings } from './imap-presets.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
export const isLoopback = (host: string): boolean => LOOPBACK.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Settings from an admin's input: a preset, or custom endpoints; throws an Error naming the bad field. */
export function imapSettingsFrom(input: { preset?: unknown; imap?: unknown; smtp?: unknown; username?: unknown }): ImapSettings {
  const preset = (input.preset ?? 'custom') as ImapPreset;
  if (!IMAP_PRESET_NAMES.includes(preset)) throw new Error(`settings.preset: one of ${IMAP_PRESET_NAMES.join(', ')}`);
  const base = preset === 'custom' ? undefined : IMAP_PRESETS[preset];
  const endpoint = (path: string, raw: unknown, fallback: Endpoint | undefined): Endpoint => {
    const given = (raw ?? {}) as Partial<Endpoint>;
    const host = given.host ?? fallback?.host;
    const port = given.port ?? fallback?.port;
    const security = given.security ?? fallback?.security ?? 'tls';
    if (typeof host !== 'string' || !/^[A-Za-z0-9.:-]{1,253}$/.test(host)) throw new Error(`settings.${path}.host: a host name is required for a custom server`);
    if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) throw new Error(`settings.${path}.port: a port between 1 and 65535`);
    if (!['tls', 'starttls', 'none'].includes(security)) throw new Error(`settings.${path}.security: tls, starttls or none`);
    // Passwords never cross a network in the clear: plaintext only to this machine (test servers).
    if (security === 'none' && !isLoopback(host)) throw new Error(`settings.${path}.security: "none" (no TLS) is allowed only for a server on this machine (127.0.0.1); use tls or starttls`);
    return { host: host.toLowerCase(), port: port as number, security };
  };
  const username = input.username === undefined || input.username === '' ? undefined : String(input.username).slice(0, 320);
  return { preset, imap: endpoint('imap', input.imap, base?.imap), smtp: endpoint('smtp', input.smtp, base?.smtp), ...(username ? { username } : {}) };
}

interface FolderCursor {
  path: string;
  uidValidity: string;
  lastUid: number;
  modseq?: string | undefined;
  uidNext?: number | undefined;
}
interface ImapCursor {
  v: 1;
  folders: Partial<Record<'inbox' | 'sent', FolderCursor>>;
}

const BODY_MAX = 64 * 1024;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEOUT', 'NoConnection', 'EConnectionClosed', 'ClosedAfterConnectText', 'ClosedAfterConnectTLS']);

/** IMAP and socket failures as the engine's error codes. */
export function imapError(error: unknown): MailboxError {
  if (error instanceof MailboxError) return error;
  const e = error as { code?: string; message?: string; authenticationFailed?: boolean; tlsFailed?: boolean; throttleReset?: number; serverResponseCode?: string; responseText?: string };
  const text = e.responseText || e.message || String(error);
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED' || e.serverResponseCode === 'AUTHORIZATIONFAILED') return new MailboxError('auth', `login refused: ${text}`);
  if (e.code === 'ETHROTTLE') return new MailboxError('throttled', text, e.throttleReset);
  if (e.tlsFailed || (e.code && NETWORK_CODES.has(e.code))) return new MailboxError('unreachable', `${e.code ?? 'network'}: ${text}`);
  if (e.code === 'NotFound' || e.serverResponseCode === 'NONEXISTENT') return new MailboxError('not-found', text);
  return new MailboxError('protocol', text);
}

// Loaded on first use: a store with no IMAP mailbox (and every test without one) skips their ~150 ms of loading.
let imapLibraries: Promise<[typeof import('imapflow'), typeof import('mailparser')]> | undefined;
const loadImapLibraries = () => (imapLibraries ??= Promise.all([import('imapflow'), import('mailparser')]));

/** A logged-in connection (the sync's and the IDLE watcher's); throws MailboxError. STARTTLS that did not happen is refused. */
export async function openImapClient(address: string, settings: ImapSettings, password: string, timeouts: { connectMs?: number; socketMs?: number; maxIdleMs?: number } = {}): Promise<ImapFlow> {
  const { imap } = settings;
  const [{ ImapFlow }] = await loadImapLibraries();
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.security === 'tls',
    auth: { user: settings.username ?? address, pass: password },
    logger: false,
    disableAutoIdle: true,
    ...(timeouts.maxIdleMs ? { maxIdleTime: timeouts.maxIdleMs } : {}),
    connectionTimeout: timeouts.connectMs ?? 15_000,
    greetingTimeout: timeouts.connectMs ?? 15_000,
    socketTimeout: timeouts.socketMs ?? 120_000,
    clientInfo: { name: 'tradepane' },
  });
  // A dropped connection is reported on the next command; an unhandled 'error' event would end the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw imapError(error);
  }
  if (imap.security === 'starttls' && !client.secureConnection) {
    await client.logout().catch(() => undefined);
    throw new MailboxError('unreachable', `${imap.host} did not upgrade the connection with STARTTLS; refusing to send the password in the clear`);
  }
  return client;
}

export class ImapAdapter implements MailboxAdapter {
  readonly provider = 'imap' as const;
  private client: ImapFlow | undefined;

  constructor(
    private readonly address: string,
    private readonly settings: ImapSettings,
    private readonly password: string,
    private readonly timeouts: { connectMs?: number; socketMs?: number } = {},
  ) {}

  private async connect(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client;
    this.client = await openImapClient(this.address, this.settings, this.password, this.timeouts);
    return this.client;
  }

  private async folders(client: ImapFlow): Promise<{ inbox: string; sent: string | null; all: string[] }> {
    const list = await client.list();
    const sent = list.find((f) => f.specialUse === '\\Sent') ?? list.find((f) => /^(sent|sent items|sent messages|sent mail|已发送|已發送|已发送邮件)$/i.test(f.name));
    return { inbox: 'INBOX', sent: sent?.path ?? null, all: list.map((f) => f.path) };
  }

  async test(): Promise<{ address: string; folders: string[] }> {
    try {
      const client = await this.connect();
      const folders = await this.folders(client);
      return { address: this.address, folders: folders.all };
    } catch (error) {
      throw imapError(error);
    }
  }

  async nextPage(cursorText: string | null, options: NextPageOptions): Promise<SyncPage> {
    try {
      const client = await this.connect();
      const found = await this.folders(client);
      const cursor: ImapCursor = cursorText ? parseCursor(cursorText) : { v: 1, folders: {} };
      const messages: FetchedMessage[] = [];
      let remaining = 0;
      for (const [folder, path] of [['inbox', found.inbox], ['sent', found.sent]] as const) {
        if (!path) continue;
        let state = cursor.folders[folder];
        if (state && state.path !== path) state = undefined; // the Sent folder moved: start it again
        // CONDSTORE: nothing new (and nothing expunged-and-reused) when UIDNEXT and HIGHESTMODSEQ are unchanged.
        if (state?.uidNext !== undefined) {
          const status = await client.status(path, { uidNext: true, uidValidity: true, highestModseq: true });
          if (status && status.uidValidity !== undefined && String(status.uidValidity) !== state.uidValidity) throw new MailboxError('cursor-expired', `UIDVALIDITY of ${path} changed`);
          if (status && status.uidNext !== undefined && status.uidNext - 1 <= state.lastUid && (state.modseq === undefined || status.highestModseq === undefined || String(status.highestModseq) === state.modseq)) continue;
        }
        const lock = await client.getMailboxLock(path, { readOnly: true });
        try {
          const box = client.mailbox;
          if (!box) throw new MailboxError('not-found', `could not open ${path}`);
          const uidValidity = String(box.uidValidity);
          if (!state) {
            const since = await client.search({ since: options.since }, { uid: true });
            const first = since && since.length ? Math.min(...since) : box.uidNext;
            state = { path, uidValidity, lastUid: first - 1 };
          } else if (state.uidValidity !== uidValidity) {
            throw new MailboxError('cursor-expired', `UIDVALIDITY of ${path} changed from ${state.uidValidity} to ${uidValidity}`);
          }
          const uids = box.uidNext - 1 > state.lastUid ? ((await client.search({ uid: `${state.lastUid + 1}:*` }, { uid: true })) || []).filter((u) => u > state!.lastUid).sort((a, b) => a - b) : [];
          const take = uids.slice(0, Math.max(0, options.pageSize - messages.length));
          remaining += uids.length - take.length;
          if (take.length) {
            const fetched = await client.fetchAll(take.join(','), { uid: true, envelope: true, bodyStructure: true, size: true, internalDate: true, source: { maxLength: BODY_MAX } }, { uid: true });
            for (const item of fetched.sort((a, b) => a.uid - b.uid)) messages.push(await toFetched(item, folder, path, uidValidity));
            state = { ...state, lastUid: take[take.length - 1]! };
          }
          const caughtUpHere = take.length === uids.length;
          state = { ...state, uidValidity, ...(caughtUpHere ? { uidNext: box.uidNext, ...(box.highestModseq !== undefined ? { modseq: String(box.highestModseq) } : {}) } : { uidNext: undefined }) };
          cursor.folders[folder] = state;
        } finally {
          lock.release();
        }
      }
      return { messages, cursor: JSON.stringify(cursor), caughtUp: remaining === 0, remaining };
    } catch (error) {
      throw imapError(error);
    }
  }

  /** The RFC 822 source of a mail from this mailbox. */
  private async compose(mail: OutgoingMail): Promise<{ raw: Buffer; messageId: string }> {
    const from = mail.from ?? { address: this.address };
    const composer = new MailComposer({
      from: formatAddress(from),
      to: mail.to.map(formatAddress),
      ...(mail.cc?.length ? { cc: mail.cc.map(formatAddress) } : {}),
      subject: mail.subject,
      html: mail.html,
      ...(mail.text !== undefined ? { text: mail.text } : {}),
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
      ...(mail.references?.length ? { references: mail.references } : {}),
      ...(mail.messageId ? { messageId: mail.messageId } : {}),
      ...(mail.autoSubmitted ? { headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } } : {}),
    });
    const node = composer.compile();
    return { raw: await node.build(), messageId: node.messageId() };
  }

  /** Sends over SMTP and files a copy in the Sent folder (IMAP servers do not do that for SMTP submissions). */
  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const { smtp } = this.settings;
    const from = mail.from ?? { address: this.address };
    const { raw, messageId } = await this.compose(mail);
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.security === 'tls',
      requireTLS: smtp.security === 'starttls',
      ignoreTLS: smtp.security === 'none',
      auth: { user: this.settings.username ?? this.address, pass: this.password },
      connectionTimeout: this.timeouts.connectMs ?? 15_000,
      greetingTimeout: this.timeouts.connectMs ?? 15_000,
      socketTimeout: this.timeouts.socketMs ?? 120_000,
    });
    try {
      await transport.sendMail({ envelope: { from: from.address, to: [...mail.to, ...(mail.cc ?? [])].map((a) => a.address) }, raw });
    } catch (error) {
      const e = error as { code?: string; responseCode?: number; message?: string };
      if (e.code === 'EAUTH') throw new MailboxError('auth', `SMTP login refused: ${e.message}`);
      if (e.code === 'ECONNECTION' || e.code === 'ETIMEDOUT' || e.code === 'ESOCKET' || e.code === 'EDNS') throw new MailboxError('unreachable', `SMTP ${smtp.host}:${smtp.port}: ${e.message}`);
      if (e.responseCode === 421 || e.responseCode === 450 || e.responseCode === 451) throw new MailboxError('throttled', `SMTP: ${e.message}`);
      throw new MailboxError('protocol', `SMTP: ${e.message}`);
    } finally {
      transport.close();
    }
    try {
      const client = await this.connect();
      const { sent } = await this.folders(client);
      if (sent) await client.append(sent, raw, ['\\Seen']);
    } catch {
      // The mail went out; a missing Sent copy only means the sync will not see it from this mailbox.
    }
    return { messageId };
  }

  /** Files the mail in the Drafts folder (IMAP APPEND with \\Draft), creating "Drafts" when the server has none. */
  async createDraft(mail: DraftMail): Promise<FiledDraft> {
    const { raw } = await this.compose(mail);
    try {
      const client = await this.connect();
      const list = await client.list();
      const found = list.find((f) => f.specialUse === '\\Drafts') ?? list.find((f) => /^(drafts|draft|草稿|草稿箱|entwürfe|borradores|brouillons)$/i.test(f.name));
      const folder = found?.path ?? 'Drafts';
      if (!found) await client.mailboxCreate(folder);
      await client.append(folder, raw, ['\\Draft', '\\Seen']);
      return { folder, webLink: null };
    } catch (error) {
      throw imapError(error);
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.usable) await client.logout().catch(() => client.close());
    else client?.close();
  }
}

function parseCursor(text: string): ImapCursor {
  try {
    const parsed = JSON.parse(text) as ImapCursor;
    if (parsed.v !== 1 || typeof parsed.folders !== 'object') throw new Error('unknown version');
    return parsed;
  } catch {
    throw new MailboxError('cursor-expired', 'the stored IMAP cursor is not one this version understands');
  }
}

const formatAddress = (a: MailAddress) => (a.name ? { name: a.name, address: a.address } : a.address);

function addresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const out: MailAddress[] = [];
  for (const object of Array.isArray(value) ? value : value ? [value] : []) {
    for (const entry of object.value) {
      for (const a of entry.group ?? [entry]) if (a.address) out.push({ address: a.address, ...(a.name ? { name: a.name } : {}) });
    }
  }
  return out;
}

function header(parsed: ParsedMail, name: string): string | undefined {
  const line = parsed.headerLines.find((h) => h.key === name)?.line;
  if (line === undefined) return undefined;
  return line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
}

function attachmentsOf(node: MessageStructureObject | undefined, out: Array<{ name: string; contentType: string }> = []): Array<{ name: string; contentType: string }> {
  if (!node) return out;
  const name = node.dispositionParameters?.filename ?? node.parameters?.name;
  if (!node.childNodes?.length && (node.disposition === 'attachment' || name)) out.push({ name: name ?? '', contentType: node.type });
  for (const child of node.childNodes ?? []) attachmentsOf(child, out);
  return out;
}

async function toFetched(item: FetchMessageObject, folder: 'inbox' | 'sent', path: string, uidValidity: string): Promise<FetchedMessage> {
  const [, { simpleParser }] = await loadImapLibraries();
  const parsed = await simpleParser(item.source ?? Buffer.alloc(0), { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const references = parsed.references === undefined ? [] : Array.isArray(parsed.references) ? parsed.references : parsed.references.split(/\s+/);
  const structure = item.bodyStructure;
  const reportType = structure?.parameters?.['report-type'];
  const internal = item.internalDate ? new Date(item.internalDate) : parsed.date ?? new Date();
  const from = addresses(parsed.from)[0] ?? null;
  return {
    providerId: `${uidValidity}:${path}:${item.uid}`,
    folder,
    messageId: parsed.messageId ?? null,
    originalMessageId: header(parsed, 'x-microsoft-original-message-id') ?? null,
    inReplyTo: parsed.inReplyTo ?? null,
    references,
    providerThreadId: null,
    from,
    replyTo: addresses(parsed.replyTo),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    dateHeader: header(parsed, 'date') ?? null,
    receivedAt: internal.toISOString(),
    subject: parsed.subject ?? '',
    sizeBytes: item.size ?? item.source?.length ?? 0,
    attachments: attachmentsOf(structure),
    autoHeaders: {
      autoSubmitted: header(parsed, 'auto-submitted'),
      xAutoreply: header(parsed, 'x-autoreply'),
      xAutorespond: header(parsed, 'x-autorespond'),
      precedence: header(parsed, 'precedence'),
      xAutoResponseSuppress: header(parsed, 'x-auto-response-suppress'),
      listId: header(parsed, 'list-id'),
      contentType: structure ? `${structure.type}${reportType ? `; report-type=${reportType}` : ''}` : header(parsed, 'content-type'),
    },
    textBody: parsed.text ? parsed.text.slice(0, BODY_MAX) : null,
  };
}
