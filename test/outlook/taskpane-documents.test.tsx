/**
 * @jest-environment jsdom
 */
import { describe, expect, it } from '@jest/globals';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { PublishedPack } from '../../src/core/pack/schema.js';
import { composeItem, quotePack, recordingHost, renderPane, storeStub } from './taskpane-support.js';

/** "Make PDF" beside a quotation: the store makes the numbered PI, Outlook attaches it to the draft. */
describe('task pane: quotation and proforma invoice as an attachment', () => {
  const quotation = quotePack.document.templates![0]!;
  // The same quotation with a quantity column: item lines a document can print.
  const docPack: PublishedPack = {
    ...quotePack,
    document: {
      ...quotePack.document,
      templates: [
        {
          ...quotation,
          fields: quotation.fields!.map((f) => (f.name === 'lines' ? { ...f, columns: [f.columns![0]!, { name: 'qty', type: 'number' as const, label: 'Qty', required: true }, f.columns![1]!] } : f)),
        },
      ],
    },
  };

  it('makes the PI through the store and attaches its PDF to the message', async () => {
    const attached: { name: string; base64: string }[] = [];
    const host = recordingHost(composeItem(), { attachFile: async (name, base64) => void attached.push({ name, base64 }) });
    const requests: unknown[] = [];
    renderPane(
      host,
      storeStub({
        myPacks: async () => [docPack],
        createDocument: (async (request: unknown) => (
          requests.push(request),
          { document: { id: 'd1', kind: 'proforma', number: 'PI-2026-0007', language: 'en', currency: 'USD', total: 'USD 15.00', totalMinor: '1500', fileName: 'PI-2026-0007.pdf', createdAt: '2026-12-02T00:00:00.000Z', createdBy: 'u1' }, pdfBase64: 'JVBERi0=', downloadPath: '/api/v1/me/documents/d1/pdf' }
        )) as never,
      }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Quotation' }));
    fireEvent.change(await screen.findByLabelText(/^Product/), { target: { value: 'LED panels' } });
    fireEvent.change(screen.getByLabelText('Item (Line 1)'), { target: { value: 'Panel' } });
    fireEvent.change(screen.getByLabelText('Qty (Line 1)'), { target: { value: '2' } });
    fireEvent.change(screen.getByLabelText('Price (Line 1) Amount'), { target: { value: '7.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Make proforma invoice (PDF)' }));
    await screen.findByText('PI-2026-0007.pdf is attached to this message.');
    expect(attached).toEqual([{ name: 'PI-2026-0007.pdf', base64: 'JVBERi0=' }]);
    expect(requests).toEqual([
      {
        kind: 'proforma',
        pack: 'sales',
        template: 'quotation',
        to: 'buyer@hamburg-import.de',
        fields: { product: 'LED panels', moq: '', incoterm: 'FOB', validUntil: '2026-12-31', lines: [{ item: 'Panel', qty: 2, price: { amount: 7.5, currency: 'USD' } }] },
      },
    ]);
    // Nothing was inserted into the body.
    expect(host.inserted).toEqual([]);
  });

  it('makes a quotation as well, on its own button', async () => {
    const attached: string[] = [];
    const host = recordingHost(composeItem(), { attachFile: async (name) => void attached.push(name) });
    const kinds: string[] = [];
    renderPane(
      host,
      storeStub({
        myPacks: async () => [docPack],
        createDocument: (async (request: { kind: string }) => (
          kinds.push(request.kind),
          { document: { id: 'd2', kind: 'quotation', number: 'Q-2026-0003', language: 'en', currency: 'USD', total: 'USD 15.00', totalMinor: '1500', fileName: 'Q-2026-0003.pdf', createdAt: '2026-12-02T00:00:00.000Z', createdBy: 'u1' }, pdfBase64: 'JVBERi0=', downloadPath: '/api/v1/me/documents/d2/pdf' }
        )) as never,
      }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Quotation' }));
    fireEvent.change(await screen.findByLabelText(/^Product/), { target: { value: 'LED panels' } });
    fireEvent.change(screen.getByLabelText('Item (Line 1)'), { target: { value: 'Panel' } });
    fireEvent.change(screen.getByLabelText('Qty (Line 1)'), { target: { value: '2' } });
    fireEvent.change(screen.getByLabelText('Price (Line 1) Amount'), { target: { value: '7.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Make quotation (PDF)' }));
    await screen.findByText('Q-2026-0003.pdf is attached to this message.');
    expect(kinds).toEqual(['quotation']);
    expect(attached).toEqual(['Q-2026-0003.pdf']);
  });

  it('offers no PDF for a template without item lines to print', async () => {
    renderPane(recordingHost(composeItem(), { attachFile: async () => undefined }), storeStub({ myPacks: async () => [quotePack] }));
    fireEvent.click(await screen.findByRole('button', { name: 'Quotation' }));
    await screen.findByRole('button', { name: 'Insert' });
    expect(screen.queryByRole('button', { name: 'Make proforma invoice (PDF)' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Make quotation (PDF)' })).toBeNull();
  });

  it('offers no PDF where the host cannot attach', async () => {
    renderPane(recordingHost(composeItem()), storeStub({ myPacks: async () => [docPack] }));
    fireEvent.click(await screen.findByRole('button', { name: 'Quotation' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Insert' })).toBeTruthy());
    expect(screen.queryByRole('button', { name: 'Make proforma invoice (PDF)' })).toBeNull();
  });
});
