/**
 * The playground's pretend Outlook: one open item (a message being written, or a received one),
 * the signed-in mailbox, the requirement sets this "client" supports, OfficeRuntime.storage, the
 * event handlers the events bundle registered, and what Outlook would show (notifications, the
 * reply form). Plain data and plain functions only, so the task pane and the event runtime — each
 * in its own frame, like in Outlook — can share it through the stand-in (office-standin.ts).
 */

export interface Person {
  name: string;
  address: string;
}

export interface ComposeState {
  to: Person[];
  cc: Person[];
  subject: string;
  bodyHtml: string;
  from: Person;
  /** Epoch ms of the scheduled delivery; 0 when the message goes out on Send (Office answers 0 too). */
  delayDeliveryTime: number;
  clientSignatureEnabled: boolean;
  /** Set for replies and forwards. */
  conversationId: string | null;
  composeType: 'newMail' | 'reply' | 'forward';
}

export interface ReadState {
  from: Person;
  to: Person[];
  cc: Person[];
  subject: string;
  bodyHtml: string;
  internetMessageId: string;
  conversationId: string;
  dateTimeCreated: number;
  /** The sender's Date: header as it would be in the raw headers. */
  dateHeader: string;
  /** The shared mailbox (info@) the item sits in, as getSharedPropertiesAsync names its owner; absent for the rep's own mail. */
  sharedMailbox?: string | null;
}

export type ItemState = { mode: 'compose'; compose: ComposeState } | { mode: 'read'; read: ReadState } | { mode: 'none' };

export interface Notification {
  key: string;
  type: string;
  message: string;
}

export interface EventOutcome {
  event: string;
  allowEvent: boolean | undefined;
  errorMessage?: string;
  cancelLabel?: string;
  commandId?: string;
  sendModeOverride?: string;
  /** The handler never called event.completed within the playground's budget. */
  timedOut?: boolean;
}

export type EventHandler = (event: unknown) => unknown;

const SIGNATURE_BLOCK = /<div id="Signature"[^>]*>[\s\S]*?<\/div><!--\/Signature-->/;

export class SimulatedMailbox {
  item: ItemState = { mode: 'none' };
  me: Person;
  displayLanguage = 'en-US';
  /** Highest Mailbox requirement set this pretend client supports; 1.13 brings delayDeliveryTime. */
  mailboxVersion = '1.14';
  /** Whether this pretend client has item.getSharedPropertiesAsync (new Outlook lacks it: office-js#4619). */
  sharedPropertiesApi = true;
  readonly storage = new Map<string, string>();
  readonly handlers = new Map<string, EventHandler>();
  readonly notifications: Notification[] = [];
  readonly eventLog: EventOutcome[] = [];
  /** The HTML the last "reply form" opened with (displayReplyForm). */
  replyFormHtml: string | null = null;
  /** The last new message form the add-in opened (displayNewMessageForm): in Outlook, a window of its own. */
  newMessageForm: { to: string[]; subject: string; html: string } | null = null;
  /** Set by the playground's editor so inserts land at the rep's cursor, as in Outlook. */
  editor: { insertHtml(html: string): string } | null = null;

  private readonly changeListeners = new Set<() => void>();
  private readonly itemChangedHandlers = new Set<() => void>();
  private itemCounter = 0;

  constructor(me: Person) {
    this.me = me;
  }

  // ---------- for the UI ----------

