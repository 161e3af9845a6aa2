import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Body1, Button, Caption1, FluentProvider, Select, Spinner, Subtitle2, Title2, Title3, webLightTheme } from '@fluentui/react-components';
import type { TeamConversationSummary, TeamInboxView, TeamList } from '../contract/team-inbox.js';
import { InboxApi, type Me } from './api.js';
import { forgetToken, signInSettings, signInWithMicrosoft, storedToken, storeToken, type SignInSettings } from './auth.js';
import type { FirstLoad } from './first-load.js';
import { translator, uiLanguageOf, type MessageKey, type Translate, type UiLanguage } from './i18n.js';
import { clockWords, Failure, useStyles } from './parts.js';

const LISTS: TeamList[] = ['unassigned', 'mine', 'overdue', 'waiting'];
const LANGUAGE_KEY = 'tradepane.inbox.language';
// The conversation view is its own chunk: the list's first paint does not wait for its form controls.
const loadConversation = () => import(/* webpackChunkName: "inbox-conversation" */ './conversation.js');
const Conversation = lazy(() => loadConversation().then((m) => ({ default: m.Conversation })));
// The tabs too (tabs.tsx): asked for once the first rows are painted.
const loadTabs = () => import(/* webpackChunkName: "inbox-tabs" */ './tabs.js');
const ListTabs = lazy(() => loadTabs().then((m) => ({ default: m.ListTabs })));

type Session = { state: 'signed-out' } | { state: 'checking' } | { state: 'ready'; me: Me };

/** `firstLoad`: the first screen's answers, asked for before React started (first-load.ts). */
export function TeamInboxApp({ firstLoad }: { firstLoad?: FirstLoad | undefined } = {}): ReactNode {
  const styles = useStyles();
  const [language, setLanguage] = useState<UiLanguage>(() => uiLanguageOf(localStorage.getItem(LANGUAGE_KEY) ?? navigator.language));
  const t = useMemo(() => translator(language), [language]);
  const [session, setSession] = useState<Session>(() => {
    const me = firstLoad?.settled('me');
    if (me) return { state: 'ready', me };
    return storedToken() ? { state: 'checking' } : { state: 'signed-out' };
  });
  const [error, setError] = useState<unknown>();
  const signOut = useCallback(() => {
    forgetToken();
    setSession({ state: 'signed-out' });
  }, []);
  const api = useMemo(() => new InboxApi(() => storedToken() ?? '', signOut), [signOut]);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t('app.title');
    localStorage.setItem(LANGUAGE_KEY, language);
  }, [language, t]);
  useEffect(() => {
    if (session.state !== 'checking') return;
    (firstLoad?.take('me') ?? api.me()).then(
      (me) => setSession({ state: 'ready', me }),
      (e: unknown) => {
        setError(e);
        forgetToken();
        setSession({ state: 'signed-out' });
      },
    );
  }, [session.state, api, firstLoad]);

  let body: ReactNode;
  if (session.state === 'checking') body = <Spinner label={t('app.loading')} />;
  else if (session.state === 'signed-out') body = <SignIn t={t} error={error} onToken={(token) => { storeToken(token); setSession({ state: 'checking' }); }} />;
  else body = <Inbox api={api} me={session.me} t={t} language={language} firstLoad={firstLoad} />;

  return (
    <FluentProvider theme={webLightTheme}>
      <div className={styles.page}>
        <header className={styles.header}>
          <Title2 as="h1">{t('app.title')}</Title2>
          <div className={styles.row}>
            {session.state === 'ready' && <Caption1>{t('app.signedInAs', { email: session.me.user.email })}</Caption1>}
            {session.state === 'ready' && <Button size="small" onClick={signOut}>{t('app.signOut')}</Button>}
            <Select aria-label={t('app.language')} value={language} onChange={(_e, d) => setLanguage(d.value as UiLanguage)}>
              <option value="en">English</option>
              <option value="zh-CN">简体中文</option>
            </Select>
          </div>
        </header>
        {body}
      </div>
    </FluentProvider>
  );
}


function SignIn({ t, error, onToken }: { t: Translate; error: unknown; onToken: (token: string) => void }): ReactNode {
  const styles = useStyles();
  const [settings, setSettings] = useState<SignInSettings>();
  const [failure, setFailure] = useState<unknown>(error);
  useEffect(() => {
    signInSettings().then(setSettings, setFailure);
  }, []);
  const microsoft = settings?.microsoft;
  return (
    <section className={styles.card} aria-labelledby="sign-in-title">
      <Title3 id="sign-in-title">{t('signIn.title')}</Title3>
      <Failure error={failure} t={t} />
      {microsoft && <Button appearance="primary" onClick={() => signInWithMicrosoft(microsoft).then(onToken, setFailure)}>{t('signIn.microsoft')}</Button>}
      {settings && !settings.microsoft && !settings.dev && <Body1>{t('signIn.none')}</Body1>}
      {settings?.dev && <Body1>{t('signIn.dev')}</Body1>}
    </section>
  );
}


