import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliInProcess, ROOT } from '../support/cli.js';
import { readPdf } from '../support/pdf-text.js';

describe('tradepane document render (a draft from the pack file)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tp-doc-'));
    writeFileSync(join(dir, 'data.json'), JSON.stringify({ fields: { product: 'Ball valves', quoteNo: 'Q-9', lines: [{ item: 'Kugelhahn DN15', qty: 20, unitPrice: 4.25 }], place: 'Hamburg' }, buyer: { company: 'Armaturen GmbH' } }));
    writeFileSync(join(dir, 'profile.json'), JSON.stringify({ legalName: 'Demo Export Co., Ltd.', bankAccounts: [{ beneficiary: 'Demo Export Co., Ltd.', bankName: 'Bank of China', accountNumber: '358100001234', swift: 'BKCHCNBJ92A', currency: 'USD' }] }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('draws the demo pack’s quotation in German with the profile’s account', async () => {
    const out = join(dir, 'pi.pdf');
    const run = await cliInProcess(
      {},
      'document', 'render',
      '--pack', join(ROOT, 'src/server/demo/demo-pack.yaml'),
      '--template', 'quotation', '--lang', 'de', '--date', '2026-12-02', '--number', 'PI-ENTWURF',
      '--data', join(dir, 'data.json'), '--profile', join(dir, 'profile.json'), '--out', out,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^PI-ENTWURF \(draft\) → .*pi\.pdf \(\d+ bytes\)\n$/);
    const text = await readPdf(readFileSync(out));
    // 20 × 4.25 = 85.00 USD; FOB is the template's default, Hamburg the named place.
    for (const expected of ['Proforma-Rechnung', 'PI-ENTWURF', '2. Dezember 2026', 'Armaturen GmbH', 'Kugelhahn DN15', '85,00 USD', 'FOB Hamburg (Frei an Bord, Incoterms® 2020)', 'BKCHCNBJ92A']) {
      expect(text.joined).toContain(expected);
    }
  });

  it('says what is wrong with the data, naming the field', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ fields: { product: 'x', quoteNo: 'Q', place: 'P', lines: [{ item: 'วาล์ว', qty: 1, unitPrice: 1 }] } }));
    const run = await cliInProcess({}, 'document', 'render', '--pack', join(ROOT, 'src/server/demo/demo-pack.yaml'), '--template', 'quotation', '--data', join(dir, 'bad.json'), '--out', join(dir, 'x.pdf'));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/lines\[0\]\.item: contains U\+0E27 "ว" \(the Thai script\)/);
  });
});
