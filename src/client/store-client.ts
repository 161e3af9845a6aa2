import type { CreateDocumentRequest, CreatedDocument } from '../contract/documents.js';
import type { PaymentCheckRequest, PaymentCheckResponse, PaymentVerdictResponse, PaymentVerdictView } from '../contract/payments.js';
import type { PackTemplate } from '../core/pack/schema.js';
import type { Activity, ClientTime, ContactUpsert, ContactView, CustomerView, Due, LogRequest, LogResult, LogStatus, Task, TaskCreate, TaskList, Timeline } from '../contract/crm.js';
import type { MyPacks, PublishedPack, Rendered, RenderRequest, TemplateUses } from '../contract/me.js';
import type { MySignature, SignatureStateReport } from '../contract/signatures.js';
import { ApiError } from './api-error.js';
import type { HandOffPreview, PresenceList, StateAction, TeamConversationSummary, TeamItemKeys, TeamLookupView, TeamMemberList, TeamNoteView, TeamSendCheckView } from '../contract/team-inbox.js';
import type { CreateFollowUp, FollowUpDefaultView, FollowUpDraft, UnansweredInquiries, UnansweredInquiry, FollowUpList, FollowUpView, SnoozeFollowUp } from '../contract/followups.js';

/**
 * The one typed client the faces use to reach the store. It knows the API's paths and nothing
 * about Office.js or Gmail; the caller supplies the base URL and a token source. Every shape is
 * the contract's (src/contract, types only: no schema code reaches a browser bundle), and every
 * refusal is an ApiError built from the contract's ErrorResponse.
 */

export interface StoreClientOptions {
  baseUrl: string;
  token: () => Promise<string> | string;
  fetch?: typeof fetch;
  /**
   * `GET /me/packs` already under way, started before this client existed by
   * `StoreClient.startMyPacks` (the task pane's boot script); the first `myPacks` uses its answer.
   * Null or a failure or a 401 there: `myPacks` asks the store itself, with this client's token.
   */
  earlyPacks?: Promise<Response | null>;
}

const apiUrl = (baseUrl: string, path: string) => `${baseUrl.replace(/\/$/, '')}/api/v1${path}`;

export class StoreClient {
  private etag: string | undefined;
  private cachedPacks: PublishedPack[] | undefined;
  private cachedPersonal: PackTemplate[] = [];

  private earlyPacks: Promise<Response | null> | undefined;

  constructor(private readonly options: StoreClientOptions) {
    this.earlyPacks = options.earlyPacks;
  }

  /**
   * Starts `GET /me/packs` with a token at hand, before the client that will read the answer
   * exists: the task pane asks for the rep's templates while its own code still loads (boot.ts).
   * Hand the promise to that client as `earlyPacks`.
   */
  static startMyPacks(baseUrl: string, token: string, doFetch: typeof fetch = fetch): Promise<Response> {
    return doFetch(apiUrl(baseUrl, '/me/packs'), { headers: { authorization: `Bearer ${token}` } });
  }