  subscribe(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  /** A new item is selected: the pinned pane hears ItemChanged, as in Outlook. */
  open(item: ItemState): void {
    this.item = item;
    this.itemCounter += 1;
    this.replyFormHtml = null;
    this.notifications.length = 0;
    this.changed();
    for (const handler of this.itemChangedHandlers) setTimeout(handler, 0);
  }

  newMessage(): ComposeState {
    const compose: ComposeState = { to: [], cc: [], subject: '', bodyHtml: '<div><br></div>', from: { ...this.me }, delayDeliveryTime: 0, clientSignatureEnabled: true, conversationId: null, composeType: 'newMail' };
    this.open({ mode: 'compose', compose });
    return compose;
  }

  get compose(): ComposeState | null {
    return this.item.mode === 'compose' ? this.item.compose : null;
  }

  get read(): ReadState | null {
    return this.item.mode === 'read' ? this.item.read : null;
  }

  itemKey(): number {
    return this.itemCounter;
  }

  // ---------- for the stand-in ----------

  isSetSupported(name: string, version?: string): boolean {
    const sets: Record<string, string> = { Mailbox: this.mailboxVersion, IdentityAPI: '0', NestedAppAuth: '0' };
    const have = sets[name];
    if (!have || have === '0') return false;
    if (!version) return true;
    const [haveMajor = 0, haveMinor = 0] = have.split('.').map(Number);
    const [wantMajor = 0, wantMinor = 0] = version.split('.').map(Number);
    return haveMajor > wantMajor || (haveMajor === wantMajor && haveMinor >= wantMinor);
  }

  addItemChangedHandler(handler: () => void): void {
    this.itemChangedHandlers.add(handler);
  }

  removeItemChangedHandlers(): void {
    this.itemChangedHandlers.clear();
  }

  setBody(html: string): void {
    const compose = this.compose;
    if (compose) compose.bodyHtml = html;
    this.changed();
  }

  /** Files attached to the message being written ("Make PDF"), as Outlook would list them. */
  readonly attachments: { name: string; base64: string }[] = [];

  attach(name: string, base64: string): string {
    this.attachments.push({ name, base64 });
    this.changed();
    return `attachment-${this.attachments.length}`;
  }

  /** At the cursor in the editor when there is one, else at the top of the body (a new message's cursor). */
  insertAtCursor(html: string): void {
    const compose = this.compose;
    if (!compose) return;
    compose.bodyHtml = this.editor ? this.editor.insertHtml(html) : html + compose.bodyHtml;
    this.changed();
  }

  /**
   * Outlook keeps the signature in a block of its own and replaces it on every call, so calling
   * twice never stacks two signatures. The block goes above any quoted text, at the end of a new
   * message.
   */
  setSignature(html: string): void {
    const compose = this.compose;
    if (!compose) return;
    const block = `<div id="Signature">${html}</div><!--/Signature-->`;
    if (SIGNATURE_BLOCK.test(compose.bodyHtml)) compose.bodyHtml = compose.bodyHtml.replace(SIGNATURE_BLOCK, () => block);
    else {
      const quote = compose.bodyHtml.search(/<div id="divRplyFwdMsg"|<hr[^>]*>\s*<div id="divRplyFwdMsg"/);
      compose.bodyHtml = quote >= 0 ? compose.bodyHtml.slice(0, quote) + block + compose.bodyHtml.slice(quote) : compose.bodyHtml + block;
    }
    this.changed();
  }

  notify(action: 'add' | 'replace' | 'remove', key: string, details?: { type?: string; message?: string }): void {
    const at = this.notifications.findIndex((n) => n.key === key);
    if (action === 'remove') {
      if (at >= 0) this.notifications.splice(at, 1);
    } else {
      const entry = { key, type: String(details?.type ?? 'informationalMessage'), message: String(details?.message ?? '') };
      if (at >= 0) this.notifications[at] = entry;
      else this.notifications.push(entry);
    }
    this.changed();
  }

  /** Runs what Outlook runs when a compose window opens (the playground wires the OnNewMessageCompose handler). */
  composeOpened: (() => void) | null = null;

  /**
   * displayReplyForm: as Outlook does, a reply compose window — to the sender, "Re: " + the
   * subject, the add-in's HTML above the quoted original, in the same conversation — and the
   * compose launch event runs, so the reply gets the signature and can be sent. Reply-all
   * (displayReplyAllForm) goes to the sender and every recipient but the rep: on a mail the rep
   * sent, to its recipients.
   */
  openReplyForm(html: string, options: { all?: boolean } = {}): void {
    this.replyFormHtml = html;
    if (this.item.mode !== 'read') {
      this.changed();
      return;
    }
    const read = this.item.read;
    const subject = /^re:/i.test(read.subject) ? read.subject : `Re: ${read.subject}`;
    const quoted = `<hr><p>From: ${escapeHtml(read.from.name)} &lt;${escapeHtml(read.from.address)}&gt;<br>Subject: ${escapeHtml(read.subject)}</p><blockquote>${read.bodyHtml}</blockquote>`;
    const me = this.me.address.toLowerCase();
    const everyone = options.all ? [read.from, ...read.to] : [read.from];
    const to = everyone.filter((r, i) => r.address.toLowerCase() !== me && everyone.findIndex((o) => o.address.toLowerCase() === r.address.toLowerCase()) === i);
    const cc = options.all ? read.cc.filter((r) => r.address.toLowerCase() !== me) : [];
    this.open({ mode: 'compose', compose: { to: (to.length ? to : [read.from]).map((r) => ({ ...r })), cc: cc.map((r) => ({ ...r })), subject, bodyHtml: `${html}${quoted}`, from: { ...this.me }, delayDeliveryTime: 0, clientSignatureEnabled: true, conversationId: read.conversationId, composeType: 'reply' } });
    this.replyFormHtml = html;
    this.composeOpened?.();
  }

  openNewMessageForm(form: { to: string[]; subject: string; html: string }): void {
    this.newMessageForm = form;
    this.changed();
  }

  // ---------- events ----------

  associate(name: string, handler: EventHandler): void {
    this.handlers.set(name, handler);
    this.changed();
  }

  /**
   * Runs a registered handler the way Outlook does: an event object whose `completed` ends it.
   * Resolves with what the handler decided; a handler that never completes within `budgetMs`
   * counts as timed out (Outlook would then apply the manifest's send mode).
   */
  runEvent(name: string, extra: Record<string, unknown> = {}, label = name, budgetMs = 10_000): Promise<EventOutcome> {
    const handler = this.handlers.get(name);
    if (!handler) return Promise.reject(new Error(`the events bundle registered no handler named ${name}`));
    const event = `${label} → ${name}`;
    return new Promise<EventOutcome>((resolve) => {
      let done = false;
      const finish = (outcome: EventOutcome) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.eventLog.push(outcome);
        this.changed();
        resolve(outcome);
      };
      const timer = setTimeout(() => finish({ event, allowEvent: undefined, timedOut: true }), budgetMs);
      const launch = {
        type: name,
        ...extra,
        completed: (options?: { allowEvent?: boolean; errorMessage?: string; cancelLabel?: string; commandId?: string; sendModeOverride?: string }) =>
          finish({
            event,
            allowEvent: options?.allowEvent,
            ...(options?.errorMessage !== undefined ? { errorMessage: String(options.errorMessage) } : {}),
            ...(options?.cancelLabel !== undefined ? { cancelLabel: String(options.cancelLabel) } : {}),
            ...(options?.commandId !== undefined ? { commandId: String(options.commandId) } : {}),
            ...(options?.sendModeOverride !== undefined ? { sendModeOverride: String(options.sendModeOverride) } : {}),
          }),
      };
      try {
        const result = handler(launch);
        if (result && typeof (result as Promise<unknown>).then === 'function') {
          (result as Promise<unknown>).then(undefined, (error: unknown) => finish({ event, allowEvent: undefined, errorMessage: `handler threw: ${String(error)}`, timedOut: true }));
        }
      } catch (error) {
        finish({ event, allowEvent: undefined, errorMessage: `handler threw: ${String(error)}`, timedOut: true });
      }
    });
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
