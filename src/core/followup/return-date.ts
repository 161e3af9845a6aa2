import { addDays, civilDateToUtcMs, utcMsToCivilDate } from '../clienttime/civil.js';

/**
 * The day an out-of-office notice says its writer is back, read from its subject and text in
 * English, Chinese, Spanish, German, French and Arabic (and any numeric or ISO date). Notices
 * name a range ("from 1 March until 8 March", "3月1日至3月8日休假") or a return ("back on
 * 9 March", "سأعود في 9 مارس"): the latest date within half a year after the notice wins, and a
 * date introduced by "until / bis / hasta / jusqu'au / حتى / 至" is the last day away, so the
 * writer is back the day after. Null when no such date is found: the reminder then stays put.
 */

const MONTHS: Record<string, number> = {};
function months(names: string, offset = 0): void {
  names.split('|').forEach((group, i) => group.split(',').forEach((name) => (MONTHS[name] = i + 1 + offset)));
}
// English (full and short), Spanish, German, French.
months('january,jan|february,feb|march,mar|april,apr|may|june,jun|july,jul|august,aug|september,sep,sept|october,oct|november,nov|december,dec');
months('enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre,setiembre|octubre|noviembre|diciembre');
months('januar,jänner|februar|märz,maerz|april|mai|juni|juli|august|september|oktober|november|dezember');
months('janvier|février,fevrier|mars|avril|mai|juin|juillet|août,aout|septembre|octobre|novembre|décembre,decembre');
// Arabic: the Egyptian/Gulf names and the Levantine ones.
months('يناير|فبراير|مارس|أبريل,ابريل,إبريل|مايو|يونيو,يونيه|يوليو,يوليه|أغسطس,اغسطس|سبتمبر|أكتوبر,اكتوبر|نوفمبر|ديسمبر');
months('كانون الثاني|شباط|آذار,اذار|نيسان|أيار,ايار|حزيران|تموز|آب|أيلول,ايلول|تشرين الأول,تشرين الاول|تشرين الثاني|كانون الأول,كانون الاول');

const MONTH_ALT = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  .join('|');

/** Words that make the next date the last day away. */
const UNTIL = /(?<![\p{L}])(until|till|til|through|thru|up to|bis(?: zum| einschließlich| einschl\.?)?|hasta(?: el)?|jusqu'?au|jusqu’au|au|al|حتى|لغاية|إلى|الى)\s*$|(?:至|到|直到)\s*$/iu;

const NOT_LETTER = '(?<![\\p{L}\\p{N}])';
const END = '(?![\\p{L}\\p{N}])';
const PATTERNS: { re: RegExp; read: (m: RegExpExecArray) => { y?: number; m: number; d: number } | null }[] = [
  // 2027-03-09, 2027/3/9
  { re: new RegExp(`${NOT_LETTER}(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})${END}`, 'gu'), read: (m) => ({ y: +m[1]!, m: +m[2]!, d: +m[3]! }) },
  // 2027年3月9日, 3月9日, 3月9号
  { re: /(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]/gu, read: (m) => ({ ...(m[1] ? { y: +m[1] } : {}), m: +m[2]!, d: +m[3]! }) },
  // 9 March 2027, 9th of March, 9. März, 9 de marzo de 2027, 9 mars, ٩ مارس
  {
    re: new RegExp(`${NOT_LETTER}(\\d{1,2})(?:st|nd|rd|th|er|º|\\.)?\\s*(?:of\\s+|de\\s+)?(${MONTH_ALT})\\.?(?:,?\\s*(?:de\\s+)?(\\d{4}))?${END}`, 'giu'),
    read: (m) => ({ ...(m[3] ? { y: +m[3] } : {}), m: MONTHS[m[2]!.toLowerCase()]!, d: +m[1]! }),
  },
  // March 9, March 9th, 2027
  {
    re: new RegExp(`${NOT_LETTER}(${MONTH_ALT})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s*(\\d{4}))?${END}`, 'giu'),
    read: (m) => ({ ...(m[3] ? { y: +m[3] } : {}), m: MONTHS[m[1]!.toLowerCase()]!, d: +m[2]! }),
  },
  // 9.3.2027, 09/03/2027, 9.3. (day first, as most of the world writes; month first only when day-first is impossible)
  {
    re: new RegExp(`${NOT_LETTER}(\\d{1,2})([./])(\\d{1,2})(?:\\2(\\d{4}|\\d{2})|(\\.))${END}`, 'gu'),
    read: (m) => {
      const a = +m[1]!;
      const b = +m[3]!;
      const y = m[4] ? (m[4].length === 2 ? 2000 + +m[4] : +m[4]) : undefined;
      if (b <= 12) return { ...(y ? { y } : {}), m: b, d: a };
      if (a <= 12 && m[2] === '/') return { ...(y ? { y } : {}), m: a, d: b };
      return null;
    },
  },
];

function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669]/g, (c) => String(c.charCodeAt(0) - 0x0660)).replace(/[\u06f0-\u06f9]/g, (c) => String(c.charCodeAt(0) - 0x06f0));
}

function validDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  try {
    civilDateToUtcMs(text);
    return text;
  } catch {
    return null;
  }
}

const HORIZON_DAYS = 183;

/** The date the writer is back ('YYYY-MM-DD'), given the notice's own date ('YYYY-MM-DD'), or null. */
export function returnDateOf(text: string, noticeDate: string): string | null {
  const reference = civilDateToUtcMs(noticeDate);
  const horizon = reference + HORIZON_DAYS * 86_400_000;
  const source = asciiDigits(text.normalize('NFKC')).slice(0, 20_000);
  let best: string | null = null;
  for (const { re, read } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(source); m; m = re.exec(source)) {
      const parts = read(m);
      if (!parts) continue;
      let date: string | null = null;
      if (parts.y !== undefined) date = validDate(parts.y, parts.m, parts.d);
      else {
        // No year: the first such day on or after the notice.
        const year = new Date(reference).getUTCFullYear();
        for (const y of [year, year + 1]) {
          const candidate = validDate(y, parts.m, parts.d);
          if (candidate && civilDateToUtcMs(candidate) >= reference) {
            date = candidate;
            break;
          }
        }
      }
      if (!date) continue;
      const ms = civilDateToUtcMs(date);
      if (ms < reference || ms > horizon) continue;
      const before = source.slice(Math.max(0, m.index - 30), m.index);
      const back = UNTIL.test(before) ? addDays(date, 1) : date;
      if (best === null || back > best) best = back;
    }
  }
  return best === null ? null : utcMsToCivilDate(civilDateToUtcMs(best));
}
