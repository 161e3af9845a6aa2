import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliInProcess } from '../support/cli.js';

/** `tradepane render` in-process (the command's own register(), no tsx per call): language, reason, typed fields. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const demoPack = join(root, 'src/server/demo/demo-pack.yaml');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tp-render-'));
});

/** Runs `tradepane render … --format json` in-process; a failed run rejects with what it printed on stderr. */
async function render(...args: string[]): Promise<Record<string, unknown>> {
  const run = await cliInProcess({}, 'render', '--pack', demoPack, '--format', 'json', ...args);
  if (run.status !== 0 && !run.stdout) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function eml(name: string, from: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, `From: ${from}\r\nTo: rep@example.cn\r\nSubject: RFQ\r\nMessage-ID: <${name}@x>\r\nDate: Tue, 1 Dec 2026 09:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`);
  return file;
}

const quote = ['--template', 'quotation', '--field', 'product=LED panels', '--field', 'quoteNo=Q-1', '--field', 'place=Ningbo', '--field', 'validUntil=2026-12-31'];

describe('tradepane render', () => {
  it('a .sa buyer: Arabic where the template has it, because of the domain', async () => {
    const out = await render('--template', 'inquiry-reply', '--to', 'buyer@alfanar-trading.sa', '--field', 'product=LED panels');
    expect(out).toMatchObject({ ok: true, language: 'ar', source: 'recipient-domain', reason: "the recipient's domain alfanar-trading.sa is in SA" });
  });

  it('a .sa buyer and a template without Arabic: says so and uses the pack default', async () => {
    const out = await render(...quote, '--to', 'buyer@alfanar-trading.sa', '--field', 'lines=Panel | 10 | 12,50 EUR', '--input-locale', 'en-US');
    expect(out).toMatchObject({ language: 'en', source: 'pack-default', why: { code: 'no-variant', params: { wanted: 'ar', because: 'recipient-domain' } } });
    expect(out.reason).toBe("the recipient's domain alfanar-trading.sa is in SA, but the template has no ar variant: the pack's default en");
  });

  it('a German buyer who wrote English gets English; the reply goes to the sender of --inbound', async () => {
    const inbound = eml('de-en', 'Klaus <einkauf@firma.de>', 'Hi Linda, could you please send us your best price for 500 LED panels? Kind regards, Klaus\r\n\r\nOn Mon, 30 Nov 2026 Linda wrote:\r\n> 您好');
    const out = await render('--template', 'inquiry-reply', '--inbound', inbound, '--field', 'product=LED panels');
    expect(out).toMatchObject({ language: 'en', source: 'buyer-wrote', reason: "the buyer's last message is in en" });
  });

  it('a new compras@empresa.es gets Spanish', async () => {
    expect(await render('--template', 'inquiry-reply', '--to', 'compras@empresa.es', '--field', 'product=LED')).toMatchObject({ language: 'es', source: 'recipient-domain' });
  });

  it('reads "12,50 EUR" as 12.50 EUR, printed per the variant locale, never 1250', async () => {
    const en = await render(...quote, '--to', 'buyer@example.com', '--field', 'lines=Panel | 2 | 12,50 EUR', '--input-locale', 'en-US');
    expect(en.text).toContain('€12.50');
    expect(en.text).toContain('€25.00');
    expect(en.text).not.toMatch(/1,?250/);
    const es = await render(...quote, '--to', 'compras@empresa.es', '--field', 'lines=Panel | 2 | 12,50 EUR', '--input-locale', 'de');
    expect(es.language).toBe('es');
    expect(es.text).toContain('12,50\u00a0€');
  });

  it('says what it understood, and refuses what the input locale cannot decide, naming the field', async () => {
    const out = await render('--template', 'inquiry-reply', '--field', 'product=LED', '--field', 'moq=1.000', '--input-locale', 'de');
    expect(out.fields).toEqual({ product: 'LED', moq: '1000, reading "." grouping thousands (de)' });
    await expect(render('--template', 'inquiry-reply', '--field', 'product=LED', '--field', 'moq=1,000')).rejects.toThrow('Minimum order quantity: "1,000" could be 1.000 or 1000');
    await expect(render('--template', 'inquiry-reply', '--field', 'prodcut=LED')).rejects.toThrow('--field prodcut: template "inquiry-reply" has no such field');
  });

  it('keeps --lang and --data working', async () => {
    const data = join(dir, 'data.json');
    writeFileSync(data, JSON.stringify({ contact: { firstName: 'Hans', language: 'zh' }, fields: { product: 'LED <panels>' } }));
    expect(await render('--template', 'inquiry-reply', '--data', data)).toMatchObject({ language: 'zh', source: 'contact-language' });
    const picked = await render('--template', 'inquiry-reply', '--data', data, '--lang', 'es');
    expect(picked).toMatchObject({ language: 'es', source: 'rep-pick' });
    expect(picked.html).toContain('LED &lt;panels&gt;');
  });
});
