import { Suspense, lazy, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Body1, Button, Caption1, FluentProvider, Select, Spinner, Tab, TabList, Title2, Title3, makeStyles, tokens, webLightTheme } from '@fluentui/react-components';
import { AdminApi } from './api.js';
import { ApiError } from '../client/api-error.js';
import type { Me } from '../contract/me.js';
import { forgetToken, renderGoogleButton, signInSettings, signInWithMicrosoft, storedToken, storeToken } from './auth.js';
import type { SignInSettings } from '../contract/console.js';
import { ConsoleContext, type Console } from './context.js';
import { translator, uiLanguageOf, type Translate, type UiLanguage } from './i18n/index.js';
import { ErrorBar } from './components.js';

// The heavier views load when first opened.
const PacksView = lazy(() => import(/* webpackChunkName: "admin-packs" */ './views/packs.js'));
const PeopleView = lazy(() => import(/* webpackChunkName: "admin-people" */ './views/people.js'));
const ComplianceView = lazy(() => import(/* webpackChunkName: "admin-compliance" */ './views/compliance.js'));
const OperationsView = lazy(() => import(/* webpackChunkName: "admin-operations" */ './views/operations.js'));
const MailboxesView = lazy(() => import(/* webpackChunkName: "admin-mailboxes" */ './views/mailboxes.js'));
const UsageView = lazy(() => import(/* webpackChunkName: "admin-usage" */ './views/usage.js'));
const AuditView = lazy(() => import(/* webpackChunkName: "admin-audit" */ './views/audit.js'));
const CompanyView = lazy(() => import(/* webpackChunkName: "admin-company" */ './views/company.js'));
const FollowUpsView = lazy(() => import(/* webpackChunkName: "admin-followups" */ './views/followups.js'));
const ConnectorsView = lazy(() => import(/* webpackChunkName: "admin-connectors" */ './views/connectors.js'));

const VIEWS = { packs: PacksView, people: PeopleView, compliance: ComplianceView, operations: OperationsView, mailboxes: MailboxesView, usage: UsageView, company: CompanyView, followups: FollowUpsView, audit: AuditView, connectors: ConnectorsView } as const;
type ViewName = keyof typeof VIEWS;
const LANGUAGE_KEY = 'tradepane.admin.language';

