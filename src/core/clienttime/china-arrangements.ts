/**
 * China's public holidays are set each year by the State Council, which also moves weekend days
 * into working days (调休, "make-up working days") so that holidays join up into a long break.
 * date-holidays knows the holidays' nominal dates only, so for the years below this table
 * replaces its answer for CN entirely. Sources:
 * - 国务院办公厅关于2025年部分节假日安排的通知 (published 12 Nov 2024)
 * - 国务院办公厅关于2026年部分节假日安排的通知 (published 4 Nov 2025)
 * Add the next year when its notice appears (usually in November).
 */
export interface ChinaHolidayArrangement {
  name: string;
  nameZh: string;
  /** first and last day off, inclusive, weekends in between included */
  off: readonly [string, string];
  /** weekend days that are working days */
  makeUpWorkdays: readonly string[];
}

export const CHINA_ARRANGEMENTS: Readonly<Record<number, readonly ChinaHolidayArrangement[]>> = {
  2025: [
    { name: "New Year's Day", nameZh: '元旦', off: ['2025-01-01', '2025-01-01'], makeUpWorkdays: [] },
    { name: 'Spring Festival', nameZh: '春节', off: ['2025-01-28', '2025-02-04'], makeUpWorkdays: ['2025-01-26', '2025-02-08'] },
    { name: 'Qingming Festival', nameZh: '清明节', off: ['2025-04-04', '2025-04-06'], makeUpWorkdays: [] },
    { name: 'Labour Day', nameZh: '劳动节', off: ['2025-05-01', '2025-05-05'], makeUpWorkdays: ['2025-04-27'] },
    { name: 'Dragon Boat Festival', nameZh: '端午节', off: ['2025-05-31', '2025-06-02'], makeUpWorkdays: [] },
    { name: 'National Day and Mid-Autumn Festival', nameZh: '国庆节、中秋节', off: ['2025-10-01', '2025-10-08'], makeUpWorkdays: ['2025-09-28', '2025-10-11'] },
  ],
  2026: [
    { name: "New Year's Day", nameZh: '元旦', off: ['2026-01-01', '2026-01-03'], makeUpWorkdays: ['2026-01-04'] },
    { name: 'Spring Festival', nameZh: '春节', off: ['2026-02-15', '2026-02-23'], makeUpWorkdays: ['2026-02-14', '2026-02-28'] },
    { name: 'Qingming Festival', nameZh: '清明节', off: ['2026-04-04', '2026-04-06'], makeUpWorkdays: [] },
    { name: 'Labour Day', nameZh: '劳动节', off: ['2026-05-01', '2026-05-05'], makeUpWorkdays: ['2026-05-09'] },
    { name: 'Dragon Boat Festival', nameZh: '端午节', off: ['2026-06-19', '2026-06-21'], makeUpWorkdays: [] },
    { name: 'Mid-Autumn Festival', nameZh: '中秋节', off: ['2026-09-25', '2026-09-27'], makeUpWorkdays: [] },
    { name: 'National Day', nameZh: '国庆节', off: ['2026-10-01', '2026-10-07'], makeUpWorkdays: ['2026-09-20', '2026-10-10'] },
  ],
};

export type ChinaDay = { kind: 'off' | 'make-up workday'; arrangement: ChinaHolidayArrangement } | { kind: 'ordinary' };

/** What the State Council notice says about a date; undefined for a year it does not cover. */
export function chinaArrangementOn(date: string): ChinaDay | undefined {
  const arrangements = CHINA_ARRANGEMENTS[Number(date.slice(0, 4))];
  if (!arrangements) return undefined;
  for (const arrangement of arrangements) {
    // 'YYYY-MM-DD' strings compare in calendar order
    if (date >= arrangement.off[0] && date <= arrangement.off[1]) return { kind: 'off', arrangement };
    if (arrangement.makeUpWorkdays.includes(date)) return { kind: 'make-up workday', arrangement };
  }
  return { kind: 'ordinary' };
}
