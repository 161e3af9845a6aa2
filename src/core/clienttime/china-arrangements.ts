import { CHINA_ARRANGEMENT_DATA } from './china-arrangements.data.js';

/**
 * China's public holidays are set each year by the State Council, which also moves weekend days
 * into working days (调休, "make-up working days") so that holidays join up into a long break.
 * date-holidays knows the holidays' nominal dates only, so for the years the data file
 * (china-arrangements.data.ts) covers, its notices replace date-holidays' answer for CN entirely.
 * Outside those years the answer is date-holidays' nominal dates, and `chinaArrangementOn` says
 * the arrangement is not published, so the engine can tell the rep instead of pretending.
 */
export interface ChinaHolidayArrangement {
  name: string;
  nameZh: string;
  /** first and last day off, inclusive, weekends in between included */
  off: readonly [string, string];
  /** weekend days that are working days */
  makeUpWorkdays: readonly string[];
}

export const CHINA_ARRANGEMENTS: Readonly<Record<number, readonly ChinaHolidayArrangement[]>> = CHINA_ARRANGEMENT_DATA.years;

/** The years the data file covers, inclusive. */
export const CHINA_ARRANGEMENT_YEARS = { first: CHINA_ARRANGEMENT_DATA.firstYear, last: CHINA_ARRANGEMENT_DATA.lastYear } as const;

export type ChinaDay =
  | { kind: 'off' | 'make-up workday'; arrangement: ChinaHolidayArrangement }
  | { kind: 'ordinary' }
  /** no notice for this year in the data file (not yet published, or before the table starts) */
  | { kind: 'unpublished'; year: number };

/** What the State Council notice says about a date. */
export function chinaArrangementOn(date: string): ChinaDay {
  const year = Number(date.slice(0, 4));
  const arrangements = CHINA_ARRANGEMENTS[year];
  if (!arrangements) return { kind: 'unpublished', year };
  for (const arrangement of arrangements) {
    // 'YYYY-MM-DD' strings compare in calendar order
    if (date >= arrangement.off[0] && date <= arrangement.off[1]) return { kind: 'off', arrangement };
    if (arrangement.makeUpWorkdays.includes(date)) return { kind: 'make-up workday', arrangement };
  }
  return { kind: 'ordinary' };
}
