// `npm test`: the builds the tests read, then jest with the type checks and the lint beside it,
// then the cheap performance checks. See docs/performance.md, "The test suite".
//
// 1. The builds, side by side (each is one single-threaded process): the faces' production build
//    the end-to-end tests serve, the CLI as built JavaScript, the empty page bench:check compares
//    against. Each is a no-op when current. Jest needs them, so it waits for them.
// 2. Jest, and beside it, at a lower CPU priority, `typecheck` and `lint`: jest leaves part of the
//    two cores idle (its suites wait on Chromium, PostgreSQL, Dovecot and child processes), and
//    the checks need nothing jest makes, so they fill that idle time instead of holding jest back
//    for a minute. Their output is printed whole once jest has ended.
// 3. bench:check, alone (it measures speed), only when everything before passed.
// Any failure fails the run; extra arguments go to jest.
import { spawn } from 'node:child_process';

const node = JSON.stringify(process.execPath);
const BUILDS = [
  ['faces build', `${node} -e "import('./test/support/build-faces.mjs').then((m) => m.ensureFacesBuilt())"`],
  ['CLI build', `${node} -e "import('./bin/cli-build.js').then((b) => b.freshBuild() || b.buildCli())"`],
  ['bench baseline build', `tsx -e "import('./bench/empty-page/build.ts').then((m) => m.ensureEmptyPageBuilt())"`],
];
// `nice` is POSIX; the checks' verdicts do not depend on it, only how much CPU they take from jest.
const CHECKS = [
  ['typecheck', 'nice -n 10 npm run --silent typecheck'],
  ['lint', 'nice -n 10 npm run --silent lint'],
];

/** Runs a shell command, its output kept and printed whole when it ends. */
function quiet([name, command]) {
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code, signal) => {
      const ok = code === 0;
      const text = Buffer.concat(output).toString('utf8').trimEnd();
      done({ name, ok, report: `${ok ? '✓' : '✗'} ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${ok ? '' : ` failed: ${signal ?? `exit ${code}`}`}\n${text ? `${text}\n` : ''}` });
    });
  });
}

/** Runs a command with the terminal's output, as the npm script it replaces did. */
function loud(command, args) {
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', () => done(false));
    child.on('close', (code) => done(code === 0));
  });
}

const started = Date.now();
const builds = await Promise.all(BUILDS.map(quiet));
for (const b of builds) process.stdout.write(b.report);
const brokenBuilds = builds.filter((b) => !b.ok).map((b) => b.name);
process.stdout.write(`builds: ${builds.length - brokenBuilds.length}/${builds.length} in ${((Date.now() - started) / 1000).toFixed(1)} s${brokenBuilds.length ? ` — failed: ${brokenBuilds.join(', ')}` : ''}\n`);
if (brokenBuilds.length) process.exit(1);

const checks = Promise.all(CHECKS.map(quiet));
const jestPassed = await loud('npm', ['run', 'jest', '--', ...process.argv.slice(2)]);
const checked = await checks;
for (const c of checked) process.stdout.write(c.report);
const failed = [...(jestPassed ? [] : ['jest']), ...checked.filter((c) => !c.ok).map((c) => c.name)];
if (failed.length) {
  process.stdout.write(`npm test: failed — ${failed.join(', ')}\n`);
  process.exit(1);
}
process.exit((await loud('npm', ['run', 'bench:check'])) ? 0 : 1);
