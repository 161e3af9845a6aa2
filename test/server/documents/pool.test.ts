import { afterAll, describe, expect, it } from '@jest/globals';
import { DocumentPool } from '../../../src/server/documents/pool.js';
import { readPdf } from '../../support/pdf-text.js';

describe('the document pool', () => {
  const pool = new DocumentPool({ threads: 1, queue: 0, timeoutMs: 60_000 });
  afterAll(() => pool.close());

  it('draws a document on a worker thread and refuses more than threads + queue at once', async () => {
    await pool.ready();
    const task = {
      input: {
        kind: 'quotation' as const,
        language: 'fr' as const,
        number: 'Q-2026-0007',
        issueDate: '2026-12-02',
        seller: { name: 'Demo Export' },
        buyer: { company: 'Société Générale de Robinetterie' },
        lines: [{ item: 'Vanne à bille DN15', quantity: 4, unitPrice: 2.5, currency: 'EUR' }],
        bankAccounts: [],
      },
      title: 'Q-2026-0007',
      createdAt: '2026-12-02T08:00:00.000Z',
    };
    const first = pool.draw(task);
    // One thread, no queue: a second document at the same moment is told to come back.
    await expect(pool.draw(task)).rejects.toMatchObject({ status: 503, code: 'busy', retryAfterSeconds: 1 });
    const result = await first;
    if (!result.ok) throw new Error(result.message);
    const text = await readPdf(result.pdf);
    expect(text.joined).toContain('Devis');
    expect(text.joined).toContain('Q-2026-0007');
    // 4 × 2.50 = 10.00 euros, French style.
    expect(text.joined.replace(/\u202f|\u00a0/g, ' ')).toContain('10,00 EUR');
  });
});
