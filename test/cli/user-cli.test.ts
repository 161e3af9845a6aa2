import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cliInProcess } from '../support/cli.js';

/** `tradepane user add|edit|disable|enable` in-process against a SQLite file (issue #19 item 1). */
describe('tradepane user', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-user-cli-'));
  const cli = (...args: string[]) => cliInProcess({ TRADEPANE_DATA_DIR: dataDir, DATABASE_URL: '' }, ...args);
  const line = async (email: string) => (await cli('user', 'list', '--tenant', 'people')).stdout.split('\n').find((l) => l.startsWith(`${email}\t`));

  it('edits profile, role and groups; disables with a reason (keys revoked) and enables again', async () => {
    expect((await cli('tenant', 'create', 'people', '--name', 'People Co')).status).toBe(0);
    for (const g of ['sales', 'export']) expect((await cli('group', 'create', g, '--tenant', 'people')).status).toBe(0);
    expect((await cli('user', 'add', 'boss@people.test', '--tenant', 'people', '--name', 'Boss', '--role', 'admin')).status).toBe(0);
    expect((await cli('user', 'add', 'li@people.test', '--tenant', 'people', '--name', 'Li', '-g', 'sales', '--title', 'Sales')).status).toBe(0);

    const edit = await cli('user', 'edit', 'li@people.test', '--tenant', 'people', '--name', 'Li Na', '--title', '', '--mobile', '+86 138 0000 0000', '-g', 'export', '--role', 'admin');
    expect(edit).toMatchObject({ status: 0, stdout: 'changed li@people.test: name, title, mobile, role, groups\n' });
    expect(await line('li@people.test')).toBe('li@people.test\tadmin\tLi Na\texport');
    expect((await cli('user', 'edit', 'li@people.test', '--tenant', 'people', '--no-groups')).status).toBe(0);
    expect(await line('li@people.test')).toBe('li@people.test\tadmin\tLi Na\t');

    const key = await cli('token', 'create', '--tenant', 'people', '--user', 'li@people.test', '--name', 'ci', '--scope', 'packs:read');
    expect(key.status).toBe(0);
    const disabled = await cli('user', 'disable', 'li@people.test', '--tenant', 'people', '--reason', 'left');
    expect(disabled).toMatchObject({ status: 0, stdout: 'disabled li@people.test: 1 API key(s) revoked, 0 scheduled send(s) stopped\n' });
    expect(await line('li@people.test')).toBe('li@people.test\tadmin\tLi Na\t\tdisabled');
    expect((await cli('user', 'enable', 'li@people.test', '--tenant', 'people')).stdout).toBe('enabled li@people.test\n');
    expect(await line('li@people.test')).toBe('li@people.test\tadmin\tLi Na\t');
  });

  it('names what is wrong: no such user, nothing to change, a misspelt group, the last admin', async () => {
    const missing = await cli('user', 'disable', 'nobody@people.test', '--tenant', 'people');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('nobody@people.test: no such user in tenant "people"');
    const nothing = await cli('user', 'edit', 'li@people.test', '--tenant', 'people');
    expect(nothing.status).toBe(1);
    expect(nothing.stderr).toContain('nothing to change');
    const typo = await cli('user', 'edit', 'li@people.test', '--tenant', 'people', '-g', 'slaes');
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain('groups[0]: unknown group "slaes"');
    expect((await cli('user', 'edit', 'li@people.test', '--tenant', 'people', '--role', 'rep')).status).toBe(0);
    const noSource = await cli('user', 'sync-directory', '--tenant', 'people');
    expect(noSource.status).toBe(1);
    expect(noSource.stderr).toContain('no directory source yet');
    const last = await cli('user', 'disable', 'boss@people.test', '--tenant', 'people');
    expect(last.status).toBe(1);
    expect(last.stderr).toContain('last active admin');
  });
});
