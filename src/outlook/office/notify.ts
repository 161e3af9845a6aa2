/// <reference types="office-js" />
import { officeCall } from './async.js';
import { currentItem } from './item.js';

/**
 * A short message in the item's info bar (function commands have no other UI). `icon` is a
 * resid of the manifest; `Icon.16x16` exists in ours.
 */
export async function notify(key: string, message: string, kind: 'info' | 'error' = 'info'): Promise<void> {
  const item = currentItem();
  const messages = item?.notificationMessages;
  if (!messages) return;
  const details =
    kind === 'error'
      ? { type: 'errorMessage' as Office.MailboxEnums.ItemNotificationMessageType, message: message.slice(0, 150) }
      : { type: 'informationalMessage' as Office.MailboxEnums.ItemNotificationMessageType, message: message.slice(0, 150), icon: 'Icon.16x16', persistent: false };
  await officeCall<void>((cb) => messages.replaceAsync(key, details, cb));
}
