/**
 * @jest-environment jsdom
 */
import { describe, expect, it } from '@jest/globals';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ApiError } from '../../src/client/api-error.js';
import { templatesOwner, useTemplates } from '../../src/outlook/taskpane/store.js';
import { composeItem, memoryCache, quotePack, recordingHost, renderPane, storeStub } from './taskpane-support.js';

/** The Templates panel: search as you type, kinds, the typed form, insert, blocked insert, offline. */
describe('task pane: templates', () => {
  const rendered = { language: 'en', reason: 'chosen by you (en)', subject: 'Quotation LED panels', html: '<p>LED panels</p><table><tr><td>Panel</td></tr></table>', text: 'LED panels' };

  it('searches as you type and filters by kind', async () => {
    renderPane(recordingHost(composeItem()), storeStub({ myPacks: async () => [quotePack] }));
    await screen.findByRole('button', { name: 'Quotation' });
    expect(screen.getByRole('status').textContent).toBe('3 templates');
    // The search box comes in the render after the rows', before them on screen and for the Tab key.
    const search = await screen.findByLabelText('Search templates');
    expect(search.compareDocumentPosition(screen.getByRole('button', { name: 'Quotation' })) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    fireEvent.change(search, { target: { value: 'samp' } });
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Quotation' })).toBeNull());
    expect(screen.getByRole('button', { name: 'Samples on their way' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search templates'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'payment' } });
    await waitFor(() => expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual([expect.stringContaining('Payment reminder')]));
  });

  it('says why the packs did not load in the rep\'s language, then the store\'s words (en, zh-CN)', async () => {
    const refused = () => Promise.reject(ApiError.of(403, { error: { code: 'forbidden', message: 'this API key may not read packs' } }));
    const { unmount } = renderPane(recordingHost(composeItem()), storeStub({ myPacks: refused, myPersonalTemplates: async () => [] }));
    expect((await screen.findByRole('alert')).textContent).toBe('Could not load your templates. Your account may not do this. The store says: this API key may not read packs');
    unmount();
    renderPane(recordingHost(composeItem(), { displayLanguage: () => 'zh-CN' }), storeStub({ myPacks: refused, myPersonalTemplates: async () => [] }));
    expect((await screen.findByRole('alert')).textContent).toBe('无法加载您的模板。您的账号无权执行此操作。服务器返回：this API key may not read packs');
  });

  it('asks the store for the packs once when the page starts the load before the shell mounts (index.tsx does)', async () => {
    let requests = 0;
    let answer!: (packs: (typeof quotePack)[]) => void;
    const first = new Promise<(typeof quotePack)[]>((resolve) => (answer = resolve));
    const client = storeStub({ myPacks: () => (requests++, first), myPersonalTemplates: async () => [], myTemplateUses: async () => [] });
    const host = recordingHost(composeItem());
    const cache = memoryCache();
    useTemplates.setState({ status: 'idle', packs: [], personal: [] });
    const early = useTemplates.getState().load(client, cache, templatesOwner(host));
    renderPane(host, client, cache, { keepTemplates: true });
    await screen.findByRole('tablist');
    answer([quotePack]);
    await early;
    await screen.findByRole('button', { name: 'Quotation' });
    expect(requests).toBe(1);
    // Once done, loading again keeps what came; reloading asks the store again (the offline banner's Retry).
    await useTemplates.getState().load(client, cache, templatesOwner(host));
    expect(requests).toBe(1);
    await useTemplates.getState().reload(client, cache, templatesOwner(host));
    expect(requests).toBe(2);
  });

  it('shows that the list is loading, not "no packs", until the store answers', async () => {
    let answer!: (packs: (typeof quotePack)[]) => void;
    renderPane(recordingHost(composeItem()), storeStub({ myPacks: () => new Promise((resolve) => (answer = resolve)), myPersonalTemplates: async () => [], myTemplateUses: async () => [] }));
    const panel = await screen.findByRole('region', { name: 'Templates' });
    expect(within(panel).getByText('Loading…')).toBeTruthy();
    expect(screen.queryByText('No packs are published to you yet.')).toBeNull();
    answer([quotePack]);
    await screen.findByRole('button', { name: 'Quotation' });
    expect(screen.queryByText('Loading…')).toBeNull();
  });

  it('does not ask the store a second time when the packs came before the shell mounted (boot.ts asks that early)', async () => {
    let requests = 0;
    const client = storeStub({ myPacks: async () => (requests++, [quotePack]), myPersonalTemplates: async () => [], myTemplateUses: async () => [] });
    const host = recordingHost(composeItem());
    const cache = memoryCache();
    useTemplates.setState({ status: 'idle', packs: [], personal: [] });
    await useTemplates.getState().load(client, cache, templatesOwner(host));
    renderPane(host, client, cache, { keepTemplates: true });
    await screen.findByRole('button', { name: 'Quotation' });
    expect(requests).toBe(1);
  });

  it('asks the store again on mount when the early load failed', async () => {
    let requests = 0;
    const client = storeStub({
      myPacks: async () => {
        requests++;
        if (requests === 1) throw new ApiError(500, 'internal', 'boom');
        return [quotePack];
      },
      myPersonalTemplates: async () => [],
      myTemplateUses: async () => [],
    });
    const host = recordingHost(composeItem());
    const cache = memoryCache();
    useTemplates.setState({ status: 'idle', packs: [], personal: [] });
    await useTemplates.getState().load(client, cache, templatesOwner(host));
    expect(useTemplates.getState().status).toBe('error');
    renderPane(host, client, cache, { keepTemplates: true });
    await screen.findByRole('button', { name: 'Quotation' });
    expect(requests).toBe(2);
  });

  it('fills the typed form with the pack defaults, inserts the rendered HTML and sets the empty subject', async () => {
    const host = recordingHost(composeItem());
    const requests: unknown[] = [];
    const uses: string[] = [];
    renderPane(
      host,
      storeStub({
        myPacks: async () => [quotePack],
        render: (async (request: unknown) => (requests.push(request), rendered)) as never,
        recordUse: (async (pack: string, template: string) => void uses.push(`${pack}/${template}`)) as never,
      }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Quotation' }));
    expect(((await screen.findByLabelText(/^Incoterm/)) as HTMLSelectElement).value).toBe('FOB');
    expect((screen.getByLabelText(/^Valid until/) as HTMLInputElement).value).toBe('2026-12-31');
    fireEvent.change(screen.getByLabelText(/^Product/), { target: { value: 'LED panels' } });
    fireEvent.change(screen.getByLabelText('Item (Line 1)'), { target: { value: 'Panel' } });
    fireEvent.change(screen.getByLabelText('Price (Line 1) Amount'), { target: { value: '7.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a line' }));
    expect(screen.getByLabelText('Item (Line 2)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Insert' }));
    await screen.findByText('Inserted; the subject was empty, so it is now "Quotation LED panels".');
    expect(host.inserted).toEqual([rendered.html]);
    expect(host.subject).toBe('Quotation LED panels');
    expect(requests).toEqual([
      {
        pack: 'sales',
        template: 'quotation',
        to: 'buyer@hamburg-import.de',
        fields: { product: 'LED panels', moq: '', incoterm: 'FOB', validUntil: '2026-12-31', lines: [{ item: 'Panel', price: { amount: 7.5, currency: 'USD' } }, { item: '', price: '' }] },
      },
    ]);
    await waitFor(() => expect(uses).toEqual(['sales/quotation']));
  });

  it('keeps a subject the rep already wrote', async () => {
    const host = recordingHost(composeItem(), { subject: 'Our offer' });
    renderPane(host, storeStub({ myPacks: async () => [quotePack], render: (async () => rendered) as never, recordUse: async () => undefined }));
    fireEvent.click(await screen.findByRole('button', { name: 'Samples on their way' }));
    fireEvent.click(screen.getByRole('button', { name: 'Insert' }));
    await screen.findByText('Inserted.');
    expect(host.subject).toBe('Our offer');
  });

  it('blocks the insert and lists the missing values the store named', async () => {
    const host = recordingHost(composeItem());
    const missing = new ApiError(422, 'missing_values', 'cannot insert yet', [
      { path: 'product', message: 'required', label: 'Product' },
      { path: 'lines', message: 'required' },
    ]);
    renderPane(host, storeStub({ myPacks: async () => [quotePack], render: async () => Promise.reject(missing) }));
    fireEvent.click(await screen.findByRole('button', { name: 'Quotation' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Insert' }));
    const list = await screen.findByRole('list', { name: 'Cannot insert yet. These values are missing:' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Product', 'Items']);
    expect(host.inserted).toEqual([]);
    // The first missing field is highlighted and has the cursor.
    const product = screen.getByRole('textbox', { name: /^Product/ });
    await waitFor(() => expect(product.getAttribute('aria-invalid')).toBe('true'));
    expect(document.activeElement).toBe(product);
  });

  it("names missing fields in the pane's language, not the template's, and never lists '(template)'", async () => {
    const host = recordingHost(composeItem());
    // the store answers with the labels of the variant it rendered: a Chinese quotation
    const missing = new ApiError(422, 'missing_values', 'cannot insert yet', [
      { path: 'product', message: 'required', label: '产品' },
      { path: '(template)', message: 'the body has a Liquid error' },
    ]);
    renderPane(host, storeStub({ myPacks: async () => [quotePack], render: async () => Promise.reject(missing) }));
    fireEvent.click(await screen.findByRole('button', { name: 'Quotation' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Insert' }));
    const list = await screen.findByRole('list', { name: 'Cannot insert yet. These values are missing:' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Product', 'the template itself has an error (ask your admin to fix the pack)']);
  });

  it('checks typed values before asking the store, naming the field', async () => {
    let asked = false;
    renderPane(recordingHost(composeItem()), storeStub({ myPacks: async () => [quotePack], render: (async () => ((asked = true), rendered)) as never }));
    fireEvent.click(await screen.findByRole('button', { name: 'Quotation' }));
    fireEvent.change(await screen.findByLabelText(/^Minimum order/), { target: { value: '12 boxes' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const alert = await screen.findByText('Fix these fields first:');
    expect(alert.parentElement!.textContent).toContain('Minimum order: “12 boxes” is not a number');
    expect(asked).toBe(false);
  });

  it('shows the preview in a sandboxed frame', async () => {
    renderPane(recordingHost(composeItem()), storeStub({ myPacks: async () => [quotePack], render: (async () => ({ ...rendered, html: '<p>LED <b>panels</b></p>' })) as never }));
    fireEvent.click(await screen.findByRole('button', { name: 'Samples on their way' }));
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const frame = (await screen.findByTitle('Preview')) as HTMLIFrameElement;
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toContain('<p>LED <b>panels</b></p>');
  });

  it('works from the cached packs when the store is unreachable, and says so when an action needs it', async () => {
    const cache = memoryCache({ 'packs:rep@example.test': JSON.stringify({ savedAt: '2026-11-20T08:00:00.000Z', packs: [quotePack] }) });
    const unreachable = () => Promise.reject(new TypeError('Failed to fetch'));
    renderPane(recordingHost(composeItem()), storeStub({ myPacks: unreachable, render: unreachable }), cache);
    fireEvent.click(await screen.findByRole('button', { name: 'Samples on their way' }));
    expect(screen.getByText(/The template store cannot be reached\. Your cached templates still work/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Insert' }));
    await screen.findByText(/This needs the template store, which cannot be reached\. Retrying in 10 s/);
    expect(screen.getAllByRole('button', { name: 'Retry' }).length).toBe(1);
  });

  it('replies with a template in read mode', async () => {
    const host = recordingHost({ mode: 'read', internetMessageId: '<m1@x>', conversationId: 'c1', subject: 'Inquiry', from: { name: 'Anna', address: 'anna@hamburg-import.de' }, to: [], receivedAt: null, dateHeader: null });
    const requests: { to?: string }[] = [];
    renderPane(
      host,
      storeStub({
        myPacks: async () => [quotePack],
        render: (async (r: { to?: string }) => (requests.push(r), rendered)) as never,
        recordUse: async () => undefined,
        clientTimeOf: () => new Promise(() => undefined),
        logStatus: () => new Promise(() => undefined),
        lookupContact: () => new Promise(() => undefined),
      }),
    );
    fireEvent.click(await screen.findByRole('tab', { name: 'Reply with a template' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Samples on their way' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Reply with this template' }));
    await screen.findByText('The reply form is open with the template.');
    expect(host.replies).toEqual([rendered.html]);
    expect(requests[0]?.to).toBe('anna@hamburg-import.de');
  });
});
