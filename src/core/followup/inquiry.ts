import type { BusinessCalendar } from '../clienttime/calendar.js';
import { isWorkingDay } from '../clienttime/calendar.js';
import { addDays, parseClock } from '../clienttime/civil.js';
import { instantOfWallTime, wallClockAt } from '../clienttime/zones.js';

/**
 * The inquiry reply rule: every inquiry answered within 24 of the company's business hours. What
 * looks like an inquiry (pack rules: words, an attachment from a new company, first contact), and
 * how many business hours have passed since it arrived on the company's calendar.
 */

/** Words that make a buyer's mail an inquiry, in the languages reps meet (a pack adds its own). */
export const INQUIRY_WORDS = [
  'inquiry', 'enquiry', 'rfq', 'request for quotation', 'quotation', 'price list', 'best price', 'moq', 'catalog', 'catalogue',
  '询价', '询盘', '报价', '价格', '目录', '起订量',
  'cotización', 'cotizacion', 'precio', 'solicitud de oferta',
  'anfrage', 'angebot', 'preisliste',
  'demande de prix', 'devis', 'tarif',
  'عرض سعر', 'طلب عرض', 'استفسار', 'قائمة الأسعار',
];

export interface InquiryRules {
  /** Extra words (the pack's); the built-in list always applies. */
  words?: readonly string[];
  /** An attachment from a company never heard from before counts (a drawing, a spec). Default true. */
  attachmentsFromNewCompany?: boolean;
  /** Any first mail from a company never heard from before counts. Default false. */
  firstContact?: boolean;
}

export interface InboundMail {
  subject: string;
  text: string;
  attachments: number;
  /** No earlier mail from this sender's company. */
  firstContact: boolean;
}

export function looksLikeInquiry(mail: InboundMail, rules: InquiryRules = {}): boolean {
  const haystack = `${mail.subject}\n${mail.text}`.normalize('NFKC').toLowerCase();
  const words = [...INQUIRY_WORDS, ...(rules.words ?? [])].map((w) => w.normalize('NFKC').toLowerCase()).filter(Boolean);
  // Latin words on word boundaries ("price" is not in "priceless"); CJK and Arabic as written.
  const hit = words.some((w) => (/^[\p{Script=Latin}\d ]+$/u.test(w) ? new RegExp(`(?<![\\p{L}\\d])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\d])`, 'u').test(haystack) : haystack.includes(w)));
  if (hit) return true;
  if (mail.firstContact && mail.attachments > 0 && rules.attachmentsFromNewCompany !== false) return true;
  return Boolean(mail.firstContact && rules.firstContact);
}

/** Minutes of the calendar's business hours between two instants (at most 90 days are walked). */
export function businessMinutesBetween(fromMs: number, toMs: number, calendar: BusinessCalendar): number {
  if (toMs <= fromMs) return 0;
  const open = parseClock(calendar.start);
  const close = parseClock(calendar.end);
  let day = wallClockAt(calendar.timeZone, fromMs).date;
  const last = wallClockAt(calendar.timeZone, toMs).date;
  let total = 0;
  for (let i = 0; day <= last && i < 90; i++, day = addDays(day, 1)) {
    if (!isWorkingDay(calendar, day).working) continue;
    const start = Math.max(fromMs, instantOfWallTime(calendar.timeZone, day, open));
    const end = Math.min(toMs, instantOfWallTime(calendar.timeZone, day, close));
    if (end > start) total += (end - start) / 60_000;
  }
  return Math.floor(total);
}
