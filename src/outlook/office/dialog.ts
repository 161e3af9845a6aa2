/// <reference types="office-js" />
import { OfficeError } from './errors.js';
import { officeCall } from './async.js';
import { office } from './host.js';

/**
 * Office's dialog (`displayDialogAsync`), for sign-in where nested app authentication is not
 * available: opens `url` (same origin as the add-in) and resolves with the first message the
 * page sends with `Office.context.ui.messageParent`. Closing the dialog rejects with code 12006.
 */
export async function openDialogForMessage(url: string, size: { height: number; width: number } = { height: 60, width: 30 }): Promise<string> {
  const ui = office().context.ui;
  const dialog = await officeCall<Office.Dialog>((cb) => ui.displayDialogAsync(url, { height: size.height, width: size.width, promptBeforeOpen: false }, cb));
  return new Promise<string>((resolve, reject) => {
    const messageReceived = (office().EventType?.DialogMessageReceived ?? 'dialogMessageReceived') as unknown as Office.EventType;
    const eventReceived = (office().EventType?.DialogEventReceived ?? 'dialogEventReceived') as unknown as Office.EventType;
    dialog.addEventHandler(messageReceived, (arg) => {
      dialog.close();
      if ('message' in arg) resolve(String(arg.message));
      else reject(new OfficeError(arg.error, 'The sign-in dialog sent no message'));
    });
    dialog.addEventHandler(eventReceived, (arg) => {
      const code = 'error' in arg ? arg.error : 'unknown';
      reject(new OfficeError(code, code === 12006 ? 'The sign-in dialog was closed' : `The sign-in dialog failed (${code})`));
    });
  });
}

/** Inside the dialog page: hands `message` back to the add-in that opened it. */
export function messageParent(message: string): void {
  office().context.ui.messageParent(message);
}
