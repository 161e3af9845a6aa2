import { Suspense, lazy, startTransition, useEffect, useMemo, useState } from 'react';
import { Body1, Caption1, Field, Input, Select, Spinner, tokens } from '@fluentui/react-components';
import type { PackTemplate } from '../../../core/pack/schema.js';
import { localized } from '../../../core/template/localized.js';
import { templateCatalogue } from '../../../core/compose/catalogue.js';
import type { MessageKey } from '../../i18n/index.js';
import { usePane } from '../pane-context.js';
import { useTemplates } from '../store.js';

/**
 * The templates panel's list: search, kind filter, the rep's templates. What a picked template
 * shows (fields, preview, insert, PDFs) is its own chunk (template-detail.tsx), fetched once the
 * list is on screen and the pane is idle: the list is on the cold path of every pane that opens,
 * the template engine and the form controls are not (docs/performance.md, 'Where the task pane's
 * time goes'). Imports here come from the modules themselves, not core's index files, which would
 * bring the template engine back.
 */
const loadDetail = () => import(/* webpackChunkName: "template-detail" */ './template-detail.js');
const TemplateDetail = lazy(loadDetail);

// Plain style objects, not makeStyles: run-time makeStyles brings Griffel's style compiler (its
// own chunk, ~24 KB) and its work into the list's first render; Fluent's components come with
// their styles compiled ahead. The detail, which loads later, uses makeStyles freely.
const STYLES = {
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  filters: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
} as const;

/**
 * A row is a plain <button> with Fluent's subtle-button look, written once here with Fluent's
 * tokens (CSS variables the FluentProvider sets), where a Fluent Button with a Body1 and a Caption1
 * in it cost three components, their hooks and their style rules per row on the list's first render
 * (docs/performance.md, 'Where the task pane's time goes'). Hover, pressed and keyboard focus need
 * a stylesheet (an inline style cannot say :hover), added once. taskpane.html's touch rule (44 px
 * targets) applies to it as to any button.
 */
const ROW = 'tp-template-row';
/** The search box and kind filter's place before they come: their height (Fluent 9.74 in Chromium; 44 px targets on touch), so the rows do not move down when they do. */
const FILTERS_PENDING = 'tp-template-filters-pending';
const ROW_CSS = `
.${ROW} { box-sizing: border-box; width: 100%; margin: 0; display: flex; flex-direction: column; align-items: flex-start; text-align: start;
  padding: ${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}; border: ${tokens.strokeWidthThin} solid transparent; border-radius: ${tokens.borderRadiusMedium};
  background: ${tokens.colorSubtleBackground}; color: ${tokens.colorNeutralForeground2}; font-family: ${tokens.fontFamilyBase}; cursor: pointer; outline-style: none; }
.${ROW}:hover { background: ${tokens.colorSubtleBackgroundHover}; color: ${tokens.colorNeutralForeground2Hover}; }
.${ROW}:active { background: ${tokens.colorSubtleBackgroundPressed}; color: ${tokens.colorNeutralForeground2Pressed}; }
.${ROW}:focus-visible { border-color: ${tokens.colorStrokeFocus2}; outline: ${tokens.strokeWidthThick} solid ${tokens.colorTransparentStroke}; box-shadow: 0 0 0 ${tokens.strokeWidthThin} ${tokens.colorStrokeFocus2} inset; }
.${ROW} > span:first-child { font-size: ${tokens.fontSizeBase300}; line-height: ${tokens.lineHeightBase300}; font-weight: ${tokens.fontWeightRegular}; }
.${ROW} > span + span { font-size: ${tokens.fontSizeBase200}; line-height: ${tokens.lineHeightBase200}; font-weight: ${tokens.fontWeightRegular}; }
.${FILTERS_PENDING} { min-height: 124px; }
@media (pointer: coarse) { .${FILTERS_PENDING} { min-height: 150px; } }
`;
function addRowStyles(): void {
  if (document.getElementById(ROW)) return;
  const style = document.createElement('style');
  style.id = ROW;
  style.textContent = ROW_CSS;
  document.head.append(style);
}

