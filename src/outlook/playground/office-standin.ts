import type { SimulatedMailbox } from './simulated-mailbox.js';

/**
 * The playground's Office.js stand-in: exactly the surface the Office adapter
 * (src/outlook/office/) and the event handlers use — `Office.onReady`, `context.displayLanguage`,
 * `context.requirements.isSetSupported`, `context.mailbox.item…` (compose and read),
 * `addHandlerAsync(ItemChanged)`, `actions.associate`, `OfficeRuntime.storage` — over one
 * SimulatedMailbox. Installed into a frame's own window (the task pane's, the event runtime's),
 * so values such as Dates and Promises are that frame's own and `instanceof` checks hold.
 *
 * Callbacks are asynchronous and shaped like Office's AsyncResult ({status, value, error}).
 */

type Callback = (result: unknown) => void;
type FrameWindow = Window & typeof globalThis;

/** Office methods take (data?, options?, callback?): the callback is the last function given. */
function callbackOf(args: unknown[]): { callback: Callback | undefined; options: Record<string, unknown> | undefined } {
  const callback = [...args].reverse().find((a): a is Callback => typeof a === 'function');
  const options = args.find((a): a is Record<string, unknown> => typeof a === 'object' && a !== null && !Array.isArray(a));
  return { callback, options };
}

const people = (list: { name: string; address: string }[]) => list.map((p) => ({ displayName: p.name, emailAddress: p.address, recipientType: 'externalUser' }));

const parseRecipients = (value: unknown): { name: string; address: string }[] =>
  (Array.isArray(value) ? value : []).map((v: unknown) => (typeof v === 'string' ? { name: '', address: v } : { name: String((v as { displayName?: string }).displayName ?? ''), address: String((v as { emailAddress?: string }).emailAddress ?? '') }));

