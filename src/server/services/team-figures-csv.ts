import { stringify } from 'csv-stringify/sync';
import { REGION_NAMES } from '../../core/teaminbox/regions.js';
import type { TeamFiguresView } from '../../contract/team-inbox.js';

/**
 * The manager's figures as one CSV table (docs/team-inbox.md): a row per rep, per region and per
 * week, the same columns for each, times in business minutes of the inbox's calendar. Headings
 * and labels in English or Simplified Chinese; a UTF-8 byte-order mark first, so Excel opens the
 * Chinese (and the buyers' names) correctly.
 */

const HEADINGS = {
  en: ['Group', 'Key', 'Name', 'First responses', 'p50 (business minutes)', 'p90 (business minutes)', 'After target', 'Open now', 'From', 'Until'],
  'zh-CN': ['分组', '键', '名称', '首次回复数', 'p50（工作分钟）', 'p90（工作分钟）', '超时数', '当前未结', '起始', '截止'],
} as const;
const GROUPS = { en: { rep: 'rep', region: 'region', week: 'week' }, 'zh-CN': { rep: '业务员', region: '地区', week: '周' } } as const;

export type CsvLanguage = keyof typeof HEADINGS;

export function figuresCsv(figures: TeamFiguresView, lang: CsvLanguage = 'en'): string {
  const g = GROUPS[lang];
  const cell = (n: number | null) => (n === null ? '' : n);
  const rows: Array<Array<string | number>> = [
    ...figures.reps.map((r) => [g.rep, r.rep.email, r.rep.name, r.answered, cell(r.p50BusinessMinutes), cell(r.p90BusinessMinutes), r.breaches, r.openNow, figures.since, figures.until]),
    ...figures.regions.map((r) => [g.region, r.region, REGION_NAMES[r.region][lang], r.answered, cell(r.p50BusinessMinutes), cell(r.p90BusinessMinutes), r.breaches, '', figures.since, figures.until]),
    ...figures.weeks.map((w) => [g.week, w.week, w.monday, w.answered, cell(w.p50BusinessMinutes), cell(w.p90BusinessMinutes), w.breaches, '', figures.since, figures.until]),
  ];
  // A leading = + - @ would be a formula in a spreadsheet: names come from people and mail.
  const safe = (v: string | number) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
  return '\uFEFF' + stringify([[...HEADINGS[lang]], ...rows.map((r) => r.map(safe))], { record_delimiter: '\r\n' });
}
