import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { postgresAvailable } from '../support/stores.js';
import { cliBinary, cliInProcess, ROOT as root, spawnCli } from '../support/cli.js';

const brokenPack = join(root, 'test/fixtures/packs/broken.yaml');
const demoPack = join(root, 'src/server/demo/demo-pack.yaml');

// Most of these run the command in-process (fast); the ones through the real binary (`bin`) pin
// what only a process shows: exit statuses, the launcher, a real store command, serve's signals.
function cliIn(env: NodeJS.ProcessEnv) {
  return (...args: string[]) => cliInProcess(env, ...args);
}

function binIn(env: NodeJS.ProcessEnv) {
  return (...args: string[]) => cliBinary(env, ...args);
}

describe('the tradepane command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-cli-'));
  const cli = cliIn({ TRADEPANE_DATA_DIR: dataDir, DATABASE_URL: '' });
  const bin = binIn({ TRADEPANE_DATA_DIR: dataDir, DATABASE_URL: '' });

  it('lists its commands, and every command has --help', async () => {
    const help = bin('--help');
    expect(help.status).toBe(0);
    for (const command of ['serve', 'db', 'tenant', 'group', 'user', 'token', 'pack']) expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    for (const sub of [['serve'], ['db', 'migrate'], ['tenant', 'create'], ['user', 'add'], ['token', 'create'], ['pack', 'validate'], ['pack', 'push'], ['pack', 'export']]) {
      const r = await cli(...sub, '--help');
      expect({ sub, status: r.status }).toEqual({ sub, status: 0 });
      expect(r.stdout).toContain('Usage: tradepane');
    }
  });

  it('migrates, showing each step', async () => {
    const r = bin('db', 'migrate');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('001_foundation: applied');
    expect((await cli('db', 'migrate')).stdout).toContain('already up to date');
  });

  it('sets up a tenant, its group, users and an API key that works once and is never shown again', async () => {
    expect((await cli('tenant', 'create', 'globex', '--name', 'Globex Trading')).stdout).toMatch(/^created tenant globex/);
    expect((await cli('group', 'create', 'sales', '--tenant', 'globex')).status).toBe(0);
    expect((await cli('user', 'add', 'boss@globex.test', '--tenant', 'globex', '--name', 'Boss', '--role', 'admin')).stdout).toContain('added admin boss@globex.test');
    expect((await cli('user', 'add', 'rep@globex.test', '--tenant', 'globex', '--name', 'Rep', '-g', 'sales')).stdout).toContain('to sales');
    const token = await cli('token', 'create', '--tenant', 'globex', '--user', 'boss@globex.test', '--name', 'ci', '--scope', 'packs:write', '--scope', 'packs:read');
    expect(token.status).toBe(0);
    expect(token.stdout.trim()).toMatch(/^tpk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(token.stderr).toContain('shown once');
    expect((await cli('token', 'list', '--tenant', 'globex')).stdout).not.toContain(token.stdout.trim());
  });

  it('fails with a message naming the field and a non-zero exit', async () => {
    const unknownGroup = await cli('user', 'add', 'x@globex.test', '--tenant', 'globex', '--name', 'X', '-g', 'slaes');
    expect(unknownGroup.status).toBe(1);
    expect(unknownGroup.stderr).toContain('groups[0]: unknown group "slaes" — did you mean "sales"?');
    const badRole = await cli('user', 'add', 'y@globex.test', '--tenant', 'globex', '--name', 'Y', '--role', 'root');
    expect(badRole.status).toBe(1);
    expect(badRole.stderr).toContain('--role: must be rep or admin, got "root"');
    const noTenant = await cli('user', 'list', '--tenant', 'nope');
    expect(noTenant.status).toBe(1);
    expect(noTenant.stderr).toContain('tenant "nope" not found');
    const badScope = await cli('token', 'create', '--tenant', 'globex', '--user', 'rep@globex.test', '--name', 'x', '--scope', 'everything');
    expect(badScope.status).toBe(1);
    expect(badScope.stderr).toContain('unknown scope "everything"; scopes are: packs:read, packs:write');
  });

  it('validates a pack: each error at file:line:column with the field, exit 1', async () => {
    const r = await cli('pack', 'validate', brokenPack);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${brokenPack}:7:11: error: templates[0].kind: must be one of inquiry | quote | sample | follow-up | shipping | payment | other | team; got the text "qoute" — did you mean "quote"?`);
    expect(r.stdout).toContain(`${brokenPack}:13:14: error: signatures[0].enforce: must be true or false; got the text "yes-please"`);
    expect(r.stdout).toContain(`${brokenPack}: 2 errors`);
    const missing = bin('pack', 'validate', 'no/such/pack.yaml');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('error: no/such/pack.yaml: cannot read the file: it does not exist\n');
    const ok = await cli('pack', 'validate', demoPack);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('valid');
  });

  it('pushes a pack as versions and exports it back, byte for byte', async () => {
    const file = join(dataDir, 'globex.yaml');
    const source = readFileSync(demoPack, 'utf8').replace('pack: demo-export', 'pack: globex-pack').replace('[sales-eu, sales-me]', '[sales]');
    writeFileSync(file, source);
    const first = await cli('pack', 'push', file, '--tenant', 'globex', '--as', 'boss@globex.test');
    expect(first.stdout).toContain('pushed globex-pack version 1, published to sales');
    expect(first.stderr).toContain(`validating ${file}`);
    expect((await cli('pack', 'push', file, '--tenant', 'globex')).stdout).toContain('globex-pack is unchanged (version 1)');
    expect((await cli('pack', 'push', brokenPack, '--tenant', 'globex')).status).toBe(1);
    expect((await cli('pack', 'push', file, '--tenant', 'globex', '--as', 'rep@globex.test')).stderr).toContain('only admins push packs');
    const exported = await cli('pack', 'export', 'globex-pack', '--tenant', 'globex');
    expect(exported.status).toBe(0);
    expect(exported.stdout).toBe(source);
    expect((await cli('pack', 'export', 'globex-pack', '--tenant', 'globex', '--version', '7')).stderr).toContain('version 7 of pack "globex-pack" not found');
  });

  it('answers `slot` with exactly the documented JSON object', async () => {
    const r = await cli('slot', '--to', 'buyer@acme.com.sa', '--now', '2026-11-27T07:00:00Z', '--json');
    expect(r.status).toBe(0);
    const answer = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(answer)).toEqual(['timeZone', 'confidence', 'reasons', 'localTime', 'inBusinessHours', 'nextSlot', 'alternatives', 'status', 'statusText', 'reasonTexts', 'notices']);
    expect(answer.statusText).toEqual({ code: 'ct.status.closedDay', params: {}, reason: { code: 'ct.day.notWorkingIn', params: { weekday: 5, country: 'SA' } } });
    // Friday 10:00 in Riyadh: the Saudi weekend; Sunday 09:00 +03:00 is 06:00Z.
    expect(answer).toMatchObject({ timeZone: 'Asia/Riyadh', localTime: '2026-11-27T10:00:00+03:00', inBusinessHours: false, nextSlot: '2026-11-29T06:00:00.000Z' });
    expect(answer.reasons).toEqual(expect.arrayContaining([expect.stringContaining('.com.sa')]));
    const unknown = JSON.parse((await cli('slot', '--to', 'someone@gmail.com', '--json')).stdout) as Record<string, unknown>;
    expect(unknown).toMatchObject({ timeZone: null, confidence: 'none', nextSlot: null, localTime: null });
  });

  it('prints a readable `slot` line, and exits 1 naming a bad zone, country or date', async () => {
    const line = await cli('slot', '--to', 'einkauf@firma.de', '--now', '2026-11-30T08:30:00Z', '--rep-tz', 'Asia/Shanghai');
    expect(line.status).toBe(0);
    expect(line.stdout).toMatch(/^einkauf@firma\.de: Europe\/Berlin \(medium\), local time 2026-11-30T09:30:00\+01:00, open/);
    // open on Monday 09:30: the next opening is Tuesday 09:00 Berlin = 16:00 Shanghai, every time in both clocks
    expect(line.stdout).toContain('  open now: send now, or at their next opening\n');
    expect(line.stdout).toContain('  next opening: 2026-12-01T09:00:00+01:00 theirs, 2026-12-01T16:00:00+08:00 yours (Asia/Shanghai)\n');
    expect(line.stdout).toContain('  or their 14:00 today: 2026-11-30T14:00:00+01:00 theirs, 2026-11-30T21:00:00+08:00 yours (Asia/Shanghai)\n');
    for (const [args, named] of [
      [['--tz', 'Mars/Base'], 'Mars/Base'],
      [['--country', 'XQ'], 'XQ'],
      [['--date-header', 'yesterday at noon'], 'yesterday at noon'],
      [['--now', 'tomorrow'], '--now'],
    ] as const) {
      const r = await cli('slot', '--to', 'x@example.com', ...args);
      expect({ args, status: r.status }).toEqual({ args, status: 1 });
      expect(r.stderr).toContain(named);
    }
  });

  it('renders a template of a pack file, and exits 2 listing what is missing', async () => {
    const data = join(dataDir, 'render-data.json');
    writeFileSync(data, JSON.stringify({ contact: { firstName: 'Hans', language: 'de' }, customer: { country: 'ES' }, fields: { product: 'LED <panels>', moq: 200 } }));
    const ok = await cli('render', '--pack', demoPack, '--template', 'inquiry-reply', '--data', data, '--format', 'json');
    expect(ok.status).toBe(0);
    const out = JSON.parse(ok.stdout) as { language: string; reason: string; subject: string; html: string };
    // The contact reads German and there is no German variant: the pack's default, and the reason says so.
    expect(out.language).toBe('en');
    expect(out.reason).toBe("the contact's language is de, but the template has no de variant: the pack's default en");
    expect(out.html).toContain('LED &lt;panels&gt;');
    const missing = await cli('render', '--pack', demoPack, '--template', 'quotation');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('product (Product)');
    const unknown = await cli('render', '--pack', demoPack, '--template', 'nope');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no template "nope"');
  });

  it('refuses dev mode in production', async () => {
    const r = binIn({ TRADEPANE_DATA_DIR: dataDir, NODE_ENV: 'production' })('serve', '--dev', '--port', '0');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('dev mode is refused when NODE_ENV=production');
  });
});

describe('tradepane serve', () => {
  let server: ChildProcess;
  let output = '';
  const port = 38000 + Math.floor(Math.random() * 2000);

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tp-serve-'));
    server = spawnCli({ TRADEPANE_DATA_DIR: dataDir, DATABASE_URL: '' }, 'serve', '--dev', '--port', String(port));
    // Ready when it prints its URLs; a start that fails shows its output here instead of timing out.
    await new Promise<void>((resolve, reject) => {
      const take = (d: Buffer) => {
        output += d.toString();
        if (/Task pane {3}\S+.*\n/.test(output)) resolve(); // the last URL it prints
      };
      server.stdout!.on('data', take);
      server.stderr!.on('data', take);
      server.once('exit', (code) => reject(new Error(`tradepane serve exited (${code}) before printing its URLs:\n${output}`)));
    });
  }, 120_000); // a cold start of the whole server in a new process, on a loaded 2-core machine

  afterAll(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
  });

  it('prints working URLs, seeds the demo, answers /healthz, and stops cleanly on SIGTERM', async () => {
    expect(output).toContain(`Home page   http://localhost:${port}/`);
    expect(output).toContain('Created the demo tenant "demo"');
    // Every URL the README says `npm start` prints (its table under "It prints:"), on this port.
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const promised = [...readme.slice(readme.indexOf('It prints:')).split('\n\n')[1]!.matchAll(/^\| `(http:\/\/localhost:3000[^`]*)`/gm)].map((m) => m[1]!.replace(':3000', `:${port}`));
    expect(promised.length).toBeGreaterThanOrEqual(8);
    expect(promised.filter((url) => !output.includes(url))).toEqual([]);
    for (const path of ['/', '/docs', '/healthz']) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    const token = ((await (await fetch(`http://127.0.0.1:${port}/dev/token?email=rep@demo.tradepane.test`)).json()) as { token: string }).token;
    const packs = (await (await fetch(`http://127.0.0.1:${port}/api/v1/me/packs`, { headers: { authorization: `Bearer ${token}` } })).json()) as { packs: { pack: string }[] };
    expect(packs.packs.map((p) => p.pack)).toEqual(['demo-export']);
    expect(output).toMatch(/"level":30,.*"msg":"Server listening/); // JSON logs

    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"shutting down"');
  });
});

(postgresAvailable() ? describe : describe.skip)('the tradepane command on PostgreSQL', () => {
  const database = `tp_cli_${process.pid}_${Date.now()}`;
  const base = process.env.TEST_DATABASE_URL ?? '';
  const url = base.replace(/\/[^/]*$/, `/${database}`);

  beforeAll(async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`create database ${database}`);
    await c.end();
  });

  afterAll(async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`drop database if exists ${database} with (force)`);
    await c.end();
  });

  it('migrates and manages tenants through DATABASE_URL', async () => {
    const cli = cliIn({ DATABASE_URL: url });
    const migrated = await cli('db', 'migrate');
    expect(migrated.stderr).toContain('postgres 127.0.0.1');
    expect(migrated.stderr).toContain('001_foundation: applied');
    expect((await cli('tenant', 'create', 'initech', '--name', 'Initech')).status).toBe(0);
    expect((await cli('tenant', 'list')).stdout).toContain('initech\tInitech');
  });
});
