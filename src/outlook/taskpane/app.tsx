import { Suspense, lazy, useEffect, useState } from 'react';
import { Body1, FluentProvider, Spinner, Title3, tokens, webLightTheme } from '@fluentui/react-components';
import { PaneProvider, usePane, type PaneServices } from './pane-context.js';
import { templatesOwner, useItem, useTemplates } from './store.js';
import type { ComposeTab, ReadTab } from './views.js';

// The first paint is this shell: the title and a spinner. The views (tab lists, banners) and the
// panels load on demand (docs/outlook.md, "Task pane"; docs/performance.md, 'Size').
// Named chunks: webpack.config.js has taskpane.html preload them (PreloadChunksPlugin).
const loadViews = () => import(/* webpackChunkName: "views" */ './views.js');
const ComposeView = lazy(() => loadViews().then((m) => ({ default: m.ComposeView })));
const ReadView = lazy(() => loadViews().then((m) => ({ default: m.ReadView })));
const TemplateBanners = lazy(() => loadViews().then((m) => ({ default: m.TemplateBanners })));
const FollowUpsDue = lazy(() => import('./panels/followups.js').then((m) => ({ default: m.FollowUpsDue })));
const InquiriesWaiting = lazy(() => import('./panels/followups.js').then((m) => ({ default: m.InquiriesWaiting })));

/** Starts loading the views' chunk, the templates list in it, for a pane that will show them soon (index.tsx, before Office is ready). */
export function preloadViews(): void {
  // One chunk (and its libraries' file): the list is part of the first view, not a load after it.
  void loadViews().catch(() => undefined);
  void import(/* webpackChunkName: "views" */ './panels/templates-panel.js').catch(() => undefined);
}

// A plain style object, not makeStyles: the shell is the first paint, and makeStyles at run time
// brings Griffel's style compiler (stylis, rtl-css-js) into it; Fluent's own components come
// with their styles compiled ahead. The panels, which load later, use makeStyles freely.
const PAGE_STYLE = { padding: tokens.spacingHorizontalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM } as const;

/** The whole task pane for a set of services: Outlook's (index.tsx) or a test's. */
export function TaskPaneApp({ services }: { services: PaneServices }) {
  return (
    <FluentProvider theme={webLightTheme} lang={services.language}>
      <PaneProvider value={services}>
        <Shell />
      </PaneProvider>
    </FluentProvider>
  );
}

function Shell() {
  const services = usePane();
  const { t, host, client, cache, language } = services;
  const { item, generation, setItem } = useItem();
  const templates = useTemplates();
  const [composeTab, setComposeTab] = useState<ComposeTab>('templates');
  const [readTab, setReadTab] = useState<ReadTab>('thisMail');

  const who = templatesOwner(host);
  const refresh = () => void host.item().then(setItem, () => setItem({ mode: 'none' }));
  useEffect(() => {
    void templates.load(client, cache, who);
    refresh();
    // A pinned pane stays open while the rep moves between mails: follow them.
    let stop: (() => void) | undefined;
    let cancelled = false;
    void host.onItemChanged(refresh).then(
      (remove) => (cancelled ? remove() : (stop = remove)),
      () => undefined,
    );
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [client, cache, host, who]); // deps on purpose: store actions are stable

  const panel = (() => {
    if (!item) return <Spinner label={t('app.loading')} />;
    if (item.mode === 'none') return <Body1>{t('app.noItem')}</Body1>;
    if (item.mode === 'appointment') return <Body1>{t('app.appointment')}</Body1>;
    if (item.mode === 'compose') return <ComposeView tab={composeTab} onTab={(tab) => (setComposeTab(tab), refresh())} />;
    return <ReadView tab={readTab} onTab={setReadTab} />;
  })();

  return (
    <main style={PAGE_STYLE} lang={language}>
      <Title3 as="h1">{t('app.title')}</Title3>
      {(templates.offline || templates.status === 'error') && (
        <Suspense fallback={null}>
          <TemplateBanners who={who} />
        </Suspense>
      )}
      <Suspense fallback={null}>
        <FollowUpsDue />
        <InquiriesWaiting />
      </Suspense>
      {/* Keyed on the item: a new item starts every panel afresh (forms, statuses). */}
      <Suspense key={generation} fallback={<Spinner size="small" label={t('app.loading')} />}>
        {panel}
      </Suspense>
    </main>
  );
}