export interface Choice {
  pack: string;
  template: PackTemplate;
}

/** Search, pick, fill, preview, insert (compose) or reply (read). */
export default function TemplatesPanel({ purpose }: { purpose: 'insert' | 'reply' }) {
  const { t, language } = usePane();
  const packs = useTemplates((s) => s.packs);
  const personal = useTemplates((s) => s.personal);
  const uses = useTemplates((s) => s.uses);
  const status = useTemplates((s) => s.status);
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState('');
  const [chosen, setChosen] = useState<Choice | null>(null);
  // The search box and the kind filter come in a second render, right after the rows: the list is
  // what the rep opened the pane for. Their place is kept, so the order on screen and for the Tab
  // key is the same (filters, then rows); a transition, so the browser paints the rows first.
  const [filtersShown, setFiltersShown] = useState(false);
  useEffect(() => startTransition(() => setFiltersShown(true)), []);

  // The same catalogue as Gmail's card: packs, the rep's own templates, ranked by their use counts.
  const catalogue = useMemo(() => templateCatalogue({ packs, personal, uses }), [packs, personal, uses]);
  const byKey = catalogue.byKey;
  const kinds = catalogue.kinds;
  const hits = useMemo(() => catalogue.search(query, { kind }), [catalogue, query, kind]);
  // The list paints without the search index; it is built once the pane is idle, before the rep types.
  useEffect(() => whenIdle(() => catalogue.warmSearch()), [catalogue]);
  // The detail's chunk, once the list is on screen: a picked template opens without a wait.
  useEffect(() => whenIdle(() => void loadDetail().catch(() => undefined)), []);

  if (chosen)
    return (
      <Suspense fallback={<Spinner size="small" label={t('app.loading')} />}>
        <TemplateDetail choice={chosen} purpose={purpose} onBack={() => setChosen(null)} />
      </Suspense>
    );

  addRowStyles();
  return (
    <section style={STYLES.panel} aria-label={t('tab.templates')}>
      {purpose === 'reply' && <Body1>{t('read.replyHint')}</Body1>}
      <div style={STYLES.filters} className={filtersShown ? undefined : FILTERS_PENDING}>
        {filtersShown && (
          <>
            <Field label={t('templates.search')}>
              <Input type="search" value={query} placeholder={t('templates.searchPlaceholder')} onChange={(_, d) => setQuery(d.value)} />
            </Field>
            <Field label={t('templates.kind')}>
              <Select value={kind} onChange={(_, d) => setKind(d.value)}>
                <option value="">{t('templates.allKinds')}</option>
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`kind.${k}` as MessageKey)}
                  </option>
                ))}
              </Select>
            </Field>
          </>
        )}
      </div>
      {byKey.size === 0 ? (
        // Nothing yet is not "no packs" while the store has not answered.
        status === 'loading' || status === 'idle' ? <Spinner size="small" label={t('app.loading')} /> : <Body1>{t('templates.none')}</Body1>
      ) : hits.length === 0 ? (
        <Body1 role="status">{t('templates.noMatch', { query })}</Body1>
      ) : (
        <>
          <Caption1 role="status">{t('templates.results', { count: hits.length })}</Caption1>
          <ul style={STYLES.list} aria-label={t('tab.templates')}>
            {hits.map((hit) => {
              const entry = byKey.get(hit.key);
              if (!entry) return null;
              const title = localized(entry.template.title, language) ?? entry.template.id;
              return (
                <li key={hit.key}>
                  <button type="button" className={ROW} onClick={() => setChosen({ pack: entry.pack, template: entry.template })} aria-label={title}>
                    <span>{title}</span>
                    <span>
                      {t(`kind.${entry.template.kind}` as MessageKey)} · {Object.keys(entry.template.variants).join(', ')}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

/** Runs `work` when the page is idle (Safari's WebView, in Outlook on Mac, has no requestIdleCallback: a short timeout there); answers a cancel. */
function whenIdle(work: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(work, { timeout: 2000 });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = window.setTimeout(work, 200);
  return () => window.clearTimeout(handle);
}
