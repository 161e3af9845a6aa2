import { addDays, isoWeekday, utcMsToCivilDate } from './civil.js';

/**
 * Public holidays for the Muslim-majority markets date-holidays has no data for (Kuwait, Qatar,
 * Oman, Jordan, Iraq, Yemen, Syria, Lebanon, Palestine, Afghanistan, the Maldives, Kyrgyzstan,
 * Tajikistan, Turkmenistan).
 *
 * - The Islamic feasts are computed from the Umm al-Qura calendar (Saudi Arabia's official
 *   calendar, in ICU as `islamic-umalqura`). Each country announces the actual day after the
 *   moon sighting, so it may differ by a day: every such date carries `announcedLocally`, which
 *   the faces word as "date announced locally: may move by a day".
 * - The number of days off is each country's usual private-sector length (its labour law or
 *   recent years' announcements); governments often close longer, and a customer override can
 *   add days.
 * - National and other fixed-date days come from the table below. Not covered: Christian
 *   feasts that move (Easter in Lebanon), Ashura and Eid al-Ghadir in Iraq, Isra and Mi'raj,
 *   one-off days a government declares.
 */

export type IslamicFeast = 'eid-al-fitr' | 'arafat-day' | 'eid-al-adha' | 'hijri-new-year' | 'mawlid';

/** Hijri month and day each feast starts on, and its English name. */
const FEASTS: Readonly<Record<IslamicFeast, { month: number; day: number; name: string }>> = {
  'eid-al-fitr': { month: 10, day: 1, name: 'Eid al-Fitr' },
  'arafat-day': { month: 12, day: 9, name: 'Arafat Day' },
  'eid-al-adha': { month: 12, day: 10, name: 'Eid al-Adha' },
  'hijri-new-year': { month: 1, day: 1, name: 'Islamic New Year' },
  mawlid: { month: 3, day: 12, name: "Prophet's Birthday (Mawlid)" },
};

/** A fixed Gregorian day ('MM-DD'), or the nth weekday of a month (Qatar's Sport Day). */
type FixedDay = { date: string; name: string; days?: number } | { month: number; weekday: number; nth: number; name: string };

interface CountryHolidays {
  /** feast → days off, counted from its first day */
  feasts: Partial<Record<IslamicFeast, number>>;
  fixed: readonly FixedDay[];
}

const NEW_YEAR: FixedDay = { date: '01-01', name: "New Year's Day" };
const LABOUR_DAY: FixedDay = { date: '05-01', name: 'Labour Day' };
const CHRISTMAS: FixedDay = { date: '12-25', name: 'Christmas Day' };
const GULF = { 'eid-al-fitr': 3, 'arafat-day': 1, 'eid-al-adha': 3, 'hijri-new-year': 1, mawlid: 1 } as const;

export const HOLIDAYS_BY_COUNTRY: Readonly<Record<string, CountryHolidays>> = {
  KW: { feasts: GULF, fixed: [NEW_YEAR, { date: '02-25', name: 'National Day' }, { date: '02-26', name: 'Liberation Day' }] },
  // Qatar's labour law (Law 14 of 2004, art. 74): three days for each Eid and National Day; no Hijri New Year or Mawlid holiday
  QA: { feasts: { 'eid-al-fitr': 3, 'eid-al-adha': 3 }, fixed: [{ month: 2, weekday: 2, nth: 2, name: 'National Sport Day' }, { date: '12-18', name: 'National Day' }] },
  // National Day moved to 20 November in 2023; the Sultan's Accession Day (11 January) is a holiday since 2021
  OM: { feasts: GULF, fixed: [{ date: '01-11', name: "Sultan's Accession Day" }, { date: '11-20', name: 'National Day' }] },
  JO: { feasts: GULF, fixed: [NEW_YEAR, LABOUR_DAY, { date: '05-25', name: 'Independence Day' }, CHRISTMAS] },
  IQ: {
    feasts: GULF,
    fixed: [NEW_YEAR, { date: '01-06', name: 'Army Day' }, { date: '03-21', name: 'Nowruz' }, LABOUR_DAY, { date: '07-14', name: 'Republic Day' }, { date: '10-03', name: 'National Day' }, CHRISTMAS],
  },
  YE: {
    feasts: GULF,
    fixed: [LABOUR_DAY, { date: '05-22', name: 'Unity Day' }, { date: '09-26', name: 'Revolution Day' }, { date: '10-14', name: 'Liberation Day' }, { date: '11-30', name: 'Independence Day' }],
  },
  SY: { feasts: GULF, fixed: [NEW_YEAR, CHRISTMAS] },
  LB: { feasts: { 'eid-al-fitr': 2, 'eid-al-adha': 2, 'hijri-new-year': 1, mawlid: 1 }, fixed: [NEW_YEAR, { date: '02-09', name: "Saint Maron's Day" }, LABOUR_DAY, { date: '11-22', name: 'Independence Day' }, CHRISTMAS] },
  PS: { feasts: GULF, fixed: [NEW_YEAR, LABOUR_DAY, { date: '11-15', name: 'Independence Day' }, CHRISTMAS] },
  AF: { feasts: { 'eid-al-fitr': 3, 'arafat-day': 1, 'eid-al-adha': 3, mawlid: 1 }, fixed: [{ date: '08-19', name: 'Independence Day' }] },
  MV: {
    feasts: GULF,
    fixed: [NEW_YEAR, LABOUR_DAY, { date: '07-26', name: 'Independence Day' }, { date: '11-03', name: 'Victory Day' }, { date: '11-11', name: 'Republic Day' }],
  },
  KG: { feasts: { 'eid-al-fitr': 1, 'eid-al-adha': 1 }, fixed: [NEW_YEAR, { date: '03-08', name: "International Women's Day" }, { date: '03-21', name: 'Nooruz' }, { date: '05-09', name: 'Victory Day' }, { date: '08-31', name: 'Independence Day' }] },
  TJ: {
    feasts: { 'eid-al-fitr': 1, 'eid-al-adha': 1 },
    fixed: [NEW_YEAR, { date: '03-08', name: "Mothers' Day" }, { date: '03-21', name: 'Navruz', days: 4 }, { date: '05-09', name: 'Victory Day' }, { date: '06-27', name: 'National Unity Day' }, { date: '09-09', name: 'Independence Day' }, { date: '11-06', name: 'Constitution Day' }],
  },
  TM: {
    feasts: { 'eid-al-fitr': 1, 'eid-al-adha': 1 },
    fixed: [NEW_YEAR, { date: '03-08', name: "International Women's Day" }, { date: '03-21', name: 'Nowruz', days: 2 }, { date: '05-09', name: 'Victory Day' }, { date: '09-27', name: 'Independence Day' }, { date: '12-12', name: 'Neutrality Day' }],
  },
};

