import type { PackTemplate, PublishedPack } from '../core/pack/schema.js';
import type { LanguageReason, LanguageSource } from '../core/compose/language.js';
import type { ActivityView as LoggedMail, TaskView } from '../core/crm/index.js';
import type { TimeText } from '../core/clienttime/messages.js';
import type { CreateFollowUp, FollowUpDefaultView, FollowUpList, FollowUpView, SnoozeFollowUp } from '../contract/followups.js';

export type { PublishedPack, LoggedMail, FollowUpView };
/** A task as the store answers it; creating or rescheduling also says which due rule applied. */
export type TaskItem = TaskView & { dueReason?: string; existing?: boolean };

/**
 * The one typed client the faces use to reach the store. It knows the API's paths and shapes
 * and nothing about Office.js or Gmail; the caller supplies the base URL and a token source.
 */

/** Shapes the faces use; the store's OpenAPI document (/docs/json) is the full reference. */
export interface LogRequest {
  messageId: string;
  threadId?: string;
  direction: 'inbound' | 'outbound';
  dateHeader?: string;
  sentAt?: string;
  from: string;
  to: string[];
  subject: string;
  snippet?: string;
  via: 'outlook' | 'gmail' | 'api';
}

export type DueRequest = { rule: { businessDays: number; at: string } } | { at: string };

/** A contact as the store keeps it (GET /contacts/lookup, PUT /contacts). */
export interface ContactRecord {
  id: string;
  email: string;
  customerId: string | null;
  firstName: string | null;
  lastName: string | null;
  language: string | null;
  country: string | null;
  timeZone: string | null;
}

export interface ClientTime {
  timeZone: string | null;
  confidence: string;
  reasons: string[];
  /** the reasons as codes the face words in the rep's language */
  reasonTexts: TimeText[];
  localTime: string | null;
  inBusinessHours: boolean;
  status: string;
  statusText: TimeText;
  /** their next opening after now (their next business morning while they are open); null when the zone is unknown */
  nextSlot: string | null;
  alternatives: { label: string; labelText: TimeText; at: string; clientLocal: string; repLocal?: string }[];
}

export interface RenderedTemplate {
  language: string;
  /** Why this language, in English; `why` is the same as a code with parameters, for the pane to word. */
  reason: string;
  source?: LanguageSource;
  why?: LanguageReason;
  subject: string;
  html: string;
  text: string;
}

export interface MissingValue {
  path: string;
  message: string;
  label?: string;
}

export interface MySignature {
  signature: string;
  html: string;
  hash: string;
  policy: { signatureOnSend: 'block' | 'warn' | 'off'; disableClientSignature: boolean };
}

export class StoreError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** For 422 missing_values: what the UI lists. */
    readonly details: MissingValue[] = [],
  ) {
    super(message);
  }
}

export interface StoreClientOptions {
  baseUrl: string;
  token: () => Promise<string> | string;
  fetch?: typeof fetch;
}

export class StoreClient {
  private etag: string | undefined;
  private cachedPacks: PublishedPack[] | undefined;
  private cachedPersonal: PackTemplate[] = [];

