import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cliInProcess } from '../support/cli.js';

/** `tradepane company show|set` in-process against a SQLite file. */
describe('tradepane company', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-company-cli-'));
  const cli = (...args: string[]) => cliInProcess({ TRADEPANE_DATA_DIR: dataDir, DATABASE_URL: '' }, ...args);
  const file = (name: string, content: unknown) => {
    const path = join(dataDir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('sets the profile from JSON, shows it back, and names a bad IBAN and a misspelt key', async () => {
    expect((await cli('tenant', 'create', 'acmeco', '--name', 'Acme Co')).status).toBe(0);
    expect((await cli('user', 'add', 'boss@acmeco.test', '--tenant', 'acmeco', '--name', 'Boss', '--role', 'admin')).status).toBe(0);
    const good = { legalName: 'Acme Trading Co.', bankAccounts: [{ label: 'EUR', beneficiary: 'Acme Trading Co.', bankName: 'Deutsche Bank', iban: 'DE89 3704 0044 0532 0130 00', swift: 'DEUTDEFF' }] };
    const set = await cli('company', 'set', file('good.json', good), '--tenant', 'acmeco', '--as', 'boss@acmeco.test');
    expect(set).toMatchObject({ status: 0, stdout: 'saved the profile of Acme Trading Co. with 1 bank account\n' });
    const shown = await cli('company', 'show', '--tenant', 'acmeco');
    expect(JSON.parse(shown.stdout)).toMatchObject({ legalName: 'Acme Trading Co.', updatedBy: 'boss@acmeco.test (cli)', bankAccounts: [{ iban: 'DE89370400440532013000', swift: 'DEUTDEFF' }] });
    // What `show` prints, `set` takes back.
    expect((await cli('company', 'set', file('roundtrip.json', shown.stdout), '--tenant', 'acmeco')).status).toBe(0);

    const badIban = await cli('company', 'set', file('bad.json', { ...good, bankAccounts: [{ ...good.bankAccounts[0], iban: 'DE89 3704 0044 0532 0130 01' }] }), '--tenant', 'acmeco');
    expect(badIban.status).toBe(1);
    expect(badIban.stderr).toContain('bankAccounts[0].iban: "DE89 3704 0044 0532 0130 01" is not a valid IBAN');
    const misspelt = await cli('company', 'set', file('typo.json', { ...good, legalNmae: 'x' }), '--tenant', 'acmeco');
    expect(misspelt.status).toBe(1);
    expect(misspelt.stderr).toMatch(/typo\.json: .*legalNmae/);
    const notJson = await cli('company', 'set', file('broken.json', '{'), '--tenant', 'acmeco');
    expect(notJson.stderr).toContain('broken.json: not JSON');
  });
});
