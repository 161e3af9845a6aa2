/// <reference types="office-js" />
import { OfficeUnavailableError } from './errors.js';
import { mailbox } from './host.js';
import { currentItem } from './item.js';

/**
 * Replying from the task pane, and the thread a draft belongs to: the task pane's "Reply with a
 * template" and "Log this thread". Kept beside item.ts, in its style.
 */

/** Outlook refuses reply bodies over 32 KB. */
export const MAX_REPLY_HTML_LENGTH = 32 * 1024;

/**
 * Opens Outlook's reply form (reply-all when asked) with `html` above the quoted message
 * (`displayReplyForm`, Mailbox 1.1, read mode). Synchronous in Office; a promise here so callers
 * handle it like every other call.
 */
export function displayReplyForm(html: string, options: { replyAll?: boolean } = {}): Promise<void> {
  const item = currentItem() as Office.MessageRead | null;
  if (!item || typeof item.displayReplyForm !== 'function') return Promise.reject(new OfficeUnavailableError('This needs a received message (read mode)'));
  if (html.length > MAX_REPLY_HTML_LENGTH) return Promise.reject(new RangeError(`Reply body is ${html.length} characters; Outlook accepts at most ${MAX_REPLY_HTML_LENGTH}`));
  try {
    if (options.replyAll) item.displayReplyAllForm(html);
    else item.displayReplyForm(html);
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new OfficeUnavailableError(String(error)));
  }
}

/** The conversation of the open item (compose: set for replies and forwards, null for a new mail). */
export function conversationId(): string | null {
  const item = currentItem() as { conversationId?: string | null } | null;
  return item?.conversationId ? String(item.conversationId) : null;
}

/**
 * Opens a new message form with recipients, subject and HTML body (`mailbox.displayNewMessageForm`,
 * Mailbox 1.1): a follow-up when the mail it follows up is not the open one.
 */
export function displayNewMessageForm(form: { to: string[]; subject: string; html: string }): Promise<void> {
  if (form.html.length > MAX_REPLY_HTML_LENGTH) return Promise.reject(new RangeError(`Message body is ${form.html.length} characters; Outlook accepts at most ${MAX_REPLY_HTML_LENGTH}`));
  try {
    const box = mailbox();
    if (typeof box.displayNewMessageForm !== 'function') return Promise.reject(new OfficeUnavailableError('This Outlook cannot open a new message form'));
    box.displayNewMessageForm({ toRecipients: form.to, subject: form.subject, htmlBody: form.html });
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new OfficeUnavailableError(String(error)));
  }
}
