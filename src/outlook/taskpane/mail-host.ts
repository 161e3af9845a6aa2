/**
 * What the task pane needs from the mail client, in its own words. The Outlook implementation
 * (office-mail-host.ts) goes through the Office adapter in src/outlook/office/; component tests
 * hand the panels a plain object instead, so no panel ever touches Office.js.
 */

export interface Person {
  name: string;
  address: string;
}

export interface ComposeItem {
  mode: 'compose';
  to: Person[];
  from: Person | null;
  /** Outlook's conversation id when the draft belongs to a thread (a reply or forward). */
  conversationId: string | null;
}

export interface ReadItem {
  mode: 'read';
  internetMessageId: string;
  conversationId: string;
  subject: string;
  from: Person | null;
  to: Person[];
  /** When Outlook received it (ISO), for the CRM log. */
  receivedAt: string | null;
  /** The sender's Date: header (carries their UTC offset), when the client can read headers. */
  dateHeader: string | null;
  /** The shared mailbox (info@) the item is in, when the client can tell (getSharedPropertiesAsync); else null or absent. */
  sharedMailbox?: string | null;
}

export type MailItem = ComposeItem | ReadItem | { mode: 'none' } | { mode: 'appointment' };

export interface MailHost {
  /** Office's UI language, e.g. "zh-CN". */
  displayLanguage(): string;
  /** The signed-in mailbox (the rep). */
  me(): Person;
  /** A snapshot of the open item: recipients and identity, not the body. */
  item(): Promise<MailItem>;
  /** Calls back when a pinned pane moves to another item; returns the unsubscribe. */
  onItemChanged(listener: () => void): Promise<() => void>;

  getSubject(): Promise<string>;
  setSubject(subject: string): Promise<void>;
  getBodyHtml(): Promise<string>;
  /** Insert at the cursor (Outlook picks HTML or text to match the body). */
  insertAtCursor(html: string, text: string): Promise<void>;
  /** Opens Outlook's reply form with this HTML (read mode). */
  replyWith(html: string): Promise<void>;

  /** Add or replace our signature block in the body. */
  setSignature(html: string): Promise<void>;

  /** Scheduled sending (Mailbox 1.13); when false the UI offers Outlook's own Delay delivery. */
  supportsDelayDelivery(): boolean;
  getDelayDelivery(): Promise<Date | null>;
  setDelayDelivery(when: Date): Promise<void>;

  /** Attaches a file (base64) to the message being written; absent where the host cannot. */
  attachFile?(name: string, base64: string): Promise<void>;

  /**
   * Opens a follow-up for the rep to edit and send: a reply on the unanswered mail when that mail
   * is the open one (reply-all when the rep sent it), else a new message form. Says which.
   */
  openFollowUp(draft: FollowUpDraftForm): Promise<'reply' | 'new'>;
}

export interface FollowUpDraftForm {
  to: string[];
  subject: string;
  html: string;
  /** The unanswered mail's Message-ID (with or without angle brackets). */
  inReplyTo: string | null;
}