export interface TableHoliday {
  name: string;
  /** set for Islamic feasts: a key the faces can localise */
  feast?: IslamicFeast;
  /** the country fixes the day by moon sighting: it may move by a day */
  announcedLocally?: true;
}

let umalqura: Intl.DateTimeFormat | null | undefined;

function umalquraFormat(): Intl.DateTimeFormat | null {
  if (umalqura === undefined) {
    try {
      const format = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura-nu-latn', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });
      // an ICU without the calendar silently falls back to the Gregorian one
      umalqura = format.resolvedOptions().calendar === 'islamic-umalqura' ? format : null;
    } catch {
      umalqura = null;
    }
  }
  return umalqura;
}

/** Whether this runtime's ICU knows the Umm al-Qura calendar (Node with full ICU, every current browser). */
export function hasUmmAlQura(): boolean {
  return umalquraFormat() !== null;
}

/** The Umm al-Qura date of a Gregorian 'YYYY-MM-DD': { year, month, day } of the Hijri calendar. */
export function hijriOf(date: string): { year: number; month: number; day: number } {
  const format = umalquraFormat();
  if (!format) throw new Error('this runtime has no Umm al-Qura calendar (ICU islamic-umalqura)');
  const parts = format.formatToParts(new Date(`${date}T00:00:00Z`));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}

const yearTables = new Map<string, ReadonlyMap<string, TableHoliday>>();

function add(table: Map<string, TableHoliday>, year: number, date: string, holiday: TableHoliday): void {
  if (Number(date.slice(0, 4)) !== year) return;
  const existing = table.get(date);
  if (!existing) table.set(date, holiday);
  else if (!existing.name.split(' / ').includes(holiday.name)) table.set(date, { ...holiday, ...existing, name: `${existing.name} / ${holiday.name}` });
}

function nthWeekday(year: number, month: number, weekday: number, nth: number): string {
  const first = utcMsToCivilDate(Date.UTC(year, month - 1, 1));
  const shift = (weekday - isoWeekday(first) + 7) % 7;
  return addDays(first, shift + (nth - 1) * 7);
}

function yearTable(country: string, year: number): ReadonlyMap<string, TableHoliday> {
  const key = `${country}:${year}`;
  const cached = yearTables.get(key);
  if (cached) return cached;
  const table = new Map<string, TableHoliday>();
  const spec = HOLIDAYS_BY_COUNTRY[country];
  if (spec) {
    for (const fixed of spec.fixed) {
      if ('date' in fixed) {
        for (let i = 0; i < (fixed.days ?? 1); i++) add(table, year, addDays(`${year}-${fixed.date}`, i), { name: fixed.name });
      } else {
        add(table, year, nthWeekday(year, fixed.month, fixed.weekday, fixed.nth), { name: fixed.name });
      }
    }
    if (umalquraFormat()) {
      // from 10 days before the year: a feast that starts in late December runs into January
      for (let date = `${year - 1}-12-22`; date <= `${year}-12-31`; date = addDays(date, 1)) {
        const hijri = hijriOf(date);
        for (const [feast, days] of Object.entries(spec.feasts) as [IslamicFeast, number][]) {
          const { month, day, name } = FEASTS[feast];
          if (hijri.month !== month || hijri.day !== day) continue;
          for (let i = 0; i < days; i++) add(table, year, addDays(date, i), { name, feast, announcedLocally: true });
        }
      }
    }
  }
  yearTables.set(key, table);
  return table;
}

/** Countries this table covers. */
export function hasTableHolidays(country: string): boolean {
  return HOLIDAYS_BY_COUNTRY[country] !== undefined;
}

/** The table's public holiday on a local date in a country, or null. */
export function tableHolidayOn(country: string, date: string): TableHoliday | null {
  return yearTable(country, Number(date.slice(0, 4))).get(date) ?? null;
}