  constructor(private readonly options: StoreClientOptions) {}

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    const doFetch = this.options.fetch ?? fetch;
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${await this.options.token()}`);
    const response = await doFetch(`${this.options.baseUrl.replace(/\/$/, '')}/api/v1${path}`, { ...init, headers });
    if (!response.ok && response.status !== 304) {
      const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: MissingValue[] } };
      throw new StoreError(response.status, body.error?.code ?? 'http_error', body.error?.message ?? `the store answered ${response.status}`, body.error?.details ?? []);
    }
    return response;
  }

  private async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    return (await (await this.request(path, { ...init, headers })).json()) as T;
  }

  private post<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>(path, { method: 'POST', body: JSON.stringify(body) });
  }

  /** Log a mail once; a second log answers `already-logged` with who and when. */
  logMail(mail: LogRequest): Promise<{ status: 'logged' | 'already-logged'; activity: LoggedMail }> {
    return this.post('/log', mail);
  }

  logStatus(messageId: string): Promise<{ logged: boolean; activity: LoggedMail | null }> {
    return this.json(`/log/status?messageId=${encodeURIComponent(messageId)}`);
  }

  /** A follow-up task, e.g. from a logged mail, due in the client's business days. */
  createTask(task: { title?: string; notes?: string; messageId?: string; link?: string; contact?: string; due?: DueRequest }): Promise<TaskItem> {
    return this.post('/tasks', task);
  }

  async myTasks(status?: 'open' | 'done'): Promise<TaskItem[]> {
    return (await this.json<{ tasks: TaskItem[] }>(`/tasks${status ? `?status=${status}` : ''}`)).tasks;
  }

  completeTask(taskId: string): Promise<TaskItem> {
    return this.post(`/tasks/${encodeURIComponent(taskId)}/complete`, {});
  }

  /** A recipient's clock, business hours and the next good moment to send. */
  clientTime(email: string, now?: Date): Promise<ClientTime> {
    return this.json(`/client-time?email=${encodeURIComponent(email)}${now ? `&now=${encodeURIComponent(now.toISOString())}` : ''}`);
  }

  /** Render a template for a recipient; a 422 StoreError's `details` lists the missing values. */
  render(request: { pack: string; template: string; to?: string; language?: string; fields?: Record<string, unknown>; inbound?: string }): Promise<RenderedTemplate> {
    return this.post('/me/render', request);
  }

  /** Count one insert (ranks my search). */
  async recordUse(pack: string, template: string): Promise<void> {
    await this.request('/me/template-uses', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pack, template }) });
  }

  /** A customer's logged mails and tasks, newest first. */
  timeline(customerId: string): Promise<{ mails: LoggedMail[]; tasks: TaskItem[] }> {
    return this.json(`/customers/${encodeURIComponent(customerId)}/timeline`);
  }

  /** The contact behind an address (null when the store has none): for the customer card. */
  async lookupContact(email: string): Promise<ContactRecord | null> {
    try {
      return await this.json(`/contacts/lookup?email=${encodeURIComponent(email)}`);
    } catch (error) {
      if (error instanceof StoreError && error.status === 404) return null;
      throw error;
    }
  }

  /** The rep corrects the engine: a contact's name, language, country, time zone (only the fields given change; null clears). */
  saveContact(contact: { email: string } & Partial<Pick<ContactRecord, 'firstName' | 'lastName' | 'language' | 'country' | 'timeZone'>>): Promise<ContactRecord> {
    return this.json('/contacts', { method: 'PUT', body: JSON.stringify(contact) });
  }

  customer(customerId: string): Promise<{ id: string; name: string; domains: string[]; country: string | null; timeZone: string | null }> {
    return this.json(`/customers/${encodeURIComponent(customerId)}`);
  }

  /** The rep sets a customer's country (the engine's clock and holidays follow it). */
  setCustomerCountry(customerId: string, country: string | null): Promise<{ id: string; name: string; country: string | null }> {
    return this.json(`/customers/${encodeURIComponent(customerId)}`, { method: 'PATCH', body: JSON.stringify({ country }) });
  }

  mySignature(): Promise<MySignature> {
    return this.json('/me/signature');
  }

  /** The packs published to me; revalidated with If-None-Match so an unchanged list costs a 304. */
  async myPacks(): Promise<PublishedPack[]> {
    const response = await this.request('/me/packs', this.etag ? { headers: { 'if-none-match': this.etag } } : {});
    if (response.status === 304 && this.cachedPacks) return this.cachedPacks;
    const body = (await response.json()) as { packs: PublishedPack[]; personal?: PackTemplate[] };
    this.etag = response.headers.get('etag') ?? undefined;
    this.cachedPacks = body.packs;
    this.cachedPersonal = body.personal ?? [];
    return body.packs;
  }

  /** My own templates, from the same answer as `myPacks` (call that first; no second request). */
  async myPersonalTemplates(): Promise<PackTemplate[]> {
    return this.cachedPersonal;
  }

  /** How often I used each template lately: ranks my search as Gmail's card ranks it. */
  async myTemplateUses(): Promise<{ pack: string; template: string; count: number }[]> {
    return (await this.json<{ uses: { pack: string; template: string; count: number }[] }>('/me/template-uses')).uses;
  }

  /**
   * A correspondent's clock with what the face knows beyond the address: the Date: header of
   * their mail (its UTC offset), a country, zone or phone the rep gave. `known` says whether the
   * store has the contact and names their customer.
   */
  clientTimeOf(query: { email: string; now?: Date; dateHeader?: string; country?: string; tz?: string; phone?: string }): Promise<ClientTime & { known: { contact: boolean; customer: string | null } }> {
    const params = new URLSearchParams({ email: query.email });
    if (query.now) params.set('now', query.now.toISOString());
    for (const key of ['dateHeader', 'country', 'tz', 'phone'] as const) {
      const value = query[key];
      if (value) params.set(key, value);
    }
    return this.json(`/client-time?${params.toString()}`);
  }

  /**
   * My enforced signature, revalidated: with the ETag of a cached copy the store answers 304 and
   * this says `unchanged`; `none` when no pack enforces a signature for me. `signal` lets the
   * Outlook event handlers bound the wait.
   */
  async mySignatureIfChanged(etag?: string, signal?: AbortSignal): Promise<{ status: 'unchanged'; etag: string } | { status: 'none' } | { status: 'ok'; etag: string | null; signature: MySignature & { pack: string } }> {
    try {
      const headers: Record<string, string> = etag ? { 'if-none-match': etag } : {};
      const response = await this.request('/me/signature', signal ? { headers, signal } : { headers });
      if (response.status === 304 && etag) return { status: 'unchanged', etag };
      return { status: 'ok', etag: response.headers.get('etag'), signature: (await response.json()) as MySignature & { pack: string } };
    } catch (error) {
      if (error instanceof StoreError && error.status === 404) return { status: 'none' };
      throw error;
    }
  }

  /** What the Outlook on-send check saw for a sending address (the admin's compliance view). */
  async reportSignatureState(report: { address: string; state: 'ok' | 'missing' | 'altered'; pack?: string; signature?: string; hash?: string; detail?: string; client?: string }, signal?: AbortSignal): Promise<void> {
    const init: RequestInit = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'outlook', ...report }) };
    if (signal) init.signal = signal;
    await this.request('/me/signature-state', init);
  }

  /** My follow-ups (docs/followups.md): open ones by default (due first), or only the due ones. */
  async myFollowUps(filter: 'open' | 'due' | 'all' = 'open'): Promise<FollowUpView[]> {
    return (await this.json<FollowUpList>(`/me/followups?filter=${filter}`)).followUps;
  }

  /** "Remind me if no reply" for the mail being written (or, with messageId + sentAt, one just sent). */
  createFollowUp(request: CreateFollowUp): Promise<FollowUpView> {
    return this.post('/me/followups', request);
  }

  followUpDone(id: string): Promise<FollowUpView> {
    return this.post(`/me/followups/${encodeURIComponent(id)}/done`, {});
  }

  snoozeFollowUp(id: string, request: SnoozeFollowUp): Promise<FollowUpView> {
    return this.post(`/me/followups/${encodeURIComponent(id)}/snooze`, request);
  }

  /** The pack's default reminder for a template kind (null days: off). */
  followUpDefault(kind?: string): Promise<FollowUpDefaultView> {
    return this.json(`/me/followups/default${kind ? `?kind=${encodeURIComponent(kind)}` : ''}`);
  }
}
