/**
 * `npm run bench [-- --only a,b] [-- --check]`: runs each section, prints a table (medians, and
 * ratios against a baseline measured in the same run), writes bench/results.json, and with
 * --check exits 1 when a budget in bench/budgets.json is broken. docs/performance.md explains.
 */
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Row } from './measure.js';
import { searchSection } from './sections/search.js';
import { clientTimeSection } from './sections/clienttime.js';
import { storeSection } from './sections/store.js';
import { bundleSection } from './sections/bundle.js';
import { renderSection } from './sections/render.js';
import { schedulerSection } from './sections/scheduler.js';

const SECTIONS: Record<string, () => Promise<Row[]>> = {
  render: renderSection,
  search: searchSection,
  clienttime: clientTimeSection,
  bundle: bundleSection,
  store: storeSection,
  scheduler: schedulerSection,
};

interface Budget {
  section: string;
  name: string;
  max?: number;
  min?: number;
  /** against the baseline measured in the same run (ratio ≥ 1 means at least as good) */
  minRatio?: number;
  why: string;
}

const args = process.argv.slice(2);
const check = args.includes('--check');
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1] ?? '').split(',').filter(Boolean) : Object.keys(SECTIONS);
const unknown = only.filter((s) => !(s in SECTIONS));
if (unknown.length) {
  console.error(`unknown section(s): ${unknown.join(', ')}; sections are: ${Object.keys(SECTIONS).join(', ')}`);
  process.exit(2);
}

const fmt = (n: number) => (Number.isNaN(n) ? '—' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

const rows: Row[] = [];
for (const name of only) {
  process.stderr.write(`bench: ${name} …\n`);
  rows.push(...(await SECTIONS[name]!()));
}

console.log('\n| section | measure | value | baseline (same run) | ratio |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) {
  const baseline = r.baseline ? `${fmt(r.baseline.value)} ${r.unit} — ${r.baseline.name}` : r.note ?? '';
  const ratio = r.ratio !== undefined ? `${r.ratio.toFixed(2)}× ${r.ratio >= 1 ? 'better' : 'worse'}` : '';
  console.log(`| ${r.section} | ${r.name} | ${fmt(r.value)} ${r.unit} | ${baseline} | ${ratio} |`);
}

const budgets = JSON.parse(readFileSync(new URL('./budgets.json', import.meta.url), 'utf8')) as Budget[];
const broken: string[] = [];
for (const b of budgets) {
  const row = rows.find((r) => r.section === b.section && r.name === b.name);
  if (!row) continue;
  if (b.max !== undefined && !(row.value <= b.max)) broken.push(`${b.section} / ${b.name}: ${fmt(row.value)} ${row.unit} > budget ${b.max} (${b.why})`);
  if (b.min !== undefined && !(row.value >= b.min)) broken.push(`${b.section} / ${b.name}: ${fmt(row.value)} ${row.unit} < budget ${b.min} (${b.why})`);
  if (b.minRatio !== undefined && !((row.ratio ?? 0) >= b.minRatio)) broken.push(`${b.section} / ${b.name}: ${(row.ratio ?? 0).toFixed(2)}× its baseline < budget ${b.minRatio}× (${b.why})`);
}

let commit = 'unknown';
try {
  commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
} catch {
  /* not a git checkout */
}
writeFileSync(
  fileURLToPath(new URL('./results.json', import.meta.url)),
  JSON.stringify({ at: new Date().toISOString(), commit, node: process.version, machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30) }, rows, brokenBudgets: broken }, null, 2) + '\n',
);

if (broken.length) {
  console.log(`\nbudgets broken:\n${broken.map((b) => `  - ${b}`).join('\n')}`);
  if (check) process.exit(1);
} else console.log(`\nall ${budgets.filter((b) => rows.some((r) => r.section === b.section && r.name === b.name)).length} budgets checked hold`);
