import { OfficeMockObject } from 'office-addin-mock';

/**
 * An Outlook stand-in for unit tests, built on office-addin-mock: one compose or read message
 * whose state tests can seed and inspect. Every async method calls its callback the way Outlook
 * does (`{status, value}` or `{status: 'failed', error}`), and `failWith` makes a named method
 * fail with an Office error code.
 */
export interface MessageState {
  mode: 'compose' | 'read';
  bodyType: 'html' | 'text';
  body: string;
  subject: string;
  to: Array<{ displayName: string; emailAddress: string }>;
  cc: Array<{ displayName: string; emailAddress: string }>;
  bcc: Array<{ displayName: string; emailAddress: string }>;
  from: { displayName: string; emailAddress: string };
  delayDeliveryTime: Date | 0;
  clientSignatureEnabled: boolean;
  /** Calls made, in order, by method name. */
  calls: string[];
  /** Method name → Office error it fails with. */
  failWith: Record<string, { code: number; name: string; message: string }>;
  headers: string;
  internetMessageId: string;
  conversationId: string;
  dateTimeCreated: Date;
  supportedSets: Record<string, string>;
  itemChangedHandlers: Array<() => void>;
  storage: Map<string, string> | null;
  /** Office.actions.associate registrations, by name. */
  associated: Record<string, (event: unknown) => unknown>;
  /** Info-bar messages by key. */
  notifications: Record<string, { type: string; message: string }>;
}

type Callback = (result: { status: string; value?: unknown; error?: { code: number; name: string; message: string } }) => void;

export function messageState(overrides: Partial<MessageState> = {}): MessageState {
  return {
    mode: 'compose',
    bodyType: 'html',
    body: '<html><body><div>Hello</div></body></html>',
    subject: '',
    to: [],
    cc: [],
    bcc: [],
    from: { displayName: 'Rep', emailAddress: 'rep@demo.tradepane.test' },
    delayDeliveryTime: 0,
    clientSignatureEnabled: true,
    calls: [],
    failWith: {},
    headers: 'Received: from x\r\nDate: Tue, 3 Jun 2025 09:15:00 +0400\r\nSubject: hi\r\n',
    internetMessageId: '<abc@example.com>',
    conversationId: 'conv-1',
    dateTimeCreated: new Date('2025-06-03T05:15:00Z'),
    supportedSets: { Mailbox: '1.13' },
    itemChangedHandlers: [],
    storage: null,
    associated: {},
    notifications: {},
    ...overrides,
  };
}

