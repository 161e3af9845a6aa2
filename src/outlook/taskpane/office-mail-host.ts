import {
  displayLanguage,
  getDateHeader,
  getSharedProperties,
  getBody,
  getDelayDelivery,
  getFrom,
  getRecipients,
  getSubject,
  addAttachmentFromBase64,
  insertAtCursor,
  itemInfo,
  onItemChanged,
  readFields,
  setDelayDelivery,
  setSignature,
  setSubject,
  supportsDelayDelivery,
  userProfile,
} from '../office/index.js';
import { conversationId, displayNewMessageForm, displayReplyForm } from '../office/reply.js';
import type { MailHost, MailItem } from './mail-host.js';

/** Message-IDs compare without their angle brackets and case. */
const idKey = (id: string) => id.trim().replace(/^<|>$/g, '').toLowerCase();

/** The task pane's MailHost in Outlook (and in the playground's Office.js stand-in): the Office adapter, nothing more. */
export function officeMailHost(): MailHost {
  return {
    displayLanguage,
    me() {
      try {
        const profile = userProfile();
        return { name: profile.displayName, address: profile.emailAddress };
      } catch {
        return { name: '', address: '' }; // opened outside Outlook
      }
    },
    async item(): Promise<MailItem> {
      let info: ReturnType<typeof itemInfo>;
      try {
        info = itemInfo();
      } catch {
        return { mode: 'none' }; // opened outside Outlook: no mailbox
      }
      if (!info) return { mode: 'none' };
      if (info.kind === 'appointment') return { mode: 'appointment' };
      if (info.mode === 'compose') {
        const [to, from] = await Promise.all([getRecipients('to'), getFrom().catch(() => null)]);
        return { mode: 'compose', to, from, conversationId: conversationId() };
      }
      const fields = readFields();
      return {
        mode: 'read',
        internetMessageId: fields.internetMessageId,
        conversationId: fields.conversationId,
        subject: fields.subject,
        from: fields.from ?? fields.sender,
        to: fields.to,
        receivedAt: fields.dateTimeCreated?.toISOString() ?? null,
        dateHeader: await getDateHeader(),
        sharedMailbox: (await getSharedProperties())?.owner ?? null,
      };
    },
    async onItemChanged(listener) {
      const remove = await onItemChanged(listener);
      return () => void remove().catch(() => undefined);
    },
    getSubject,
    setSubject,
    getBodyHtml: () => getBody('html'),
    async insertAtCursor(html, text) {
      await insertAtCursor({ html, text });
    },
    replyWith: (html) => displayReplyForm(html),
    setSignature,
    supportsDelayDelivery,
    getDelayDelivery,
    setDelayDelivery,
    async attachFile(name, base64) {
      await addAttachmentFromBase64(base64, name);
    },
    async openFollowUp(draft) {
      let info: ReturnType<typeof itemInfo> = null;
      try {
        info = itemInfo();
      } catch {
        info = null; // opened outside Outlook: the new-message form says why it cannot
      }
      if (info?.mode === 'read' && info.kind === 'message' && draft.inReplyTo) {
        const fields = readFields();
        if (fields.internetMessageId && idKey(fields.internetMessageId) === idKey(draft.inReplyTo)) {
          // On the rep's own sent mail a plain reply would go to the rep: reply-all reaches the buyer.
          const sender = (fields.from ?? fields.sender)?.address.toLowerCase();
          const mine = !!sender && sender === userProfile().emailAddress.toLowerCase();
          await displayReplyForm(draft.html, { replyAll: mine });
          return 'reply';
        }
      }
      await displayNewMessageForm({ to: draft.to, subject: draft.subject, html: draft.html });
      return 'new';
    },
  };
}