export function installOffice(win: FrameWindow, mailbox: SimulatedMailbox): void {
  const later = (fn: () => void) => win.setTimeout(fn, 0);
  const succeed = (args: unknown[], value?: unknown) => {
    const { callback, options } = callbackOf(args);
    if (callback) later(() => callback({ status: 'succeeded', value, asyncContext: options?.asyncContext }));
  };
  const fail = (args: unknown[], code: number, name: string, message: string) => {
    const { callback, options } = callbackOf(args);
    if (callback) later(() => callback({ status: 'failed', value: undefined, error: { code, name, message }, asyncContext: options?.asyncContext }));
  };
  const composeOnly = (args: unknown[], run: (c: NonNullable<SimulatedMailbox['compose']>) => unknown) => {
    const compose = mailbox.compose;
    if (!compose) return fail(args, 9041, 'InvalidItem', 'This needs a message being written');
    try {
      succeed(args, run(compose));
    } catch (error) {
      fail(args, 9000, 'GenericResponseError', String(error));
    }
  };

  const recipients = (field: 'to' | 'cc') => ({
    getAsync: (...args: unknown[]) => composeOnly(args, (c) => people(c[field])),
    setAsync: (value: unknown, ...args: unknown[]) =>
      composeOnly(args, (c) => {
        c[field] = parseRecipients(value);
        mailbox.changed();
      }),
    addAsync: (value: unknown, ...args: unknown[]) =>
      composeOnly(args, (c) => {
        c[field] = [...c[field], ...parseRecipients(value)];
        mailbox.changed();
      }),
  });

  const notificationMessages = {
    addAsync: (key: string, details: { type?: string; message?: string }, ...args: unknown[]) => (mailbox.notify('add', key, details), succeed(args)),
    replaceAsync: (key: string, details: { type?: string; message?: string }, ...args: unknown[]) => (mailbox.notify('replace', key, details), succeed(args)),
    removeAsync: (key: string, ...args: unknown[]) => (mailbox.notify('remove', key), succeed(args)),
    getAllAsync: (...args: unknown[]) => succeed(args, mailbox.notifications.map((n) => ({ key: n.key, type: n.type, message: n.message }))),
  };

  const customProperties = new Map<string, unknown>();
  const loadCustomPropertiesAsync = (...args: unknown[]) =>
    succeed(args, {
      get: (name: string) => customProperties.get(name),
      set: (name: string, value: unknown) => void customProperties.set(name, value),
      remove: (name: string) => void customProperties.delete(name),
      getAll: () => Object.fromEntries(customProperties),
      saveAsync: (...saveArgs: unknown[]) => succeed(saveArgs),
    });

  function composeItem() {
    const supportsDelay = mailbox.isSetSupported('Mailbox', '1.13');
    return {
      itemType: 'message',
      get conversationId() {
        return mailbox.compose?.conversationId ?? null;
      },
      subject: {
        getAsync: (...args: unknown[]) => composeOnly(args, (c) => c.subject),
        setAsync: (value: string, ...args: unknown[]) =>
          composeOnly(args, (c) => {
            c.subject = String(value).slice(0, 255);
            mailbox.changed();
          }),
      },
      to: recipients('to'),
      cc: recipients('cc'),
      addFileAttachmentFromBase64Async: (base64: string, name: string, ...args: unknown[]) => composeOnly(args, () => mailbox.attach(String(name), String(base64))),
      from: { getAsync: (...args: unknown[]) => composeOnly(args, (c) => ({ displayName: c.from.name, emailAddress: c.from.address })) },
      body: {
        getAsync: (_type: unknown, ...args: unknown[]) => composeOnly(args, (c) => (String(_type) === 'text' ? c.bodyHtml.replace(/<[^>]*>/g, '') : c.bodyHtml)),
        getTypeAsync: (...args: unknown[]) => composeOnly(args, () => 'html'),
        setAsync: (data: string, ...args: unknown[]) => composeOnly(args, () => mailbox.setBody(String(data))),
        setSelectedDataAsync: (data: string, ...args: unknown[]) => composeOnly(args, () => mailbox.insertAtCursor(String(data))),
        prependAsync: (data: string, ...args: unknown[]) => composeOnly(args, (c) => mailbox.setBody(String(data) + c.bodyHtml)),
        setSignatureAsync: (data: string, ...args: unknown[]) => {
          if (String(data).length > 30_000) return fail(args, 9000, 'DataExceedsMaximumSize', 'The signature is over 30,000 characters');
          composeOnly(args, () => mailbox.setSignature(String(data)));
        },
      },
      ...(supportsDelay
        ? {
            delayDeliveryTime: {
              getAsync: (...args: unknown[]) => composeOnly(args, (c) => (c.delayDeliveryTime ? new win.Date(c.delayDeliveryTime) : 0)),
              setAsync: (when: Date, ...args: unknown[]) => {
                const ms = when && typeof when.getTime === 'function' ? when.getTime() : Number.NaN;
                if (!Number.isFinite(ms)) return fail(args, 9000, 'InvalidDate', 'The delivery time is not a date');
                composeOnly(args, (c) => {
                  c.delayDeliveryTime = ms;
                  mailbox.changed();
                });
              },
            },
          }
        : {}),
      isClientSignatureEnabledAsync: (...args: unknown[]) => composeOnly(args, (c) => c.clientSignatureEnabled),
      disableClientSignatureAsync: (...args: unknown[]) =>
        composeOnly(args, (c) => {
          c.clientSignatureEnabled = false;
          mailbox.changed();
        }),
      getComposeTypeAsync: (...args: unknown[]) => composeOnly(args, (c) => ({ composeType: c.composeType, coercionType: 'html' })),
      saveAsync: (...args: unknown[]) => composeOnly(args, () => `playground-draft-${mailbox.itemKey()}`),
      loadCustomPropertiesAsync,
      notificationMessages,
    };
  }

  function readItem() {
    const read = mailbox.read!;
    return {
      itemType: 'message',
      subject: read.subject,
      from: { displayName: read.from.name, emailAddress: read.from.address },
      sender: { displayName: read.from.name, emailAddress: read.from.address },
      to: people(read.to),
      cc: people(read.cc),
      internetMessageId: read.internetMessageId,
      conversationId: read.conversationId,
      dateTimeCreated: new win.Date(read.dateTimeCreated),
      itemId: `playground-item-${mailbox.itemKey()}`,
      body: { getAsync: (type: unknown, ...args: unknown[]) => succeed(args, String(type) === 'text' ? read.bodyHtml.replace(/<[^>]*>/g, '') : read.bodyHtml) },
      getAllInternetHeadersAsync: (...args: unknown[]) =>
        succeed(args, `Message-ID: ${read.internetMessageId}\r\nDate: ${read.dateHeader}\r\nFrom: ${read.from.name} <${read.from.address}>\r\nSubject: ${read.subject}\r\n`),
      displayReplyForm: (data: unknown) => mailbox.openReplyForm(typeof data === 'string' ? data : String((data as { htmlBody?: string })?.htmlBody ?? '')),
      displayReplyAllForm: (data: unknown) => mailbox.openReplyForm(typeof data === 'string' ? data : String((data as { htmlBody?: string })?.htmlBody ?? ''), { all: true }),
      loadCustomPropertiesAsync,
      notificationMessages,
      // Shared folders and shared mailboxes (Mailbox 1.8/1.13); absent where the client lacks it, as in new Outlook.
      ...(mailbox.sharedPropertiesApi
        ? {
            getSharedPropertiesAsync: (...args: unknown[]) =>
              read.sharedMailbox
                ? succeed(args, { owner: read.sharedMailbox, targetMailbox: read.sharedMailbox, targetRestUrl: 'https://outlook.office.com/api', delegatePermissions: 63 })
                : fail(args, 9000, 'GenericResponseError', 'The item is not in a shared folder'),
          }
        : {}),
    };
  }

  const ITEM_CHANGED = 'olkItemSelectedChanged';
  const office = {
    onReady: (callback?: (info: { host: string; platform: string }) => void) =>
      new win.Promise((resolve) => {
        later(() => {
          const info = { host: 'Outlook', platform: 'OfficeOnline' };
          callback?.(info);
          resolve(info);
        });
      }),
    context: {
      get displayLanguage() {
        return mailbox.displayLanguage;
      },
      requirements: { isSetSupported: (name: string, version?: string | number) => mailbox.isSetSupported(name, version === undefined ? undefined : String(version)) },
      mailbox: {
        get item() {
          return mailbox.item.mode === 'compose' ? composeItem() : mailbox.item.mode === 'read' ? readItem() : null;
        },
        get userProfile() {
          return { displayName: mailbox.me.name, emailAddress: mailbox.me.address, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, accountType: 'enterprise' };
        },
        diagnostics: { hostName: 'OutlookWebApp', hostVersion: 'playground', OWAView: 'ThreeColumns' },
        addHandlerAsync: (type: string, handler: () => void, ...args: unknown[]) => {
          if (String(type) !== ITEM_CHANGED) return fail(args, 9000, 'InvalidEventType', `the playground knows only ${ITEM_CHANGED}`);
          mailbox.addItemChangedHandler(handler);
          succeed(args);
        },
        removeHandlerAsync: (_type: string, ...args: unknown[]) => (mailbox.removeItemChangedHandlers(), succeed(args)),
        displayNewMessageForm: (form: { toRecipients?: unknown[]; subject?: string; htmlBody?: string }) =>
          mailbox.openNewMessageForm({ to: (form.toRecipients ?? []).map((r) => (typeof r === 'string' ? r : String((r as { emailAddress?: string }).emailAddress ?? ''))), subject: String(form.subject ?? ''), html: String(form.htmlBody ?? '') }),
      },
      ui: {
        displayDialogAsync: (_url: string, ...args: unknown[]) => fail(args, 12007, 'DialogUnavailable', 'The playground signs in with dev tokens; it has no dialogs'),
        messageParent: () => undefined,
      },
    },
    actions: { associate: (name: string, handler: (event: unknown) => unknown) => mailbox.associate(name, handler) },
    EventType: { ItemChanged: ITEM_CHANGED, DialogMessageReceived: 'dialogMessageReceived', DialogEventReceived: 'dialogEventReceived' },
    CoercionType: { Html: 'html', Text: 'text' },
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    SourceProperty: { Body: 'body', Subject: 'subject' },
    MailboxEnums: {
      ItemType: { Message: 'message', Appointment: 'appointment' },
      ItemNotificationMessageType: { InformationalMessage: 'informationalMessage', ErrorMessage: 'errorMessage', InsightMessage: 'insightMessage', ProgressIndicator: 'progressIndicator' },
      SendModeOverride: { PromptUser: 'promptUser' },
      ComposeType: { NewMail: 'newMail', Reply: 'reply', Forward: 'forward' },
    },
  };

  const storage = {
    getItem: (key: string) => win.Promise.resolve(mailbox.storage.has(key) ? mailbox.storage.get(key)! : null),
    setItem: (key: string, value: string) => win.Promise.resolve(void mailbox.storage.set(key, String(value))),
    removeItem: (key: string) => win.Promise.resolve(void mailbox.storage.delete(key)),
    getItems: (keys: string[]) => win.Promise.resolve(Object.fromEntries(keys.map((k) => [k, mailbox.storage.get(k) ?? null]))),
    setItems: (entries: Record<string, string>) => win.Promise.resolve(void Object.entries(entries).forEach(([k, v]) => mailbox.storage.set(k, String(v)))),
    removeItems: (keys: string[]) => win.Promise.resolve(void keys.forEach((k) => mailbox.storage.delete(k))),
    getKeys: () => win.Promise.resolve([...mailbox.storage.keys()]),
  };

  Object.assign(win, { Office: office, OfficeRuntime: { storage } });
}
