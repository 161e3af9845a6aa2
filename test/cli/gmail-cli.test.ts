import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openStore, migrate } from '../../src/server/db/connect.js';
import { ADDON_SCOPES } from '../../src/gmail/deployment.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { testApp } from '../support/fixtures.js';
import { TEST_DIST } from '../support/build-faces.mjs';
import { cliInProcess as cli } from '../support/cli.js';

// The commands run in-process (test/support/cli.ts); the fake Gmail answers them from this process.
describe('tradepane gmail deployment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-gmail-deploy-'));
  const env = { TRADEPANE_DATA_DIR: dir, DATABASE_URL: '' };

  it('writes the descriptor with the store\'s real URLs, the smallest scopes and METADATA draft access', async () => {
    const out = join(dir, 'deployment.json');
    const r = await cli(env, 'gmail', 'deployment', '--base-url', 'https://store.acme-trading.com/gmail/', '--out', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`wrote ${out} (endpoints under https://store.acme-trading.com/gmail)`);
    const descriptor = JSON.parse(readFileSync(out, 'utf8')) as {
      oauthScopes: string[];
      addOns: {
        common: { name: string; logoUrl: string; useLocaleFromApp: boolean; homepageTrigger: { runFunction: string } };
        gmail: { contextualTriggers: { onTriggerFunction: string }[]; composeTrigger: { actions: { runFunction: string; logoUrl: string }[]; draftAccess: string } };
        httpOptions: { authorizationHeader: string };
      };
    };
    expect(descriptor.oauthScopes).toEqual([...ADDON_SCOPES]);
    expect(descriptor.addOns.common).toMatchObject({ name: 'tradepane', useLocaleFromApp: true, logoUrl: 'https://store.acme-trading.com/addin/assets/icon-128.png' });
    expect(descriptor.addOns.common.homepageTrigger.runFunction).toBe('https://store.acme-trading.com/gmail/homepage');
    expect(descriptor.addOns.gmail.contextualTriggers[0]!.onTriggerFunction).toBe('https://store.acme-trading.com/gmail/message');
    expect(descriptor.addOns.gmail.composeTrigger).toEqual({ actions: [{ runFunction: 'https://store.acme-trading.com/gmail/compose', label: 'tradepane', logoUrl: 'https://store.acme-trading.com/addin/assets/icon-128.png' }], draftAccess: 'METADATA' });
    expect(descriptor.addOns.httpOptions.authorizationHeader).toBe('SYSTEM_ID_TOKEN');
    expect(JSON.stringify(descriptor)).not.toContain('STORE.EXAMPLE.COM');
  });

  it('refuses an http URL (Google calls add-ons over https only) and writes nothing', async () => {
    const out = join(dir, 'refused.json');
    const r = await cli(env, 'gmail', 'deployment', '--base-url', 'http://store.acme-trading.com/gmail', '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error: --base-url: Google calls add-on endpoints over https only, got "http://store.acme-trading.com/gmail"');
    expect(existsSync(out)).toBe(false);
    const notUrl = await cli(env, 'gmail', 'deployment', '--base-url', 'store.acme-trading.com', '--out', out);
    expect(notUrl.status).toBe(1);
    expect(notUrl.stderr).toContain('--base-url: not a URL');
  });

  it('names a logo the build produces and the store serves', async () => {
    const out = join(dir, 'logo.json');
    expect((await cli(env, 'gmail', 'deployment', '--base-url', 'https://store.acme-trading.com/gmail', '--out', out)).status).toBe(0);
    const logo = new URL((JSON.parse(readFileSync(out, 'utf8')) as { addOns: { common: { logoUrl: string } } }).addOns.common.logoUrl);
    const store = openStore({ sqliteFile: ':memory:' });
    await migrate(store);
    const app = await testApp(store, {}, { addinDir: TEST_DIST });
    try {
      const res = await app.inject({ method: 'GET', url: logo.pathname });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      const png = res.rawPayload;
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      // IHDR: a square 128-pixel icon, the size Google shows add-on logos at its largest.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([128, 128]);
    } finally {
      await app.close();
      await store.close();
    }
  });
});

