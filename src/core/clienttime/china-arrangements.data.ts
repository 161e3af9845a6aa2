/**
 * DATA: the State Council's holiday arrangements for China (国务院办公厅关于部分节假日安排的通知),
 * one entry per notice. Add a year only from the published notice (usually early November):
 * its days off (`off`, first and last day inclusive, weekends between included) and its make-up
 * working days (调休). Past the last year here the engine says the arrangement is not yet
 * published (code 'china-arrangement-unpublished') rather than guessing.
 *
 * Sources:
 * - 2025: 国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号, published 12 Nov 2024
 * - 2026: 国务院办公厅关于2026年部分节假日安排的通知, published 4 Nov 2025
 * 2027: not included. No copy of the notice was at hand when this file was written (Dec 2026);
 * add it from the gov.cn text, never from a forecast.
 */
export const CHINA_ARRANGEMENT_DATA = {
  firstYear: 2025,
  lastYear: 2026,
  years: {
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
  },
} as const;
