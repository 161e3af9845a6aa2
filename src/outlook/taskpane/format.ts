import type { UiLanguage } from '../i18n/index.js';

/**
 * Instants shown to the rep, in a given zone: "Tue 1 Dec, 09:00". The engine answers UTC
 * instants and ISO local times; formatting for people happens here, in the rep's UI language.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatInstant(iso: string | Date, timeZone: string | undefined, language: UiLanguage): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return String(iso);
  const key = `${language}|${timeZone ?? ''}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat(language, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) });
    } catch {
      formatter = new Intl.DateTimeFormat(language, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    }
    formatters.set(key, formatter);
  }
  return formatter.format(date);
}

/** The rep's own zone (the browser's), for "your time". */
export function repTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `2026-11-27T10:00` (a datetime-local input, the rep's zone) → the instant. */
export function parseLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** An instant → a datetime-local input value in the rep's zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