describe('tradepane gmail push-signatures', () => {
  const gmail = new FakeGmail();
  const dir = mkdtempSync(join(tmpdir(), 'tp-gmail-push-'));
  const keyFile = join(dir, 'service-account.json');
  const serviceAccount = 'tradepane-push@acme-project.iam.gserviceaccount.com';
  let env: NodeJS.ProcessEnv;
  const setup = async (...args: string[]) => {
    const r = await cli(env, ...args);
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  };

  beforeAll(async () => {
    await gmail.start();
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    gmail.addServiceAccount(serviceAccount, keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    writeFileSync(keyFile, JSON.stringify({ type: 'service_account', client_email: serviceAccount, private_key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }));
    env = { TRADEPANE_DATA_DIR: dir, DATABASE_URL: '', GOOGLE_API_ROOT_URL: gmail.rootUrl(), GOOGLE_TOKEN_URL: gmail.tokenUrl, GOOGLE_SERVICE_ACCOUNT_FILE: '' };
    await setup('db', 'migrate');
    await setup('tenant', 'create', 'initech', '--name', 'Initech');
    await setup('group', 'create', 'sales', '--tenant', 'initech');
    await setup('user', 'add', 'ann@initech.test', '--tenant', 'initech', '--name', 'Ann Lee', '-g', 'sales');
    await setup('user', 'add', 'bob@initech.test', '--tenant', 'initech', '--name', 'Bob Wu', '-g', 'sales');
    const pack = join(dir, 'signatures.yaml');
    writeFileSync(pack, 'pack: signatures\ntitle: Signatures\ngroups: [sales]\ndefaultLanguage: en\nsignatures:\n  - id: standard\n    enforce: true\n    body: "<p><b>{{ rep.name }}</b><br>{{ rep.email }}</p>"\n');
    await setup('pack', 'push', pack, '--tenant', 'initech');
    gmail.addUser('ann@initech.test', { signature: '<p>Ann</p>' });
    gmail.addUser('bob@initech.test');
  });

  afterAll(async () => {
    await gmail.stop();
  });

  it('in a dry run shows progress per rep and the report, through the delegated service account, and changes nothing', async () => {
    const r = await cli(env, 'gmail', 'push-signatures', '--tenant', 'initech', '--dry-run', '--service-account-file', keyFile);
    expect(r.status).toBe(0);
    // Reps are pushed several at once, so progress comes in the order they finish.
    expect(r.stderr).toMatch(/\[[12]\/2\] ann@initech\.test: changed: would set it: their signature is not the company one/);
    expect(r.stderr).toMatch(/\[[12]\/2\] bob@initech\.test: changed: would set it: they had no signature/);
    expect(r.stderr).toMatch(/\[1\/2\][\s\S]*\[2\/2\]/);
    expect(r.stdout).toContain('dry run: would change 2, unchanged 0, failed 0, skipped 0');
    // It looked as each rep (JWT sub), and wrote nothing.
    expect(new Set(gmail.requests.filter((q) => q.path.endsWith('/settings/sendAs')).map((q) => q.user))).toEqual(new Set(['ann@initech.test', 'bob@initech.test']));
    expect(gmail.requests.filter((q) => q.method === 'PATCH')).toEqual([]);
    expect(gmail.sendAsOf('ann@initech.test')[0]!.signature).toBe('<p>Ann</p>');
  });

  it('pushes for real, then reports them unchanged; a refused rep fails with exit 1 and the reason', async () => {
    const pushed = await cli(env, 'gmail', 'push-signatures', '--tenant', 'initech', '--group', 'sales', '--service-account-file', keyFile);
    expect(pushed.status).toBe(0);
    expect(pushed.stdout).toContain('changed 2, unchanged 0, failed 0, skipped 0');
    // Without the zero-width characters that carry the signature's hash marker.
    expect(gmail.sendAsOf('bob@initech.test')[0]!.signature.replace(/[\u200b-\u200d\u2060]/g, '')).toContain('<b>Bob Wu</b>');
    gmail.revokeUser('bob@initech.test');
    const again = await cli(env, 'gmail', 'push-signatures', '--tenant', 'initech', '--service-account-file', keyFile);
    expect(again.status).toBe(1);
    expect(again.stdout).toContain('changed 0, unchanged 1, failed 1, skipped 0');
    expect(again.stdout).toMatch(/failed bob@initech\.test: .*invalid_grant/);
  });

  it('without a service-account key, or with an unknown group, says what is missing', async () => {
    const noKey = await cli(env, 'gmail', 'push-signatures', '--tenant', 'initech', '--dry-run');
    expect(noKey.status).toBe(1);
    expect(noKey.stderr).toContain('--service-account-file (or GOOGLE_SERVICE_ACCOUNT_FILE)');
    const group = await cli(env, 'gmail', 'push-signatures', '--tenant', 'initech', '--group', 'slaes', '--dry-run', '--service-account-file', keyFile);
    expect(group.status).toBe(1);
    expect(group.stderr).toContain('--group slaes: no such group in tenant "initech"');
  });
});