  private async request(path: string, init: RequestInit = {}, early?: Promise<Response | null>): Promise<Response> {
    const doFetch = this.options.fetch ?? fetch;
    // An answer already under way stands for this request unless it never came or the token it carried was refused.
    let response = early ? await early.then((r) => (r && r.status !== 401 ? r : null), () => null) : null;
    if (!response) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${await this.options.token()}`);
      response = await doFetch(apiUrl(this.options.baseUrl, path), { ...init, headers });
    }
    if (!response.ok && response.status !== 304) {
      throw ApiError.of(response.status, await response.json().catch(() => null));
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

  /** The team-inbox conversation of the open item (opened, audited), or `conversation: null` (docs/team-inbox.md). */
  teamLookup(keys: TeamItemKeys): Promise<TeamLookupView> {
    return this.post('/team-conversations/lookup', keys);
  }

  /** Before a reply leaves: a colleague's answer the rep has not seen, or `collision: null`. */
  teamSendCheck(keys: TeamItemKeys): Promise<TeamSendCheckView> {
    return this.post('/team-conversations/send-check', keys);
  }

  /** "I'll take it": 409 `taken` names who has it. */
  teamClaim(conversationId: string): Promise<TeamConversationSummary> {
    return this.post(`/team-conversations/${encodeURIComponent(conversationId)}/claim`, {});
  }

  /** Hands the conversation to a member (e-mail or id), or back to the queue (null). */
  teamAssign(conversationId: string, assignee: string | null): Promise<TeamConversationSummary> {
    return this.post(`/team-conversations/${encodeURIComponent(conversationId)}/assign`, { assignee });
  }

  /** close, reopen, or wait (on the buyer). */
  teamState(conversationId: string, action: StateAction): Promise<TeamConversationSummary> {
    return this.post(`/team-conversations/${encodeURIComponent(conversationId)}/state`, { action });
  }

  /** Who works the inbox (the "assign to" picker). */
  teamMembers(inboxId: string): Promise<TeamMemberList> {
    return this.json(`/team-inboxes/${encodeURIComponent(inboxId)}/members`);
  }

  /** The inbox's hand-off as the store renders it: text in the buyer's language, subject, whose buyer it is. */
  teamHandOffPreview(conversationId: string): Promise<HandOffPreview> {
    return this.json(`/team-conversations/${encodeURIComponent(conversationId)}/hand-off`);
  }

  teamNote(conversationId: string, body: string): Promise<TeamNoteView> {
    return this.post(`/team-conversations/${encodeURIComponent(conversationId)}/notes`, { body });
  }

  /** "I am viewing / replying"; answers who else is. */
  teamPresence(conversationId: string, activity: 'viewing' | 'replying'): Promise<PresenceList> {
    return this.post(`/team-conversations/${encodeURIComponent(conversationId)}/presence`, { activity });
  }

  /** Log a mail once; a second log answers `already-logged` with who and when. */
  logMail(mail: LogRequest): Promise<LogResult> {
    return this.post('/log', mail);
  }

  logStatus(messageId: string): Promise<LogStatus> {
    return this.json(`/log/status?messageId=${encodeURIComponent(messageId)}`);
  }

  /** A follow-up task, e.g. from a logged mail, due in the client's business days. */
  createTask(task: TaskCreate): Promise<Task> {
    return this.post('/tasks', task);
  }

  async myTasks(status?: 'open' | 'done'): Promise<Task[]> {
    return (await this.json<TaskList>(`/tasks${status ? `?status=${status}` : ''}`)).tasks;
  }

  completeTask(taskId: string): Promise<Task> {
    return this.post(`/tasks/${encodeURIComponent(taskId)}/complete`, {});
  }

  /** A recipient's clock, business hours and the next good moment to send. */
  clientTime(email: string, now?: Date): Promise<ClientTime> {
    return this.json(`/client-time?email=${encodeURIComponent(email)}${now ? `&now=${encodeURIComponent(now.toISOString())}` : ''}`);
  }

  /** Render a template for a recipient; a 422 ApiError's `details` lists the missing values. */
  render(request: RenderRequest): Promise<Rendered> {
    return this.post('/me/render', request);
  }

  /** Count one insert (ranks my search). */
  async recordUse(pack: string, template: string): Promise<void> {
    await this.request('/me/template-uses', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pack, template }) });
  }

  /** A customer's logged mails and tasks, newest first. */
  timeline(customerId: string): Promise<Timeline> {
    return this.json(`/customers/${encodeURIComponent(customerId)}/timeline`);
  }

  /** The contact behind an address (null when the store has none): for the customer card. */
  async lookupContact(email: string): Promise<ContactView | null> {
    try {
      return await this.json(`/contacts/lookup?email=${encodeURIComponent(email)}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }

  /** The rep corrects the engine: a contact's name, language, country, time zone (only the fields given change; null clears). */
  saveContact(contact: ContactUpsert): Promise<ContactView> {
    return this.json('/contacts', { method: 'PUT', body: JSON.stringify(contact) });
  }

  customer(customerId: string): Promise<CustomerView> {
    return this.json(`/customers/${encodeURIComponent(customerId)}`);
  }

