import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Badge, Body1, Button, Caption1, Checkbox, Field, FluentProvider, Input, MessageBar, MessageBarBody, Select, Spinner, Subtitle2, Tab, TabList, Textarea, Title2, Title3, makeStyles, tokens, webLightTheme } from '@fluentui/react-components';
import type { ClockView, HandOffPreview, HandOffResult, TeamConversationSummary, TeamConversationView, TeamInboxView, TeamList } from '../contract/team-inbox.js';
import { ApiError, InboxApi, type Me } from './api.js';
import { forgetToken, signInSettings, signInWithMicrosoft, storedToken, storeToken, type SignInSettings } from './auth.js';
import { translator, uiLanguageOf, type MessageKey, type Translate, type UiLanguage } from './i18n.js';
import { languageName } from '../core/i18n/index.js';

const LISTS: TeamList[] = ['unassigned', 'mine', 'overdue', 'waiting'];
const LANGUAGE_KEY = 'tradepane.inbox.language';
const PRESENCE_EVERY_MS = 10_000;

const useStyles = makeStyles({
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

type Session = { state: 'signed-out' } | { state: 'checking' } | { state: 'ready'; me: Me };

export function TeamInboxApp(): ReactNode {
  const styles = useStyles();
  const [language, setLanguage] = useState<UiLanguage>(() => uiLanguageOf(localStorage.getItem(LANGUAGE_KEY) ?? navigator.language));
  const t = useMemo(() => translator(language), [language]);
  const [session, setSession] = useState<Session>(() => (storedToken() ? { state: 'checking' } : { state: 'signed-out' }));
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
    api.me().then(
      (me) => setSession({ state: 'ready', me }),
      (e: unknown) => {
        setError(e);
        forgetToken();
        setSession({ state: 'signed-out' });
      },
    );
  }, [session.state, api]);

  let body: ReactNode;
  if (session.state === 'checking') body = <Spinner label={t('app.loading')} />;
  else if (session.state === 'signed-out') body = <SignIn t={t} error={error} onToken={(token) => { storeToken(token); setSession({ state: 'checking' }); }} />;
  else body = <Inbox api={api} me={session.me} t={t} language={language} />;

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

function Failure({ error }: { error: unknown }): ReactNode {
  if (!error) return null;
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>{error instanceof Error ? error.message : String(error)}</MessageBarBody>
    </MessageBar>
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
      <Failure error={failure} />
      {microsoft && <Button appearance="primary" onClick={() => signInWithMicrosoft(microsoft).then(onToken, setFailure)}>{t('signIn.microsoft')}</Button>}
      {settings && !settings.microsoft && !settings.dev && <Body1>{t('signIn.none')}</Body1>}
      {settings?.dev && <Body1>{t('signIn.dev')}</Body1>}
    </section>
  );
}

/** "5 h 20 min" of business time, from the store's business minutes. */
function clockWords(clock: ClockView, t: Translate): { text: string; tone: 'late' | 'warn' | 'ok' | 'done' } {
  if (clock.phase === 'stopped' || clock.businessMinutesLeft === null) return { text: t('clock.stopped'), tone: 'done' };
  const minutes = Math.abs(clock.businessMinutesLeft);
  const time = t('clock.hm', { h: Math.floor(minutes / 60), m: minutes % 60 });
  if (clock.phase === 'breached') return { text: t('clock.over', { time }), tone: 'late' };
  return { text: t('clock.left', { time }), tone: clock.phase === 'warning' ? 'warn' : 'ok' };
}