function versionAtLeast(have: string, want: string): boolean {
  const a = have.split('.').map(Number);
  const b = want.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** Where Outlook keeps the signature it manages: a block at the end of the body (or above a quote). */
const SIGNATURE_BLOCK = /<div id="Signature">[\s\S]*?<\/div><!--\/Signature-->/;

export function outlookStandIn(state: MessageState): Record<string, unknown> {
  function answer(method: string, callback: Callback | undefined, value?: unknown, change?: () => void): void {
    state.calls.push(method);
    const failure = state.failWith[method];
    if (failure) {
      callback?.({ status: 'failed', error: failure });
      return;
    }
    change?.();
    callback?.({ status: 'succeeded', value });
  }
  const lastArg = (args: unknown[]) => args[args.length - 1] as Callback;
  const recipients = (field: 'to' | 'cc' | 'bcc') => ({
    getAsync: (...args: unknown[]) => answer(`${field}.getAsync`, lastArg(args), state[field].map((r) => ({ ...r, recipientType: 'externalUser' }))),
  });

  const compose = {
    itemType: 'message',
    body: {
      getTypeAsync: (...args: unknown[]) => answer('body.getTypeAsync', lastArg(args), state.bodyType),
      getAsync: (type: string, ...rest: unknown[]) =>
        answer('body.getAsync', lastArg(rest), type === 'text' ? state.body.replace(/<[^>]*>/g, '') : state.body),
      setAsync: (data: string, ...rest: unknown[]) => answer('body.setAsync', lastArg(rest), undefined, () => (state.body = data)),
      setSelectedDataAsync: (data: string, ...rest: unknown[]) =>
        answer('body.setSelectedDataAsync', lastArg(rest), undefined, () => {
          // The cursor is at the start of the first <div> of the body in this stand-in.
          const at = state.body.indexOf('<div>');
          state.body = at === -1 ? data + state.body : state.body.slice(0, at) + data + state.body.slice(at);
        }),
      setSignatureAsync: (data: string, ...rest: unknown[]) =>
        answer('body.setSignatureAsync', lastArg(rest), undefined, () => {
          const block = `<div id="Signature">${data}</div><!--/Signature-->`;
          state.body = SIGNATURE_BLOCK.test(state.body) ? state.body.replace(SIGNATURE_BLOCK, block) : state.body.replace(/<\/body>|$/, (end) => block + end);
        }),
    },
    subject: {
      getAsync: (...args: unknown[]) => answer('subject.getAsync', lastArg(args), state.subject),
      setAsync: (subject: string, ...rest: unknown[]) => answer('subject.setAsync', lastArg(rest), undefined, () => (state.subject = subject)),
    },
    to: recipients('to'),
    cc: recipients('cc'),
    bcc: recipients('bcc'),
    // a reply's thread (Outlook sets it on replies and forwards)
    get conversationId() {
      return state.conversationId;
    },
    addFileAttachmentFromBase64Async: (base64: string, name: string, ...rest: unknown[]) =>
      answer(`addFileAttachmentFromBase64Async ${name} ${base64}`, lastArg(rest), `attachment-${name}`),
    from: { getAsync: (...args: unknown[]) => answer('from.getAsync', lastArg(args), { ...state.from, recipientType: 'user' }) },
    delayDeliveryTime: {
      getAsync: (...args: unknown[]) => answer('delayDeliveryTime.getAsync', lastArg(args), state.delayDeliveryTime),
      setAsync: (when: Date, ...rest: unknown[]) => answer('delayDeliveryTime.setAsync', lastArg(rest), undefined, () => (state.delayDeliveryTime = when)),
    },
    notificationMessages: {
      replaceAsync: (key: string, details: { type: string; message: string }, ...rest: unknown[]) =>
        answer('notificationMessages.replaceAsync', lastArg(rest), undefined, () => (state.notifications[key] = details)),
    },
    isClientSignatureEnabledAsync: (...args: unknown[]) => answer('isClientSignatureEnabledAsync', lastArg(args), state.clientSignatureEnabled),
    disableClientSignatureAsync: (...args: unknown[]) => answer('disableClientSignatureAsync', lastArg(args), undefined, () => (state.clientSignatureEnabled = false)),
  };

  const read = {
    itemType: 'message',
    subject: state.subject,
    internetMessageId: state.internetMessageId,
    conversationId: state.conversationId,
    dateTimeCreated: state.dateTimeCreated,
    from: state.from,
    sender: state.from,
    to: state.to,
    cc: state.cc,
    body: { getAsync: (type: string, ...rest: unknown[]) => answer('body.getAsync', lastArg(rest), type === 'text' ? state.body.replace(/<[^>]*>/g, '') : state.body) },
    getAllInternetHeadersAsync: (...args: unknown[]) => answer('getAllInternetHeadersAsync', lastArg(args), state.headers),
  };

  return {
    actions: {
      associate: (name: string, handler: (event: unknown) => unknown) => {
        state.associated[name] = handler;
      },
    },
    context: {
      displayLanguage: 'zh-CN',
      requirements: {
        isSetSupported: (name: string, version?: string) => {
          const have = state.supportedSets[name];
          return have !== undefined && (version === undefined || versionAtLeast(have, version));
        },
      },
      mailbox: {
        item: state.mode === 'compose' ? compose : read,
        diagnostics: { hostName: 'Outlook', hostVersion: '16.0.17425.20000', OWAView: undefined },
        userProfile: { displayName: 'Rep', emailAddress: 'rep@demo.tradepane.test', timeZone: 'China Standard Time' },
        addHandlerAsync: (type: string, handler: () => void, ...rest: unknown[]) =>
          answer(`addHandlerAsync:${type}`, lastArg(rest), undefined, () => state.itemChangedHandlers.push(handler)),
        removeHandlerAsync: (type: string, ...rest: unknown[]) =>
          answer(`removeHandlerAsync:${type}`, lastArg(rest), undefined, () => (state.itemChangedHandlers.length = 0)),
      },
    },
  };
}

/** Installs the stand-in as the global `Office` (through office-addin-mock) and returns it. */
export function installOffice(state: MessageState, options: { displayLanguage?: string } = {}): unknown {
  const standIn = outlookStandIn(state) as { context: { displayLanguage: string } };
  if (options.displayLanguage) standIn.context.displayLanguage = options.displayLanguage;
  const mock = new OfficeMockObject(standIn as never, 'outlook' as never);
  (globalThis as { Office?: unknown }).Office = mock;
  if (state.storage) {
    const storage = state.storage;
    (globalThis as { OfficeRuntime?: unknown }).OfficeRuntime = {
      storage: {
        getItem: async (k: string) => storage.get(k) ?? null,
        setItem: async (k: string, v: string) => void storage.set(k, v),
        removeItem: async (k: string) => void storage.delete(k),
      },
    };
  } else delete (globalThis as { OfficeRuntime?: unknown }).OfficeRuntime;
  return mock;
}

export function uninstallOffice(): void {
  delete (globalThis as { Office?: unknown }).Office;
  delete (globalThis as { OfficeRuntime?: unknown }).OfficeRuntime;
}
