import { afterEach, describe, expect, it } from '@jest/globals';
import {
  addAttachmentFromBase64,
  OfficeError,
  OfficeUnavailableError,
  cacheStorage,
  diagnostics,
  disableClientSignature,
  displayLanguage,
  getBody,
  getBodyType,
  getDateHeader,
  getDelayDelivery,
  getFrom,
  getRecipients,
  getSubject,
  headerValue,
  insertAtCursor,
  isClientSignatureEnabled,
  isSetSupported,
  itemInfo,
  onItemChanged,
  readFields,
  setBody,
  setDelayDelivery,
  setSignature,
  setSubject,
  supportsDelayDelivery,
} from '../../src/outlook/office/index.js';
import { installOffice, messageState, uninstallOffice } from './office-stand-in.js';

afterEach(uninstallOffice);

describe('Office adapter in compose mode', () => {
  it('tells compose from read and message from appointment', () => {
    installOffice(messageState({ mode: 'compose' }));
    expect(itemInfo()).toEqual({ mode: 'compose', kind: 'message' });
    installOffice(messageState({ mode: 'read' }));
    expect(itemInfo()).toEqual({ mode: 'read', kind: 'message' });
  });

  it('reads and replaces the body, and reports its type', async () => {
    const state = messageState({ body: '<div>Hi</div>' });
    installOffice(state);
    expect(await getBodyType()).toBe('html');
    expect(await getBody('html')).toBe('<div>Hi</div>');
    expect(await getBody('text')).toBe('Hi');
    await setBody('<p>new</p>');
    expect(state.body).toBe('<p>new</p>');
  });

  it('inserts HTML at the cursor into an HTML body, after asking the body type', async () => {
    const state = messageState({ body: '<body><div>Hello</div></body>' });
    installOffice(state);
    expect(await insertAtCursor({ html: '<p>Dear <b>Ali</b></p>' })).toBe('html');
    expect(state.body).toBe('<body><p>Dear <b>Ali</b></p><div>Hello</div></body>');
    expect(state.calls).toEqual(['body.getTypeAsync', 'body.setSelectedDataAsync']);
  });

  it('inserts plain text into a plain-text body', async () => {
    const state = messageState({ bodyType: 'text', body: '<div>Hello</div>' });
    installOffice(state);
    expect(await insertAtCursor({ html: '<p>Dear &amp; <b>Ali</b></p><p>Thanks</p>' })).toBe('text');
    expect(state.body).toBe('Dear & Ali\nThanks<div>Hello</div>');
  });

  it('gets and sets the subject, refusing one longer than Outlook accepts', async () => {
    const state = messageState({ subject: 'RFQ' });
    installOffice(state);
    expect(await getSubject()).toBe('RFQ');
    await setSubject('Quotation QT-1');
    expect(state.subject).toBe('Quotation QT-1');
    await expect(setSubject('x'.repeat(256))).rejects.toThrow(/at most 255/);
    expect(state.subject).toBe('Quotation QT-1');
  });

  it('reads recipients and the From account', async () => {
    installOffice(
      messageState({
        to: [{ displayName: 'Ali', emailAddress: 'ali@buyer.ae' }],
        cc: [{ displayName: '', emailAddress: 'ops@buyer.ae' }],
        bcc: [],
        from: { displayName: 'Shared', emailAddress: 'sales@demo.tradepane.test' },
      }),
    );
    expect(await getRecipients('to')).toEqual([{ name: 'Ali', address: 'ali@buyer.ae' }]);
    expect(await getRecipients('cc')).toEqual([{ name: '', address: 'ops@buyer.ae' }]);
    expect(await getRecipients('bcc')).toEqual([]);
    expect(await getFrom()).toEqual({ name: 'Shared', address: 'sales@demo.tradepane.test' });
  });

  it('schedules delivery where Mailbox 1.13 is supported', async () => {
    const state = messageState();
    installOffice(state);
    expect(supportsDelayDelivery()).toBe(true);
    expect(await getDelayDelivery()).toBeNull();
    const when = new Date('2025-06-04T05:00:00Z');
    await setDelayDelivery(when);
    expect(state.delayDeliveryTime).toEqual(when);
    expect(await getDelayDelivery()).toEqual(when);
    await expect(setDelayDelivery(new Date('nope'))).rejects.toThrow(RangeError);
  });

  it('refuses to schedule where Mailbox 1.13 is missing', async () => {
    installOffice(messageState({ supportedSets: { Mailbox: '1.12' } }));
    expect(supportsDelayDelivery()).toBe(false);
    await expect(setDelayDelivery(new Date())).rejects.toBeInstanceOf(OfficeUnavailableError);
  });

  it('sets the signature and turns off the client signature', async () => {
    const state = messageState({ body: '<body><div>Hello</div></body>' });
    installOffice(state);
    expect(await isClientSignatureEnabled()).toBe(true);
    await disableClientSignature();
    expect(await isClientSignatureEnabled()).toBe(false);
    await setSignature('<p>Rep</p>');
    await setSignature('<p>Rep 2</p>');
    expect(state.body).toBe('<body><div>Hello</div><div id="Signature"><p>Rep 2</p></div><!--/Signature--></body>');
    await expect(setSignature('x'.repeat(30_001))).rejects.toThrow(/at most 30000/);
  });

  it('turns a failed asyncResult into an OfficeError with code and message', async () => {
    const state = messageState();
    state.failWith['body.setSignatureAsync'] = { code: 9041, name: 'ItemNotMessage', message: 'Only messages can have a signature.' };
    installOffice(state);
    const error = await setSignature('<p>x</p>').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OfficeError);
    expect(error).toMatchObject({ code: 9041, officeName: 'ItemNotMessage', message: 'Only messages can have a signature.' });
  });

  it('refuses read-only calls in compose mode', () => {
    installOffice(messageState({ mode: 'compose' }));
    expect(() => readFields()).toThrow(OfficeUnavailableError);
  });
});