function Inbox({ api, me, t, language }: { api: InboxApi; me: Me; t: Translate; language: UiLanguage }): ReactNode {
  const styles = useStyles();
  const [inboxes, setInboxes] = useState<TeamInboxView[]>();
  const [inboxId, setInboxId] = useState('');
  const [list, setList] = useState<TeamList>('unassigned');
  const [rows, setRows] = useState<TeamConversationSummary[]>();
  const [next, setNext] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  // A notice mail links to `/inbox#conversation=<id>`: open that one.
  const [openId, setOpenId] = useState<string | undefined>(() => new URLSearchParams(window.location.hash.slice(1)).get('conversation') ?? undefined);
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  // Which list the rows belong to: a page that comes back after the rep switched lists is dropped.
  const shown = useRef('');
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    api.inboxes().then(({ inboxes: found }) => {
      setInboxes(found);
      if (found[0]) setInboxId((current) => current || found[0]!.id);
    }, setError);
  }, [api]);
  useEffect(() => {
    if (!inboxId) return;
    const key = `${inboxId}:${list}:${version}`;
    shown.current = key;
    setLoadingMore(false);
    // A list (re)loads from its first page, so it is shown from its top (the scroller is one element for every list).
    scroller.current?.scrollTo(0, 0);
    api.list(inboxId, list).then(({ conversations, nextCursor }) => {
      if (shown.current !== key) return;
      setRows(conversations);
      setNext(nextCursor);
    }, setError);
  }, [api, inboxId, list, version]);
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

  const virtualizer = useVirtualizer({ count: rows?.length ?? 0, getScrollElement: () => scroller.current, estimateSize: () => 56, overscan: 8, getItemKey: (i) => rows?.[i]?.id ?? i });
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
      <Failure error={error} />
      <div className={styles.row}>
        {inboxes.length > 1 && (
          <Field label={t('inbox.choose')}>
            <Select value={inboxId} onChange={(_e, d) => setInboxId(d.value)}>
              {inboxes.map((i) => <option key={i.id} value={i.id}>{i.name} &lt;{i.address}&gt;</option>)}
            </Select>
          </Field>
        )}
        {inboxes.length === 1 && <Subtitle2>{inboxes[0]!.name === inboxes[0]!.address ? inboxes[0]!.address : `${inboxes[0]!.name} <${inboxes[0]!.address}>`}</Subtitle2>}
      </div>
      <TabList selectedValue={list} onTabSelect={(_e, d) => setList(d.value as TeamList)}>
        {LISTS.map((l) => <Tab key={l} value={l}>{t(`list.${l}` as MessageKey)}</Tab>)}
      </TabList>
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
                          <div><Caption1>{r.buyer ?? ''}</Caption1> {r.tags.map((tag) => <Badge key={tag} appearance="tint" size="small">{tag}</Badge>)}</div>
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
        {openId ? <Conversation key={openId} api={api} me={me} id={openId} t={t} language={language} onChange={refresh} /> : <Body1>{t('conv.pick')}</Body1>}
      </div>
    </main>
  );
}

