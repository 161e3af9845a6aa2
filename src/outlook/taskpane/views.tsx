import { lazy } from 'react';
import { Button, MessageBar, MessageBarActions, MessageBarBody, Tab, TabList } from '@fluentui/react-components';
import { formatInstant } from './format.js';
import { usePane } from './pane-context.js';
import { useTemplates } from './store.js';
import { refusalIn } from './store-errors.js';

/**
 * What the task pane shows once it knows the item: the compose and read views (their tab lists)
 * and the offline and error banners. Its own chunk, with the panels' chunks beside it: the first
 * paint (app.tsx) needs only the title and a spinner, and Fluent's tab list and message bar, with
 * tabster's keyboard navigation under them, are most of a first paint's weight beyond React and
 * Fluent's provider (docs/performance.md, 'Size'). index.tsx starts loading this chunk and the
 * templates panel's before Office is ready, so they arrive while the pane waits for its item.
 */

// Panels load on demand so a view needs only its tab list (docs/outlook.md, "Task pane").
const TemplatesPanel = lazy(() => import(/* webpackChunkName: "views" */ './panels/templates-panel.js'));
const ClientTimePanel = lazy(() => import('./panels/client-time-panel.js'));
const SignaturePanel = lazy(() => import('./panels/signature-panel.js'));
const CrmPanel = lazy(() => import('./panels/crm-panel.js'));
const ReadPanel = lazy(() => import('./panels/read-panel.js'));

export type ComposeTab = 'templates' | 'clientTime' | 'signature' | 'crm';
export type ReadTab = 'thisMail' | 'reply';

/** Compose: templates, client time, signature, CRM. The tab is the shell's, so it outlives an item change. */
export function ComposeView({ tab, onTab }: { tab: ComposeTab; onTab: (tab: ComposeTab) => void }) {
  const { t } = usePane();
  return (
    <>
      <TabList selectedValue={tab} onTabSelect={(_, d) => onTab(d.value as ComposeTab)} aria-label={t('app.tabs')} size="small">
        <Tab value="templates">{t('tab.templates')}</Tab>
        <Tab value="clientTime">{t('tab.clientTime')}</Tab>
        <Tab value="signature">{t('tab.signature')}</Tab>
        <Tab value="crm">{t('tab.crm')}</Tab>
      </TabList>
      <div role="tabpanel" aria-label={t(`tab.${tab}`)}>
        {tab === 'templates' && <TemplatesPanel purpose="insert" />}
        {tab === 'clientTime' && <ClientTimePanel />}
        {tab === 'signature' && <SignaturePanel />}
        {tab === 'crm' && <CrmPanel />}
      </div>
    </>
  );
}

/** Read: this mail (CRM, follow-ups, team), and templates to reply with. */
export function ReadView({ tab, onTab }: { tab: ReadTab; onTab: (tab: ReadTab) => void }) {
  const { t } = usePane();
  return (
    <>
      <TabList selectedValue={tab} onTabSelect={(_, d) => onTab(d.value as ReadTab)} aria-label={t('app.tabs')} size="small">
        <Tab value="thisMail">{t('tab.thisMail')}</Tab>
        <Tab value="reply">{t('tab.reply')}</Tab>
      </TabList>
      <div role="tabpanel" aria-label={t(`tab.${tab}`)}>
        {tab === 'thisMail' && <ReadPanel />}
        {tab === 'reply' && <TemplatesPanel purpose="reply" />}
      </div>
    </>
  );
}

/** The offline banner (cached templates shown) and the load error, when there is one to show. */
export function TemplateBanners({ who }: { who: string }) {
  const { t, client, cache, language } = usePane();
  const templates = useTemplates();
  return (
    <>
      {templates.offline && (
        <MessageBar intent="warning" role="status">
          <MessageBarBody>
            {t('offline.banner')} {templates.cachedAt ? t('offline.cachedAt', { when: formatInstant(templates.cachedAt, undefined, language) }) : ''}
          </MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={() => void templates.reload(client, cache, who)}>
              {t('offline.retry')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {templates.status === 'error' && !templates.offline && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{t('templates.loadFailed', { reason: refusalIn(t, templates.error) })}</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