const useStyles = makeStyles({
  page: { maxWidth: '80rem', margin: '0 auto', padding: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  right: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  card: { maxWidth: '32rem', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

type Session = { state: 'signed-out' } | { state: 'checking' } | { state: 'denied'; me: Me } | { state: 'ready'; me: Me };

export function AdminConsole(): ReactNode {
  const styles = useStyles();
  const [language, setLanguage] = useState<UiLanguage>(() => uiLanguageOf(localStorage.getItem(LANGUAGE_KEY) ?? navigator.language));
  const t = useMemo(() => translator(language), [language]);
  const [session, setSession] = useState<Session>(() => (storedToken() ? { state: 'checking' } : { state: 'signed-out' }));
  const [error, setError] = useState<unknown>();
  const [view, setView] = useState<ViewName>(() => (window.location.hash.slice(1) in VIEWS ? (window.location.hash.slice(1) as ViewName) : 'packs'));

  const signOut = () => {
    forgetToken();
    setSession({ state: 'signed-out' });
  };
  const api = useMemo(
    () =>
      new AdminApi(
        async () => storedToken() ?? '',
        () => signOut(),
      ),
    [],
  );

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t('app.title');
    localStorage.setItem(LANGUAGE_KEY, language);
  }, [language, t]);

  useEffect(() => {
    if (session.state !== 'checking') return;
    api.get<Me>('/me').then(
      (me) => setSession(me.permissions.includes('packs:write') && me.permissions.includes('people:write') ? { state: 'ready', me } : { state: 'denied', me }),
      (e: unknown) => {
        // A rep's token is refused by every admin API; /me itself answers, so 403 here means an unknown account.
        setError(e);
        if (!(e instanceof ApiError) || e.status !== 401) forgetToken();
        setSession({ state: 'signed-out' });
      },
    );
  }, [session.state, api]);

  const onToken = (token: string) => {
    storeToken(token);
    setError(undefined);
    setSession({ state: 'checking' });
  };
  const chooseView = (name: ViewName) => {
    setView(name);
    history.replaceState(null, '', `#${name}`);
  };

  const languagePicker = (
    <Select aria-label={t('app.language')} value={language} onChange={(_e, d) => setLanguage(d.value as UiLanguage)}>
      <option value="en">English</option>
      <option value="zh-CN">简体中文</option>
    </Select>
  );

  let body: ReactNode;
  if (session.state === 'checking') body = <Spinner label={t('app.loading')} />;
  else if (session.state === 'signed-out') body = <SignIn t={t} language={language} onToken={onToken} error={error} />;
  else if (session.state === 'denied') {
    body = (
      <section className={styles.card} aria-labelledby="denied-title" data-testid="admins-only">
        <Title3 id="denied-title">{t('denied.title')}</Title3>
        <Body1>{t('denied.body', { email: session.me.user.email, tenant: session.me.tenant.name })}</Body1>
        <Button onClick={signOut}>{t('app.signOut')}</Button>
      </section>
    );
  } else {
    const console: Console = { api, me: session.me, t, language };
    const View = VIEWS[view];
    body = (
      <ConsoleContext.Provider value={console}>
        <div className={styles.header}>
          <Caption1>{t('app.tenant', { name: session.me.tenant.name })}</Caption1>
          <div className={styles.right}>
            <Caption1>{t('app.signedInAs', { email: session.me.user.email })}</Caption1>
            <Button size="small" onClick={signOut}>
              {t('app.signOut')}
            </Button>
          </div>
        </div>
        <nav aria-label={t('app.title')}>
          <TabList selectedValue={view} onTabSelect={(_e, d) => chooseView(d.value as ViewName)}>
            {(Object.keys(VIEWS) as ViewName[]).map((name) => (
              <Tab key={name} value={name}>
                {t(`nav.${name}`)}
              </Tab>
            ))}
          </TabList>
        </nav>
        <main>
          <Suspense fallback={<Spinner label={t('app.loading')} />}>
            <View />
          </Suspense>
        </main>
      </ConsoleContext.Provider>
    );
  }

  return (
    <FluentProvider theme={webLightTheme}>
      <div className={styles.page}>
        <header className={styles.header}>
          <Title2 as="h1">{t('app.title')}</Title2>
          {languagePicker}
        </header>
        {body}
      </div>
    </FluentProvider>
  );
}

function SignIn({ t, language, onToken, error }: { t: Translate; language: UiLanguage; onToken: (token: string) => void; error: unknown }): ReactNode {
  const styles = useStyles();
  const [settings, setSettings] = useState<SignInSettings>();
  const [failure, setFailure] = useState<unknown>(error);
  const googleButton = useRef<HTMLDivElement>(null);
  useEffect(() => {
    signInSettings().then(setSettings, setFailure);
  }, []);
  useEffect(() => {
    if (settings?.google && googleButton.current) renderGoogleButton(googleButton.current, settings.google.clientId, onToken, language).catch(setFailure);
  }, [settings, language, onToken]);
  const microsoft = settings?.microsoft;
  return (
    <section className={styles.card} aria-labelledby="sign-in-title">
      <Title3 id="sign-in-title">{t('signIn.title')}</Title3>
      {failure ? <ErrorBarStandalone t={t} error={failure} /> : null}
      {microsoft && (
        <Button appearance="primary" onClick={() => signInWithMicrosoft(microsoft).then(onToken, (e: Error) => setFailure(new Error(t('signIn.failed', { message: e.message }))))}>
          {t('signIn.microsoft')}
        </Button>
      )}
      {settings?.google && <div ref={googleButton} aria-label={t('signIn.google')} />}
      {settings && !settings.microsoft && !settings.google && !settings.dev && <Body1>{t('signIn.none')}</Body1>}
      {settings?.dev && <Body1>{t('signIn.dev')}</Body1>}
    </section>
  );
}

/** ErrorBar needs the console context; the sign-in page has none yet. */
function ErrorBarStandalone({ t, error }: { t: Translate; error: unknown }): ReactNode {
  const fake = { t } as Console;
  return (
    <ConsoleContext.Provider value={fake}>
      <ErrorBar error={error} />
    </ConsoleContext.Provider>
  );
}