describe('Office adapter in read mode', () => {
  it('reads the message identity and participants', () => {
    installOffice(
      messageState({
        mode: 'read',
        subject: 'RFQ: valves',
        to: [{ displayName: 'Rep', emailAddress: 'rep@demo.tradepane.test' }],
        from: { displayName: 'Ali', emailAddress: 'ali@buyer.ae' },
      }),
    );
    expect(readFields()).toEqual({
      internetMessageId: '<abc@example.com>',
      conversationId: 'conv-1',
      dateTimeCreated: new Date('2025-06-03T05:15:00Z'),
      subject: 'RFQ: valves',
      from: { name: 'Ali', address: 'ali@buyer.ae' },
      sender: { name: 'Ali', address: 'ali@buyer.ae' },
      to: [{ name: 'Rep', address: 'rep@demo.tradepane.test' }],
      cc: [],
    });
  });

  it("finds the sender's Date header, with folded lines", async () => {
    installOffice(messageState({ mode: 'read' }));
    expect(await getDateHeader()).toBe('Tue, 3 Jun 2025 09:15:00 +0400');
    expect(headerValue('X-A: 1\r\nDate: Tue, 3 Jun 2025\r\n 09:15:00 +0400\r\n', 'date')).toBe('Tue, 3 Jun 2025 09:15:00 +0400');
    expect(headerValue('X-A: 1\r\n', 'Date')).toBeNull();
  });

  it('answers null for the Date header when Outlook refuses the headers', async () => {
    const state = messageState({ mode: 'read' });
    state.failWith['getAllInternetHeadersAsync'] = { code: 5000, name: 'GenericError', message: 'nope' };
    installOffice(state);
    expect(await getDateHeader()).toBeNull();
  });

  it('refuses compose-only calls in read mode', async () => {
    installOffice(messageState({ mode: 'read' }));
    await expect(setSubject('x')).rejects.toBeInstanceOf(OfficeUnavailableError);
    await expect(setSignature('x')).rejects.toBeInstanceOf(OfficeUnavailableError);
  });
});

describe('Office adapter: host', () => {
  it('reports display language, requirement sets and diagnostics', () => {
    installOffice(messageState({ supportedSets: { Mailbox: '1.13', NestedAppAuth: '1.1' } }));
    expect(displayLanguage()).toBe('zh-CN');
    expect(isSetSupported('Mailbox', '1.10')).toBe(true);
    expect(isSetSupported('Mailbox', '1.14')).toBe(false);
    expect(isSetSupported('NestedAppAuth', '1.1')).toBe(true);
    expect(isSetSupported('IdentityAPI', '1.3')).toBe(false);
    expect(diagnostics()).toMatchObject({ hostName: 'Outlook', hostVersion: '16.0.17425.20000' });
  });

  it('without Office: English, no requirement sets, and a clear error for item calls', () => {
    uninstallOffice();
    expect(displayLanguage()).toBe('en-US');
    expect(isSetSupported('Mailbox', '1.1')).toBe(false);
    expect(() => itemInfo()).toThrow(/Office.js is not loaded/);
  });

  it('adds and removes the ItemChanged handler of a pinned pane', async () => {
    const state = messageState();
    installOffice(state);
    let fired = 0;
    const remove = await onItemChanged(() => fired++);
    state.itemChangedHandlers.forEach((h) => h());
    expect(fired).toBe(1);
    expect(state.calls).toContain('addHandlerAsync:olkItemSelectedChanged');
    await remove();
    expect(state.itemChangedHandlers).toHaveLength(0);
  });

  it('caches in OfficeRuntime.storage when present, else memory', async () => {
    const storage = new Map<string, string>();
    installOffice(messageState({ storage }));
    const runtime = cacheStorage();
    expect(runtime.kind).toBe('office-runtime');
    await runtime.set('k', 'v');
    expect(storage.get('tradepane:k')).toBe('v');
    expect(await runtime.get('k')).toBe('v');
    await runtime.remove('k');
    expect(await runtime.get('k')).toBeNull();

    uninstallOffice();
    const memory = cacheStorage();
    expect(memory.kind).toBe('memory');
    await memory.set('k', 'w');
    expect(await memory.get('k')).toBe('w');
  });
});

describe('Office adapter: attaching a file', () => {
  it('attaches base64 content to the message being written (Mailbox 1.8)', async () => {
    const state = messageState({ mode: 'compose', supportedSets: { Mailbox: '1.8' } });
    installOffice(state);
    await expect(addAttachmentFromBase64('JVBERi0=', 'PI-2026-0001.pdf')).resolves.toBe('attachment-PI-2026-0001.pdf');
    expect(state.calls).toEqual(['addFileAttachmentFromBase64Async PI-2026-0001.pdf JVBERi0=']);
  });

  it('says so where Outlook is older than Mailbox 1.8, and in read mode', async () => {
    installOffice(messageState({ mode: 'compose', supportedSets: { Mailbox: '1.7' } }));
    await expect(addAttachmentFromBase64('JVBERi0=', 'a.pdf')).rejects.toMatchObject({ code: 'NotSupported', message: 'Attaching a file needs Outlook with Mailbox 1.8 or later' });
    installOffice(messageState({ mode: 'read', supportedSets: { Mailbox: '1.8' } }));
    await expect(addAttachmentFromBase64('JVBERi0=', 'a.pdf')).rejects.toBeInstanceOf(Error);
  });
});
