import type { ReactNode } from 'react';
import { MessageBar, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';
import type { ClockView } from '../contract/team-inbox.js';
import type { Translate } from './i18n.js';

/** What the list and the conversation view share: the page's styles, the error bar, the clock in words. */

export const useStyles = makeStyles({
  page: { maxWidth: '90rem', margin: '0 auto', padding: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'end', gap: tokens.spacingHorizontalS },
  split: { display: 'grid', gridTemplateColumns: 'minmax(20rem, 2fr) 3fr', gap: tokens.spacingHorizontalL },
  table: { width: '100%', borderCollapse: 'collapse', '& td, & th': { textAlign: 'left', padding: tokens.spacingVerticalXS, borderBottom: `1px solid ${tokens.colorNeutralStroke2}` }, '& thead th': { position: 'sticky', top: 0, backgroundColor: tokens.colorNeutralBackground1, zIndex: 1 } },
  // The list scrolls on its own (windowed: only the rows in view are in the page).
  scroller: { height: 'calc(100vh - 15rem)', minHeight: '20rem', overflowY: 'auto' },
  spacer: { '& td': { padding: 0, borderBottom: 'none' } },
  selected: { backgroundColor: tokens.colorBrandBackground2 },
  clickable: { cursor: 'pointer' },
  late: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  warn: { color: tokens.colorPaletteDarkOrangeForeground1 },
  message: { borderLeft: `3px solid ${tokens.colorNeutralStroke1}`, paddingLeft: tokens.spacingHorizontalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  ours: { borderLeftColor: tokens.colorBrandStroke1 },
  body: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', fontFamily: tokens.fontFamilyBase },
  pane: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  card: { maxWidth: '32rem', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

export function Failure({ error }: { error: unknown }): ReactNode {
  if (!error) return null;
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>{error instanceof Error ? error.message : String(error)}</MessageBarBody>
    </MessageBar>
  );
}

export /** "5 h 20 min" of business time, from the store's business minutes. */
function clockWords(clock: ClockView, t: Translate): { text: string; tone: 'late' | 'warn' | 'ok' | 'done' } {
  if (clock.phase === 'stopped' || clock.businessMinutesLeft === null) return { text: t('clock.stopped'), tone: 'done' };
  const minutes = Math.abs(clock.businessMinutesLeft);
  const time = t('clock.hm', { h: Math.floor(minutes / 60), m: minutes % 60 });
  if (clock.phase === 'breached') return { text: t('clock.over', { time }), tone: 'late' };
  return { text: t('clock.left', { time }), tone: clock.phase === 'warning' ? 'warn' : 'ok' };
}
