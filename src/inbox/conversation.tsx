import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Badge, Body1, Button, Caption1, Checkbox, Field, Input, MessageBar, MessageBarBody, Spinner, Subtitle2, Textarea, Title3 } from '@fluentui/react-components';
import type { HandOffPreview, HandOffResult, TeamConversationView } from '../contract/team-inbox.js';
import { ApiError, type InboxApi, type Me } from './api.js';
import type { MessageKey, Translate, UiLanguage } from './i18n.js';
import { languageName } from '../core/i18n/index.js';
import { clockWords, Failure, useStyles } from './parts.js';

/**
 * One conversation as a rep opens it: messages, notes, claim/assign/state, presence and the
 * hand-off composer. Its own chunk (app.tsx loads it when a conversation is opened, and ahead of
 * time once the list is on screen): the list's first paint does not carry its form controls.
 */

const PRESENCE_EVERY_MS = 10_000;

export function Conversation({ api, me, id, t, language, onChange }: { api: InboxApi; me: Me; id: string; t: Translate; language: UiLanguage; onChange: () => void }): ReactNode {
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
  if (!conv) return <section className={styles.pane}><Failure error={error} t={t} /><Spinner label={t('app.loading')} /></section>;
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
      <Failure error={error instanceof ApiError ? error : error ? new Error(String(error)) : undefined} t={t} />
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
        <Failure error={error} t={t} />
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
      <Failure error={error} t={t} />
      <div className={styles.row}>
        <Button appearance="primary" disabled={busy || !subject.trim() || !text.trim() || (owner !== null && !takeOver)} onClick={send} data-testid="hand-off-send">{t('handOff.send')}</Button>
        <Button onClick={() => setPreview(undefined)}>{t('handOff.cancel')}</Button>
      </div>
    </section>
  );
}