function Conversation({ api, me, id, t, language, onChange }: { api: InboxApi; me: Me; id: string; t: Translate; language: UiLanguage; onChange: () => void }): ReactNode {
  const styles = useStyles();
  const [conv, setConv] = useState<TeamConversationView>();
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState('');
  const [replying, setReplying] = useState(false);
  const [presence, setPresence] = useState<TeamConversationView['presence']>([]);
  const load = useCallback(() => api.open(id).then((c) => { setConv(c); setPresence(c.presence); }, setError), [api, id]);
  useEffect(() => { void load(); }, [load]);
  // Presence: tell the store every 10 s that I am here (or replying); it answers who else is.
  useEffect(() => {
    const beat = () => api.presence(id, replying ? 'replying' : 'viewing').then(({ presence: others }) => setPresence(others), () => undefined);
    void beat();
    const timer = window.setInterval(beat, PRESENCE_EVERY_MS);
    return () => window.clearInterval(timer);
  }, [api, id, replying]);

  const act = (work: () => Promise<unknown>) => {
    setError(undefined);
    work().then(() => { onChange(); return load(); }, setError);
  };
  if (!conv) return <section className={styles.pane}><Failure error={error} /><Spinner label={t('app.loading')} /></section>;
  const clock = clockWords(conv.clock, t);
  const due = conv.clock.dueAt ? new Date(conv.clock.dueAt).toLocaleString(language, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }) : null;
  return (
    <section className={styles.pane} aria-labelledby="conversation-title" data-testid="conversation">
      <Title3 id="conversation-title">{conv.subject}</Title3>
      <div className={styles.row}>
        <Badge>{t(`state.${conv.state}` as MessageKey)}</Badge>
        <span className={clock.tone === 'late' ? styles.late : clock.tone === 'warn' ? styles.warn : undefined} data-testid="clock">{clock.text}{due && clock.tone !== 'done' ? ` · ${t('clock.due', { when: due })}` : ''}</span>
        {conv.tags.map((tag) => <Badge key={tag} appearance="tint">{tag}</Badge>)}
      </div>
      {conv.buyerTime && <Body1 data-testid="buyer-time">{t('conv.buyerTime', { time: conv.buyerTime.localTime.slice(11, 16), date: conv.buyerTime.localTime.slice(0, 10), zone: conv.buyerTime.timeZone })}</Body1>}
      {presence.map((p) => (
        <MessageBar key={p.user.id} intent={p.activity === 'replying' ? 'warning' : 'info'} data-testid="presence">
          <MessageBarBody>{t(p.activity === 'replying' ? 'conv.isReplying' : 'conv.viewing', { name: p.user.name })}</MessageBarBody>
        </MessageBar>
      ))}
      <Failure error={error instanceof ApiError ? error : error ? new Error(String(error)) : undefined} />
      <div className={styles.row}>
        <Body1>{t('col.assignee')}: <strong>{conv.assignee ? conv.assignee.name : t('conv.nobody')}</strong></Body1>
        {!conv.assignee && conv.state === 'new' && <Button appearance="primary" onClick={() => act(() => api.claim(id))}>{t('conv.claim')}</Button>}
        {conv.state !== 'closed' && <Button onClick={() => act(() => api.state(id, 'close'))}>{t('conv.close')}</Button>}
        {conv.state === 'closed' && <Button onClick={() => act(() => api.state(id, 'reopen'))}>{t('conv.reopen')}</Button>}
        {conv.state === 'answered' && <Button onClick={() => act(() => api.state(id, 'wait'))}>{t('conv.wait')}</Button>}
        <Button appearance={replying ? 'primary' : 'secondary'} aria-pressed={replying} onClick={() => setReplying(!replying)}>{t('conv.replying')}</Button>
      </div>
      <div className={styles.row}>
        <Field label={t('conv.assignTo')}>
          <Input value={assignee} onChange={(_e, d) => setAssignee(d.value)} placeholder={me.user.email} />
        </Field>
        <Button disabled={!assignee.trim()} onClick={() => act(async () => { await api.assign(id, { assignee: assignee.trim() }); setAssignee(''); })}>{t('conv.assign')}</Button>
      </div>
      {conv.messages.map((m) => (
        <article key={m.id} className={`${styles.message} ${m.direction === 'outbound' ? styles.ours : ''}`}>
          <Caption1>{`${m.from?.name ? `${m.from.name} ` : ''}<${m.from?.address ?? ''}> · ${new Date(m.receivedAt).toLocaleString(language)}`}</Caption1>
          {/* Bodies are shown as text, never as HTML: a buyer's mail cannot run or overlay anything here. */}
          {m.body !== null ? <div className={styles.body}>{m.body}</div> : <div className={styles.body}><Caption1>{t('conv.noBody')}</Caption1> {m.excerpt}</div>}
          {m.attachments.length > 0 && <Caption1>{t('conv.attachments', { names: m.attachments.map((a) => a.name).join(', ') })}</Caption1>}
        </article>
      ))}
      {conv.state !== 'closed' && <HandOff api={api} id={id} t={t} uiLanguage={language} onOpen={() => setReplying(true)} onSent={() => { setReplying(false); onChange(); void load(); }} />}
      <Subtitle2>{t('conv.notes')}</Subtitle2>
      {conv.notes.map((n) => (
        <div key={n.id} className={styles.message} data-testid="note">
          <Caption1>{`${n.author} · ${new Date(n.createdAt).toLocaleString(language)}`}</Caption1>
          <div className={styles.body}>{n.body}</div>
        </div>
      ))}
      <Field label={t('conv.note')}>
        <Textarea value={note} onChange={(_e, d) => setNote(d.value)} />
      </Field>
      <div className={styles.row}>
        <Button disabled={!note.trim()} onClick={() => act(async () => { await api.note(id, { body: note }); setNote(''); })}>{t('conv.addNote')}</Button>
      </div>
    </section>
  );
}