function Inbox({ api, me, t, language, firstLoad }: { api: InboxApi; me: Me; t: Translate; language: UiLanguage; firstLoad: FirstLoad | undefined }): ReactNode {
  const styles = useStyles();
  // What the first load already brought (first-load.ts): the first render then shows the list.
  const [given] = useState(() => {
    const found = firstLoad?.settled('inboxes')?.inboxes;
    const page = found?.length === 1 ? firstLoad?.settled('unassigned') : undefined;
    return { inboxes: found, page: page && found ? { key: `${found[0]!.id}:unassigned:0`, ...page } : undefined };
  });
  const [inboxes, setInboxes] = useState<TeamInboxView[] | undefined>(given.inboxes);
  const [inboxId, setInboxId] = useState(given.inboxes?.[0]?.id ?? '');
  const [list, setList] = useState<TeamList>('unassigned');
  const [rows, setRows] = useState<TeamConversationSummary[] | undefined>(given.page?.conversations);
  const [next, setNext] = useState<string | null>(given.page?.nextCursor ?? null);
  const [loadingMore, setLoadingMore] = useState(false);
  // A notice mail links to `/inbox#conversation=<id>`: open that one.
  const [openId, setOpenId] = useState<string | undefined>(() => new URLSearchParams(window.location.hash.slice(1)).get('conversation') ?? undefined);
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  // Which list the rows belong to: a page that comes back after the rep switched lists is dropped.
  const shown = useRef('');
  const givenKey = useRef(given.page?.key);
  const scroller = useRef<HTMLDivElement>(null);
  // The tabs join the page once the first rows are painted (tabs.tsx says why).
  const [tabsShown, setTabsShown] = useState(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => setTabsShown(true));
    return () => cancelAnimationFrame(frame);
  }, []);

  useEffect(() => {
    if (given.inboxes) return;
    (firstLoad?.take('inboxes') ?? api.inboxes()).then(({ inboxes: found }) => {
      setInboxes(found);
      if (found[0]) setInboxId((current) => current || found[0]!.id);
    }, setError);
  }, [api, firstLoad, given]);
  useEffect(() => {
    if (!inboxId) return;
    const key = `${inboxId}:${list}:${version}`;
    shown.current = key;
    // The rows the first render showed: not asked for again.
    if (givenKey.current === key) {
      givenKey.current = undefined;
      return;
    }
    setLoadingMore(false);
    // A list (re)loads from its first page, so it is shown from its top (the scroller is one element for every list).
    scroller.current?.scrollTo(0, 0);
    // The page asked for at start lists every inbox the rep works: the same rows when that is one inbox.
    const early = list === 'unassigned' && inboxes?.length === 1 ? firstLoad?.take('unassigned') : undefined;
    (early ?? api.list(inboxId, list)).then(({ conversations, nextCursor }) => {
      if (shown.current !== key) return;
      setRows(conversations);
      setNext(nextCursor);
    }, setError);
  }, [api, inboxId, list, version, inboxes, firstLoad]);
  // Once the list is on screen, fetch the conversation view's chunk so opening one does not wait for it.
  const listShown = rows !== undefined;
  useEffect(() => {
    if (listShown) void loadConversation().catch(() => undefined);
  }, [listShown]);
  // The store answers a page at a time; the next page is asked for as the rep nears the end.
  const loadMore = useCallback(() => {
    if (!next || loadingMore) return;
    const key = shown.current;
    setLoadingMore(true);
    api.list(inboxId, list, next).then(
      ({ conversations, nextCursor }) => {
        if (shown.current !== key) return;
        setRows((current) => [...(current ?? []), ...conversations]);
        setNext(nextCursor);
        setLoadingMore(false);
      },
      (e: unknown) => {
        setError(e);
        setLoadingMore(false);
      },
    );
  }, [api, inboxId, list, next, loadingMore]);

  // The first render already windows the rows a screen shows: the scroller's height (its style:
  // 100vh - 15rem, at least 20rem) and the usual row (two lines of subject and the buyer: 69 px in
  // Chromium) are known before it is measured, so measuring it does not render the list again.
  const virtualizer = useVirtualizer({ count: rows?.length ?? 0, getScrollElement: () => scroller.current, estimateSize: () => 69, initialRect: { width: 0, height: Math.max(window.innerHeight - 240, 320) }, overscan: 8, getItemKey: (i) => rows?.[i]?.id ?? i });
  const items = virtualizer.getVirtualItems();
  const lastShown = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    if (rows && lastShown >= rows.length - 20) loadMore();
  }, [rows, lastShown, loadMore]);

  // Keyboard: j / k move through the list (scrolling it, asking for more at its end), c claims the open conversation.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (!rows?.length) return;
      const at = rows.findIndex((r) => r.id === openId);
      let to: number | undefined;
      if (event.key === 'j') to = Math.min(at + 1, rows.length - 1);
      else if (event.key === 'k') to = Math.max(at - 1, 0);
      else if (event.key === 'c' && openId) api.claim(openId).then(refresh, setError);
      if (to === undefined) return;
      setOpenId(rows[to]!.id);
      virtualizer.scrollToIndex(to, { align: 'auto' });
      if (to >= rows.length - 20) loadMore();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rows, openId, api, refresh, virtualizer, loadMore]);

  if (!inboxes) return <Spinner label={t('app.loading')} />;
  if (!inboxes.length) return <Body1>{t('inbox.none')}</Body1>;
  return (
    <main>
      <Failure error={error} t={t} />
      <div className={styles.row}>
        {inboxes.length > 1 && (
          // A plain label over the select, as Fluent's Field lays it out (Field's code stays out of the first paint).
          <label className={styles.field}>
            {t('inbox.choose')}
            <Select value={inboxId} onChange={(_e, d) => setInboxId(d.value)}>
              {inboxes.map((i) => <option key={i.id} value={i.id}>{i.name} &lt;{i.address}&gt;</option>)}
            </Select>
          </label>
        )}
        {inboxes.length === 1 && <Subtitle2>{inboxes[0]!.name === inboxes[0]!.address ? inboxes[0]!.address : `${inboxes[0]!.name} <${inboxes[0]!.address}>`}</Subtitle2>}
      </div>
      <div className={styles.tabs}>
        {tabsShown && (
          <Suspense fallback={null}>
            <ListTabs lists={LISTS} list={list} onSelect={setList} t={t} />
          </Suspense>
        )}
      </div>
      <div className={styles.split}>
        <section aria-label={t(`list.${list}` as MessageKey)}>
          {rows?.length === 0 && <Body1>{t('list.empty')}</Body1>}
          <div ref={scroller} className={styles.scroller} data-testid="team-list-scroller">
            <table className={styles.table} data-testid="team-list" aria-rowcount={rows?.length ?? 0}>
              <thead>
                <tr>
                  <th>{t('col.subject')}</th>
                  <th>{t('col.state')}</th>
                  <th>{t('col.assignee')}</th>
                  <th>{t('col.clock')}</th>
                </tr>
              </thead>
              <tbody>
                {items.length > 0 && items[0]!.start > 0 && <tr aria-hidden className={styles.spacer} style={{ height: items[0]!.start }}><td colSpan={4} /></tr>}
                {rows &&
                  items.map((item) => {
                    const r = rows[item.index]!;
                    const clock = clockWords(r.clock, t);
                    return (
                      <tr key={r.id} ref={virtualizer.measureElement} data-index={item.index} aria-rowindex={item.index + 1} className={`${styles.clickable} ${r.id === openId ? styles.selected : ''}`} onClick={() => setOpenId(r.id)} aria-selected={r.id === openId}>
                        <td>
                          <strong>{r.subject}</strong>
                          <div><span className={styles.caption}>{r.buyer ?? ''}</span> {r.tags.map((tag) => <span key={tag} className={styles.tag}>{tag}</span>)}</div>
                        </td>
                        <td>{t(`state.${r.state}` as MessageKey)}</td>
                        <td>{r.assignee?.name ?? t('conv.nobody')}</td>
                        <td className={clock.tone === 'late' ? styles.late : clock.tone === 'warn' ? styles.warn : undefined}>{clock.text}</td>
                      </tr>
                    );
                  })}
                {items.length > 0 && virtualizer.getTotalSize() - items[items.length - 1]!.end > 0 && <tr aria-hidden className={styles.spacer} style={{ height: virtualizer.getTotalSize() - items[items.length - 1]!.end }}><td colSpan={4} /></tr>}
              </tbody>
            </table>
          </div>
          {rows && rows.length > 0 && <Caption1 data-testid="team-list-count">{loadingMore ? t('list.loadingMore') : t(next ? 'list.more' : 'list.all', { count: rows.length })}</Caption1>}
        </section>
        {openId ? (
          <Suspense fallback={<Spinner label={t('app.loading')} />}>
            <Conversation key={openId} api={api} me={me} id={openId} t={t} language={language} onChange={refresh} />
          </Suspense>
        ) : (
          <Body1>{t('conv.pick')}</Body1>
        )}
      </div>
    </main>
  );
}