  /** The rep sets a customer's country (the engine's clock and holidays follow it). */
  setCustomerCountry(customerId: string, country: string | null): Promise<CustomerView> {
    return this.json(`/customers/${encodeURIComponent(customerId)}`, { method: 'PATCH', body: JSON.stringify({ country }) });
  }

  mySignature(): Promise<MySignature> {
    return this.json('/me/signature');
  }

  /** The packs published to me; revalidated with If-None-Match so an unchanged list costs a 304. */
  async myPacks(): Promise<PublishedPack[]> {
    const early = this.earlyPacks;
    this.earlyPacks = undefined;
    const response = await this.request('/me/packs', this.etag ? { headers: { 'if-none-match': this.etag } } : {}, early);
    if (response.status === 304 && this.cachedPacks) return this.cachedPacks;
    const body = (await response.json()) as MyPacks;
    this.etag = response.headers.get('etag') ?? undefined;
    this.cachedPacks = body.packs;
    this.cachedPersonal = body.personal;
    return body.packs;
  }

  /** My own templates, from the same answer as `myPacks` (call that first; no second request). */
  async myPersonalTemplates(): Promise<PackTemplate[]> {
    return this.cachedPersonal;
  }

  /** How often I used each template lately: ranks my search as Gmail's card ranks it. */
  async myTemplateUses(): Promise<TemplateUses['uses']> {
    return (await this.json<TemplateUses>('/me/template-uses')).uses;
  }

  /**
   * A correspondent's clock with what the face knows beyond the address: the Date: header of
   * their mail (its UTC offset), a country, zone or phone the rep gave. `known` says whether the
   * store has the contact and names their customer.
   */
  clientTimeOf(query: { email: string; now?: Date; dateHeader?: string; country?: string; tz?: string; phone?: string }): Promise<ClientTime> {
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
  async mySignatureIfChanged(etag?: string, signal?: AbortSignal): Promise<{ status: 'unchanged'; etag: string } | { status: 'none' } | { status: 'ok'; etag: string | null; signature: MySignature }> {
    try {
      const headers: Record<string, string> = etag ? { 'if-none-match': etag } : {};
      const response = await this.request('/me/signature', signal ? { headers, signal } : { headers });
      if (response.status === 304 && etag) return { status: 'unchanged', etag };
      return { status: 'ok', etag: response.headers.get('etag'), signature: (await response.json()) as MySignature };
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return { status: 'none' };
      throw error;
    }
  }

  /** What the Outlook on-send check saw for a sending address (the admin's compliance view). */
  async reportSignatureState(report: Omit<SignatureStateReport, 'channel'>, signal?: AbortSignal): Promise<void> {
    const init: RequestInit = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'outlook', ...report }) };
    if (signal) init.signal = signal;
    await this.request('/me/signature-state', init);
  }

  /** The payment guard's check of a draft's bank details (the on-send hooks of both clients). */
  paymentCheck(request: PaymentCheckRequest): Promise<PaymentCheckResponse> {
    return this.post('/me/payment-check', request);
  }

  /** A quotation or proforma invoice PDF from a template's fields: numbered and stored by the store. */
  createDocument(request: CreateDocumentRequest): Promise<CreatedDocument> {
    return this.post('/me/documents', request);
  }

  /** The payment guard's verdict on a received mail, by its Internet Message-ID; null when it was not judged. */
  async paymentVerdict(messageId: string): Promise<PaymentVerdictView | null> {
    return (await this.json<PaymentVerdictResponse>(`/me/payment-verdict?messageId=${encodeURIComponent(messageId)}`)).verdict;
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

  /** The one-click "follow up": the reply to the unanswered mail, written with the pack's follow-up template. */
  followUpDraft(id: string): Promise<FollowUpDraft> {
    return this.json(`/me/followups/${encodeURIComponent(id)}/draft`);
  }

  /** My buyers' inquiries not answered within the company's business hours (the inquiry reply rule). */
  async myUnansweredInquiries(): Promise<UnansweredInquiry[]> {
    return (await this.json<UnansweredInquiries>('/me/inquiries/unanswered')).inquiries;
  }
}
