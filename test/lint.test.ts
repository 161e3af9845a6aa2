import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';

/**
 * The layer rules (eslint.config.js) catch what they are for. `npm test` runs the lint over the
 * whole tree; this pins that the rules themselves still bite, on fixtures that break them.
 */
const eslint = new ESLint({ cwd: process.cwd() });
const fixture = (name: string) => readFileSync(new URL(`./fixtures/lint/${name}`, import.meta.url), 'utf8');

async function lint(code: string, filePath: string): Promise<{ rule: string | null; line: number; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => ({ rule: m.ruleId, line: m.line, message: m.message }));
}

describe('the layer lint', () => {
  it('refuses a face importing a rule from another face (Outlook taking the Gmail money reader)', async () => {
    const problems = await lint(fixture('outlook-imports-gmail-rule.ts.txt'), 'src/outlook/taskpane/money.ts');
    expect(problems).toEqual([{ rule: 'boundaries/dependencies', line: 2, message: expect.stringContaining('elements of type "gmail" are not allowed in elements of type "outlook"') }]);
  });

  it('refuses core importing the store and reading the environment', async () => {
    const problems = await lint(fixture('core-reads-env.ts.txt'), 'src/core/template/locale.ts');
    expect(problems.map((p) => [p.rule, p.line])).toEqual([
      ['boundaries/dependencies', 2],
      ['no-restricted-globals', 4],
      ['no-restricted-properties', 4],
    ]);
    expect(problems[0]?.message).toContain('elements of type "server" are not allowed in elements of type "core"');
  });

  it('lets the same code through where the layers allow it: the Gmail face using its own rule', async () => {
    const code = fixture('outlook-imports-gmail-rule.ts.txt').replace('../../gmail/compose.js', './compose.js');
    expect(await lint(code, 'src/gmail/money.ts')).toEqual([]);
  });

  it('keeps the Google and CRM SDKs in their adapters and Office.js behind src/outlook/office', async () => {
    const sdk = "import { google } from 'googleapis';\nimport jsforce from 'jsforce';\nexport const both = [google, jsforce];\n";
    expect((await lint(sdk, 'src/server/services/crm-sync.ts')).map((p) => p.line)).toEqual([1, 2]);
    expect(await lint("import { google } from 'googleapis';\nexport const g = google;\n", 'src/server/google/tasks-api.ts')).toEqual([]);
    // The Gmail module alone and Google's auth library are the same API: the same adapters only.
    const narrow = "import { JWT } from 'google-auth-library';\nimport { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';\nexport const both = [JWT, gmail_v1];\n";
    expect((await lint(narrow, 'src/server/services/crm-sync.ts')).map((p) => p.line)).toEqual([1, 2]);
    expect(await lint(narrow, 'src/server/google/gmail-probe.ts')).toEqual([]);
    const office = 'export const item = () => Office.context.mailbox.item;\n';
    expect((await lint(office, 'src/outlook/taskpane/item.ts')).map((p) => p.rule)).toEqual(['no-restricted-globals']);
    expect(await lint(office, 'src/outlook/office/item-probe.ts')).toEqual([]);
  });

  it('lets a browser face take the contract\'s types but not its schemas (TypeBox code would join the bundle)', async () => {
    const schema = "import { ClientTime } from '../../contract/crm.js';\nexport const shape = ClientTime;\n";
    expect((await lint(schema, 'src/outlook/taskpane/shape.ts')).map((p) => [p.rule, p.line])).toEqual([['@typescript-eslint/no-restricted-imports', 1]]);
    expect((await lint(schema.replace('../../contract', '../contract'), 'src/admin/shape.ts')).map((p) => p.rule)).toEqual(['@typescript-eslint/no-restricted-imports']);
    const types = "import type { ClientTime } from '../../contract/crm.js';\nexport type Shape = ClientTime;\n";
    expect(await lint(types, 'src/outlook/taskpane/shape.ts')).toEqual([]);
    // the store validates with the schemas themselves
    expect(await lint(schema, 'src/server/routes/shape.ts')).toEqual([]);
  });
});
