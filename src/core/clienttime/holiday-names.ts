import Holidays from 'date-holidays';

/**
 * Chinese names of public holidays, from date-holidays' own translations. Where it has no Chinese
 * name it answers in the country's language (German, Arabic): those are dropped, and the English
 * name stays, which a Chinese reader can at least look up.
 */
const HAN = /[\u4e00-\u9fff]/;
const byYear = new Map<string, ReadonlyMap<string, string>>();

function chineseNames(country: string, year: number): ReadonlyMap<string, string> {
  const key = `${country}:${year}`;
  let names = byYear.get(key);
  if (!names) {
    const table = new Map<string, string>();
    try {
      const holidays = new Holidays(country);
      const english = holidays.getHolidays(year, 'en');
      const chinese = holidays.getHolidays(year, 'zh');
      // the same rules in the same order: the i-th holiday is the same day in both lists
      english.forEach((holiday, i) => {
        const zh = chinese[i];
        if (zh && zh.date === holiday.date && HAN.test(zh.name) && !table.has(holiday.name)) table.set(holiday.name, zh.name.split(/\s+/)[0]!);
      });
    } catch {
      // an unknown country has no names
    }
    names = table;
    byYear.set(key, names);
  }
  return names;
}

/** '国庆节' for ('CN', '2026-10-01', 'National Day'); several holidays on one day ('A / B') are named each; undefined when none is known. */
export function holidayNameZh(country: string, date: string, englishName: string): string | undefined {
  const names = chineseNames(country, Number(date.slice(0, 4)));
  const parts = englishName.split(' / ').map((part) => names.get(part));
  return parts.every((part) => part !== undefined) ? parts.join('、') : undefined;
}
