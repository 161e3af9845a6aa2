import { lazy, Suspense, type ReactNode } from 'react';
import { tokens } from '@fluentui/react-components';
import { refusalKind } from '../client/api-error.js';
import type { ClockView } from '../contract/team-inbox.js';
import type { Translate } from './i18n.js';

/** What the list and the conversation view share: the page's styles, the error bar, the clock in words. */

/**
 * The page's own layout as one static style sheet with Fluent's design tokens (CSS variables set
 * by FluentProvider), not `makeStyles`: run-time `makeStyles` brought Griffel's style compiler
 * (stylis) into the first paint and compiled these rules on the first render (~⅒ of the page's
 * script time in a profile; docs/performance.md, "Team inbox"). Fluent's own components ship
 * their styles precompiled. Class names are prefixed `tpi-`.
 */
const CLASSES = {
  page: 'tpi-page',
  header: 'tpi-header',
  row: 'tpi-row',
  split: 'tpi-split',
  table: 'tpi-table',
  // The list scrolls on its own (windowed: only the rows in view are in the page).
  scroller: 'tpi-scroller',
  spacer: 'tpi-spacer',
  selected: 'tpi-selected',
  clickable: 'tpi-clickable',
  late: 'tpi-late',
  warn: 'tpi-warn',
  message: 'tpi-message',
  ours: 'tpi-ours',
  body: 'tpi-body',
  pane: 'tpi-pane',
  card: 'tpi-card',
  // Caption1's type in plain elements (the list's rows: no Fluent component per row).
  caption: 'tpi-caption',
  // A conversation's tag in a list row: a tinted small Badge's look in a plain span.
  tag: 'tpi-tag',
  // An error said before Fluent's message bar has arrived (Failure).
  alert: 'tpi-alert',
  // A label above its control, as Fluent's Field lays it out.
  field: 'tpi-field',
  // Where the tabs go: their height, kept while they are not mounted yet (no shift when they are).
  tabs: 'tpi-tabs',
} as const;

