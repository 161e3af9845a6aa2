import { Suspense, lazy, useEffect, useState } from 'react';
import { Body1, Button, FluentProvider, MessageBar, MessageBarActions, MessageBarBody, Spinner, Tab, TabList, Title3, makeStyles, tokens, webLightTheme } from '@fluentui/react-components';
import { formatInstant } from './format.js';
import { PaneProvider, usePane, type PaneServices } from './pane-context.js';
import { templatesOwner, useItem, useTemplates } from './store.js';

// Panels load on demand so the first paint needs only this shell (docs/outlook.md, "Task pane").
const TemplatesPanel = lazy(() => import('./panels/templates-panel.js'));
const ClientTimePanel = lazy(() => import('./panels/client-time-panel.js'));
const SignaturePanel = lazy(() => import('./panels/signature-panel.js'));
const CrmPanel = lazy(() => import('./panels/crm-panel.js'));
const ReadPanel = lazy(() => import('./panels/read-panel.js'));
const FollowUpsDue = lazy(() => import('./panels/followups.js').then((m) => ({ default: m.FollowUpsDue })));
const InquiriesWaiting = lazy(() => import('./panels/followups.js').then((m) => ({ default: m.InquiriesWaiting })));

const useStyles = makeStyles({
  page: { padding: tokens.spacingHorizontalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

type ComposeTab = 'templates' | 'clientTime' | 'signature' | 'crm';
type ReadTab = 'thisMail' | 'reply';

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
  const styles = useStyles();
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

  const offline = templates.offline;
  const panel = (() => {
    if (!item) return <Spinner label={t('app.loading')} />;
    if (item.mode === 'none') return <Body1>{t('app.noItem')}</Body1>;
    if (item.mode === 'appointment') return <Body1>{t('app.appointment')}</Body1>;
    if (item.mode === 'compose') {
      return (
        <>
          <TabList selectedValue={composeTab} onTabSelect={(_, d) => (setComposeTab(d.value as ComposeTab), refresh())} aria-label={t('app.tabs')} size="small">
            <Tab value="templates">{t('tab.templates')}</Tab>
            <Tab value="clientTime">{t('tab.clientTime')}</Tab>
            <Tab value="signature">{t('tab.signature')}</Tab>
            <Tab value="crm">{t('tab.crm')}</Tab>
          </TabList>
          <div role="tabpanel" aria-label={t(`tab.${composeTab}`)}>
            {composeTab === 'templates' && <TemplatesPanel purpose="insert" />}
            {composeTab === 'clientTime' && <ClientTimePanel />}
            {composeTab === 'signature' && <SignaturePanel />}
            {composeTab === 'crm' && <CrmPanel />}
          </div>
        </>
      );
    }
    return (
      <>
        <TabList selectedValue={readTab} onTabSelect={(_, d) => setReadTab(d.value as ReadTab)} aria-label={t('app.tabs')} size="small">
          <Tab value="thisMail">{t('tab.thisMail')}</Tab>
          <Tab value="reply">{t('tab.reply')}</Tab>
        </TabList>
        <div role="tabpanel" aria-label={t(`tab.${readTab}`)}>
          {readTab === 'thisMail' && <ReadPanel />}
          {readTab === 'reply' && <TemplatesPanel purpose="reply" />}
        </div>
      </>
    );
  })();

  return (
    <main className={styles.page} lang={language}>
      <Title3 as="h1">{t('app.title')}</Title3>
      {offline && (
        <MessageBar intent="warning" role="status">
          <MessageBarBody>
            {t('offline.banner')} {templates.cachedAt ? t('offline.cachedAt', { when: formatInstant(templates.cachedAt, undefined, language) }) : ''}
          </MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={() => void templates.load(client, cache, who)}>
              {t('offline.retry')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {templates.status === 'error' && !templates.offline && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{t('templates.loadFailed', { message: templates.error ?? '' })}</MessageBarBody>
        </MessageBar>
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
