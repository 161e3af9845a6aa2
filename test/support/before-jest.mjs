// `npm test`'s first stage: the type checks, the lint and the builds the tests read, side by side.
// Each of them is one process on one core (tsc, eslint and webpack are single-threaded), and they
// used to run one after the other (the builds inside jest's global set-up), leaving the second
// core idle for minutes. Run together they keep both cores busy; what each checks is unchanged.
// Every step's output is printed, whole, when it ends; any failure fails the stage once all ended.
// See docs/performance.md, "The test suite".
import { spawn } from 'node:child_process';

const node = JSON.stringify(process.execPath);
const STEPS = [
  // The TypeScript sources, tests and benches (tsconfig.json).
  ['typecheck', 'npm run --silent typecheck'],
  // eslint, then src/core and src/contract with the language alone (tsconfig.core.json).
  ['lint', 'npm run --silent lint'],
  // The faces' production build the end-to-end tests serve (.test-dist/; a no-op when current).
  ['faces build', `${node} -e "import('./test/support/build-faces.mjs').then((m) => m.ensureFacesBuilt())"`],
  // The CLI as built JavaScript, for the tests that start bin/tradepane.js (a no-op when current).
  ['CLI build', `${node} -e "import('./bin/cli-build.js').then((b) => b.freshBuild() || b.buildCli())"`],
  // The empty-page baseline bench:check's size section compares against (.bench-dist/; a no-op when current).
  ['bench baseline build', `tsx -e "import('./bench/empty-page/build.ts').then((m) => m.ensureEmptyPageBuilt())"`],
];

const started = Date.now();
const results = await Promise.all(
  STEPS.map(
    ([name, command]) =>
      new Promise((done) => {
        const t0 = Date.now();
        const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
        const output = [];
        child.stdout.on('data', (chunk) => output.push(chunk));
        child.stderr.on('data', (chunk) => output.push(chunk));
        child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)));
        child.on('close', (code, signal) => {
          const ok = code === 0;
          const text = Buffer.concat(output).toString('utf8').trimEnd();
          process.stdout.write(`${ok ? '✓' : '✗'} ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${ok ? '' : ` failed: ${signal ?? `exit ${code}`}`}\n${text ? `${text}\n` : ''}`);
          done({ name, ok });
        });
      }),
  ),
);
const failed = results.filter((r) => !r.ok).map((r) => r.name);
process.stdout.write(`before jest: ${STEPS.length - failed.length}/${STEPS.length} steps passed in ${((Date.now() - started) / 1000).toFixed(1)} s${failed.length ? ` — failed: ${failed.join(', ')}` : ''}\n`);
process.exit(failed.length ? 1 : 0);