const SHEET = `
.tpi-page { max-width: 90rem; margin: 0 auto; padding: ${tokens.spacingHorizontalXL}; display: flex; flex-direction: column; gap: ${tokens.spacingVerticalM}; }
.tpi-header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: ${tokens.spacingHorizontalM}; }
.tpi-row { display: flex; flex-wrap: wrap; align-items: end; gap: ${tokens.spacingHorizontalS}; }
.tpi-split { display: grid; grid-template-columns: minmax(20rem, 2fr) 3fr; gap: ${tokens.spacingHorizontalL}; }
.tpi-table { width: 100%; border-collapse: collapse; }
.tpi-table td, .tpi-table th { text-align: left; padding: ${tokens.spacingVerticalXS}; border-bottom: 1px solid ${tokens.colorNeutralStroke2}; }
.tpi-table thead th { position: sticky; top: 0; background-color: ${tokens.colorNeutralBackground1}; z-index: 1; }
.tpi-scroller { height: calc(100vh - 15rem); min-height: 20rem; overflow-y: auto; }
.tpi-spacer td { padding: 0; border-bottom: none; }
.tpi-selected { background-color: ${tokens.colorBrandBackground2}; }
.tpi-clickable { cursor: pointer; }
.tpi-late { color: ${tokens.colorPaletteRedForeground1}; font-weight: ${tokens.fontWeightSemibold}; }
.tpi-warn { color: ${tokens.colorPaletteDarkOrangeForeground1}; }
.tpi-message { border-left: 3px solid ${tokens.colorNeutralStroke1}; padding-left: ${tokens.spacingHorizontalM}; display: flex; flex-direction: column; gap: ${tokens.spacingVerticalXS}; }
.tpi-message.tpi-ours { border-left-color: ${tokens.colorBrandStroke1}; }
.tpi-body { white-space: pre-wrap; overflow-wrap: anywhere; font-family: ${tokens.fontFamilyBase}; }
.tpi-pane { display: flex; flex-direction: column; gap: ${tokens.spacingVerticalM}; }
.tpi-card { max-width: 32rem; display: flex; flex-direction: column; gap: ${tokens.spacingVerticalM}; }
.tpi-caption { font-family: ${tokens.fontFamilyBase}; font-size: ${tokens.fontSizeBase200}; line-height: ${tokens.lineHeightBase200}; font-weight: ${tokens.fontWeightRegular}; }
.tpi-tabs { min-height: 44px; }
.tpi-field { display: flex; flex-direction: column; gap: ${tokens.spacingVerticalXXS}; font-family: ${tokens.fontFamilyBase}; font-size: ${tokens.fontSizeBase300}; line-height: ${tokens.lineHeightBase300}; color: ${tokens.colorNeutralForeground1}; }
.tpi-tag { display: inline-flex; align-items: center; box-sizing: border-box; height: 16px; min-width: 16px; padding: 0 ${tokens.spacingHorizontalXS}; margin-right: ${tokens.spacingHorizontalXXS}; border-radius: ${tokens.borderRadiusCircular}; border: ${tokens.strokeWidthThin} solid ${tokens.colorBrandStroke2}; background-color: ${tokens.colorBrandBackground2}; color: ${tokens.colorBrandForeground2}; font-family: ${tokens.fontFamilyBase}; font-size: ${tokens.fontSizeBase100}; line-height: ${tokens.lineHeightBase100}; font-weight: ${tokens.fontWeightSemibold}; }
.tpi-alert { padding: ${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}; border: ${tokens.strokeWidthThin} solid ${tokens.colorStatusDangerBorder1}; border-radius: ${tokens.borderRadiusMedium}; background-color: ${tokens.colorStatusDangerBackground1}; font-family: ${tokens.fontFamilyBase}; font-size: ${tokens.fontSizeBase300}; }
`;

let installed = false;

/** The page's class names; the first call puts the sheet in the document. */
export function useStyles(): typeof CLASSES {
  if (!installed) {
    installed = true;
    const style = document.createElement('style');
    style.dataset.tradepane = 'inbox';
    style.textContent = SHEET;
    document.head.append(style);
  }
  return CLASSES;
}

// Fluent's message bar is a chunk of its own: most pages never fail, and the list's first paint does not wait for it.
const ErrorBar = lazy(() => import(/* webpackChunkName: "inbox-error-bar" */ './error-bar.js').then((m) => ({ default: m.ErrorBar })));

/** A refusal or failure, in an error bar: what kind of "no" it is in the rep's language, then the store's own words. */
export function Failure({ error, t }: { error: unknown; t: Translate }): ReactNode {
  if (!error) return null;
  const text = t('refusal.withDetail', { what: t(`refusal.${refusalKind(error)}`), detail: error instanceof Error ? error.message : String(error) });
  // Said at once in a plain alert; Fluent's bar takes its place when its chunk is in.
  return (
    <Suspense fallback={<div role="alert" className={CLASSES.alert}>{text}</div>}>
      <ErrorBar text={text} />
    </Suspense>
  );
}

/** "5 h 20 min" of business time, from the store's business minutes. */
export function clockWords(clock: ClockView, t: Translate): { text: string; tone: 'late' | 'warn' | 'ok' | 'done' } {
  if (clock.phase === 'stopped' || clock.businessMinutesLeft === null) return { text: t('clock.stopped'), tone: 'done' };
  const minutes = Math.abs(clock.businessMinutesLeft);
  const time = t('clock.hm', { h: Math.floor(minutes / 60), m: minutes % 60 });
  if (clock.phase === 'breached') return { text: t('clock.over', { time }), tone: 'late' };
  return { text: t('clock.left', { time }), tone: clock.phase === 'warning' ? 'warn' : 'ok' };
}
