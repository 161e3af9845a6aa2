import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildCli, freshBuild } from '../../bin/cli-build.js';
import { median, type Row } from '../measure.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = 7;
// Preloaded into each measured process: at exit it writes its own CPU time (user + system, ms) to
// fd 3. On a loaded machine wall time mostly measures the queue for a core; CPU time does not.
const CPU_PROBE = `data:text/javascript,${encodeURIComponent("import { writeSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); writeSync(3, String((u.user + u.system) / 1000)); });")}`;

/** Medians over RUNS fresh `node …args` processes: wall time start to exit, and the process's CPU time. */
function timed(args: string[]): { wall: number; cpu: number } {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--import', CPU_PROBE, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    walls.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`cli bench: node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    cpus.push(Number(r.output[3]));
  }
  return { wall: median(walls), cpu: median(cpus) };
}

/**
 * `tradepane --help` and an offline `slot` as a user starts them: a new process through
 * bin/tradepane.js on the built CLI (built first when stale), beside an empty Node process.
 */
export async function cliSection(): Promise<Row[]> {
  if (!freshBuild()) await buildCli();
  const bare = timed(['-e', '']);
  const rows: Row[] = [];
  for (const [name, args] of [
    ['tradepane --help', ['--help']],
    ['tradepane slot, offline', ['slot', '--to', 'buyer@alfanar-trading.sa', '--now', '2026-12-03T08:00:00Z']],
  ] as const) {
    const t = timed(['bin/tradepane.js', ...args]);
    rows.push({ section: 'cli', name: `${name} (new process)`, value: t.wall, unit: 'ms', higherIsBetter: false, note: `empty node process: ${bare.wall.toFixed(0)} ms` });
    rows.push({ section: 'cli', name: `${name}: CPU time`, value: t.cpu, unit: 'ms', higherIsBetter: false, note: `empty node process: ${bare.cpu.toFixed(0)} ms` });
  }
  return rows;
}
