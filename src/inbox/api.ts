import type { HandOffInput, HandOffPreview, HandOffResult } from '../contract/team-inbox.js';
import type { AssignInput, NoteInput, PresenceList, StateAction, TeamConversationList, TeamConversationSummary, TeamConversationView, TeamInboxList, TeamList, TeamNoteView } from '../contract/team-inbox.js';
import type { Me } from '../contract/me.js';
import { ApiError } from '../client/api-error.js';

export { ApiError };
export type { Me };

/** The team inbox's one door to the store: JSON over fetch with the rep's own bearer token; a refusal is the clients' one ApiError. */
export class InboxApi {
  constructor(
    private readonly token: () => string,
    private readonly onUnauthorized: () => void,
  ) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token()}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`/api/v1${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await response.text();
    const data = text && (response.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as unknown) : null;
    if (!response.ok) {
      if (response.status === 401) this.onUnauthorized();
      throw ApiError.of(response.status, data, response.statusText);
    }
    return data as T;
  }

  me = () => this.request<Me>('GET', '/me');
  inboxes = () => this.request<TeamInboxList>('GET', '/team-inboxes');
  /** One page of a list (the store's page size) of one inbox, or of every inbox the rep works (`null`); `cursor` is the previous page's nextCursor. */
  list = (inbox: string | null, list: TeamList, cursor?: string | null) => this.request<TeamConversationList>('GET', `/team-conversations?${inbox === null ? '' : `inbox=${encodeURIComponent(inbox)}&`}list=${list}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  open = (id: string) => this.request<TeamConversationView>('GET', `/team-conversations/${encodeURIComponent(id)}`);
  claim = (id: string) => this.request<TeamConversationSummary>('POST', `/team-conversations/${encodeURIComponent(id)}/claim`);
  assign = (id: string, body: AssignInput) => this.request<TeamConversationSummary>('POST', `/team-conversations/${encodeURIComponent(id)}/assign`, body);
  state = (id: string, action: StateAction) => this.request<TeamConversationSummary>('POST', `/team-conversations/${encodeURIComponent(id)}/state`, { action });
  note = (id: string, body: NoteInput) => this.request<TeamNoteView>('POST', `/team-conversations/${encodeURIComponent(id)}/notes`, body);
  handOffPreview = (id: string) => this.request<HandOffPreview>('GET', `/team-conversations/${encodeURIComponent(id)}/hand-off`);
  handOff = (id: string, body: HandOffInput) => this.request<HandOffResult>('POST', `/team-conversations/${encodeURIComponent(id)}/hand-off`, body);
  presence = (id: string, activity: 'viewing' | 'replying') => this.request<PresenceList>('POST', `/team-conversations/${encodeURIComponent(id)}/presence`, { activity });
}
