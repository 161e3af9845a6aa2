/**
 * Working days per country as ISO weekdays (1 = Monday … 7 = Sunday); every country not listed
 * works Monday–Friday. The week of government offices and most private firms, checked against
 * each country's labour or civil-service rules as published up to 2025:
 *
 * - Sunday–Thursday (Friday–Saturday weekend): Saudi Arabia (since 29 Jun 2013), Kuwait, Qatar,
 *   Bahrain, Oman (since 2013), Egypt, Israel (Friday is a short day for some, closed for most
 *   offices), Jordan (since 2000), Iraq, Syria, Yemen (since 2013), Libya, Algeria (since 2009),
 *   Bangladesh, Maldives.
 * - Saturday–Wednesday: Iran (government offices close Thursday and Friday; the Majlis voted in
 *   March 2025 for a 40-hour Saturday–Wednesday week) and Afghanistan.
 * - Sunday–Friday: Nepal (Saturday is the only weekly day off; the 2022 trial of a free Sunday
 *   ended in 2023).
 * - Monday–Thursday and Saturday: Brunei (Friday is the day of prayer, Sunday the weekend).
 * - United Arab Emirates: Monday–Friday since 1 Jan 2022 (it was Sunday–Thursday before). This
 *   table holds today's week only, since slots are always planned from now on. Sharjah's
 *   government works Monday–Thursday; a customer override can say so.
 * - Malaysia is Monday–Friday federally; Kelantan, Terengganu and Kedah work Sunday–Thursday
 *   (override per customer).
 */
const SUNDAY_TO_THURSDAY = [1, 2, 3, 4, 7] as const;
const SATURDAY_TO_WEDNESDAY = [1, 2, 3, 6, 7] as const;
export const MONDAY_TO_FRIDAY: readonly number[] = [1, 2, 3, 4, 5];

export const WORK_WEEK_BY_COUNTRY: Readonly<Record<string, readonly number[]>> = {
  SA: SUNDAY_TO_THURSDAY,
  KW: SUNDAY_TO_THURSDAY,
  QA: SUNDAY_TO_THURSDAY,
  BH: SUNDAY_TO_THURSDAY,
  OM: SUNDAY_TO_THURSDAY,
  EG: SUNDAY_TO_THURSDAY,
  IL: SUNDAY_TO_THURSDAY,
  JO: SUNDAY_TO_THURSDAY,
  IQ: SUNDAY_TO_THURSDAY,
  SY: SUNDAY_TO_THURSDAY,
  YE: SUNDAY_TO_THURSDAY,
  LY: SUNDAY_TO_THURSDAY,
  DZ: SUNDAY_TO_THURSDAY,
  BD: SUNDAY_TO_THURSDAY,
  MV: SUNDAY_TO_THURSDAY,
  IR: SATURDAY_TO_WEDNESDAY,
  AF: SATURDAY_TO_WEDNESDAY,
  NP: [1, 2, 3, 4, 5, 7],
  BN: [1, 2, 3, 4, 6],
  AE: MONDAY_TO_FRIDAY,
};

export function workWeekOf(country: string | null): readonly number[] {
  return (country && WORK_WEEK_BY_COUNTRY[country]) || MONDAY_TO_FRIDAY;
}
