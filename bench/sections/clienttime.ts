import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { slotFor } from '../../src/core/clienttime/index.js';
import { median, opsPerSecond, sample, type Row } from '../measure.js';

/** Buyers across 40 countries, by e-mail domain; the mix a rep's day looks like. */
export const FORTY = [
  'sa', 'ae', 'qa', 'kw', 'om', 'bh', 'eg', 'il', 'tr', 'ir', 'de', 'fr', 'it', 'es', 'nl', 'pl', 'se', 'co.uk', 'ru', 'ua',
  'com.br', 'com.ar', 'cl', 'com.mx', 'ca', 'us', 'com.co', 'pe', 'in', 'pk', 'com.bd', 'vn', 'th', 'my', 'id', 'ph', 'jp', 'kr', 'com.au', 'co.za',
];

export async function clientTimeSection(): Promise<Row[]> {
  const addresses = FORTY.map((tld) => `buyer@company.${tld}`);
  // Warm every country's holiday data first: the steady state is what reps live in.
  const start = Date.UTC(2026, 10, 23, 7);
  addresses.forEach((email, i) => slotFor({ email, now: new Date(start + i * 3_600_000) }));
  let i = 0;
  const times = sample(() => {
    const email = addresses[i % addresses.length]!;
    slotFor({ email, now: new Date(start + (i++ % 500) * 3_600_000) });
  }, 1500);

  // Cold start: a fresh process answering its first question (module load + holiday rules).
  const script = fileURLToPath(new URL('./clienttime-cold.ts', import.meta.url));
  const cold: number[] = [];
  for (let run = 0; run < 5; run++) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    const ms = Number(r.stdout.trim());
    if (!Number.isFinite(ms)) throw new Error(`cold-start probe failed: ${r.stderr}`);
    cold.push(ms);
  }
  return [
    { section: 'client time', name: 'next-slot answers, 40-country mix', value: opsPerSecond(times), unit: 'answers/s', higherIsBetter: true },
    { section: 'client time', name: 'cold start: import + first answer (new process)', value: median(cold), unit: 'ms', higherIsBetter: false },
  ];
}