/**
 * The hand-off composer: the store renders the inbox's hand-off template in the buyer's language;
 * the rep reviews and edits it as text; the page says, before sending, from which address and how
 * it will go and whether the buyer is another rep's.
 */

function HandOff({ api, id, t, uiLanguage, onOpen, onSent }: { api: InboxApi; id: string; t: Translate; uiLanguage: UiLanguage; onOpen: () => void; onSent: () => void }): ReactNode {
  const styles = useStyles();
  const [preview, setPreview] = useState<HandOffPreview>();
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [takeOver, setTakeOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<HandOffResult>();
  const [error, setError] = useState<unknown>();
  const open = () => {
    setError(undefined);
    onOpen();
    api.handOffPreview(id).then((p) => { setPreview(p); setSubject(p.subject); setText(p.text); }, setError);
  };
  const send = () => {
    setBusy(true);
    setError(undefined);
    api.handOff(id, { subject, text, ...(takeOver ? { takeOver } : {}) }).then(
      (result) => { setSent(result); setPreview(undefined); setBusy(false); onSent(); },
      (e: unknown) => { setError(e); setBusy(false); },
    );
  };
  if (sent) return <MessageBar intent="success" data-testid="hand-off-sent"><MessageBarBody>{t('handOff.sent', { from: sent.from })}</MessageBarBody></MessageBar>;
  if (!preview) {
    return (
      <div className={styles.row}>
        <Button onClick={open} data-testid="hand-off-open">{t('handOff.open')}</Button>
        <Failure error={error} />
      </div>
    );
  }
  const owner = preview.ownership.ownedByOther ? preview.ownership.owner : null;
  return (
    <section className={styles.pane} aria-labelledby="hand-off-title" data-testid="hand-off">
      <Subtitle2 id="hand-off-title">{t('handOff.title')}</Subtitle2>
      <MessageBar intent="info" data-testid="hand-off-how">
        <MessageBarBody>{preview.via === 'own-mailbox' ? t('handOff.viaOwn', { from: preview.from.address, to: preview.to, role: preview.roleAddress }) : t('handOff.viaRole', { role: preview.roleAddress, name: preview.from.name, to: preview.to })}</MessageBarBody>
      </MessageBar>
      {owner && (
        <MessageBar intent="warning" data-testid="hand-off-owned">
          <MessageBarBody>{t('handOff.owned', { company: preview.ownership.company?.name ?? t('handOff.noCompany'), owner: owner.name, email: owner.email })}</MessageBarBody>
        </MessageBar>
      )}
      <Caption1 data-testid="hand-off-language">{t('handOff.language', { language: languageName(preview.language, uiLanguage) })}</Caption1>
      <Field label={t('handOff.subject')}>
        <Input value={subject} onChange={(_e, d) => setSubject(d.value)} />
      </Field>
      <Field label={t('handOff.text')}>
        <Textarea value={text} rows={12} resize="vertical" onChange={(_e, d) => setText(d.value)} dir="auto" />
      </Field>
      {owner && <Checkbox checked={takeOver} onChange={(_e, d) => setTakeOver(d.checked === true)} label={t('handOff.takeOver', { owner: owner.name })} />}
      <Failure error={error} />
      <div className={styles.row}>
        <Button appearance="primary" disabled={busy || !subject.trim() || !text.trim() || (owner !== null && !takeOver)} onClick={send} data-testid="hand-off-send">{t('handOff.send')}</Button>
        <Button onClick={() => setPreview(undefined)}>{t('handOff.cancel')}</Button>
      </div>
    </section>
  );
}
