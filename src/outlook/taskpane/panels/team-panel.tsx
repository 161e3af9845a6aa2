import { useEffect, useState } from 'react';
import { Badge, Body1, Button, Caption1, Field, MessageBar, MessageBarBody, Subtitle2, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import type { TeamConversationView, TeamItemKeys } from '../../../contract/team-inbox.js';
import { formatInstant } from '../format.js';
import { usePane } from '../pane-context.js';
import { errorMessage, useStoreAction } from '../store-action.js';
import type { ReadItem } from '../mail-host.js';

/** Presence is refreshed this often while the pane shows a team conversation (the store shows it for 30 s). */
export const PRESENCE_REFRESH_MS = 10_000;

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalM, border: `1px solid ${tokens.colorNeutralStroke1}`, borderRadius: tokens.borderRadiusMedium },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  note: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', borderLeft: `3px solid ${tokens.colorBrandStroke1}`, paddingLeft: tokens.spacingHorizontalS },
});

const STATE_COLOR = { new: 'danger', assigned: 'brand', answered: 'success', waiting: 'warning', closed: 'subtle' } as const;
const PHASE_COLOR = { running: 'brand', warning: 'warning', breached: 'danger', stopped: 'subtle' } as const;

/** Business minutes as "5 h 20 min" (words from the catalogue). */
function duration(minutes: number, t: ReturnType<typeof usePane>['t']): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? t('team.hoursMinutes', { h, m }) : t('team.minutes', { m });
}

/**
 * The team inbox in the read pane (docs/team-inbox.md, "The faces"): when the open mail belongs to
 * a team conversation the rep works — found by the store from the Message-ID, the thread, or the
 * subject and sender — its state, assignee, "I'll take it", the response clock with the buyer's
 * local time, who else is on it, and the internal notes. Nothing at all for other mail.
 */
export default function TeamPanel({ item }: { item: ReadItem }) {
  const { t, language, client } = usePane();
  const styles = useStyles();
  const keys: TeamItemKeys = {
    ...(item.internetMessageId ? { internetMessageId: item.internetMessageId } : {}),
    ...(item.conversationId ? { threadId: item.conversationId } : {}),
    ...(item.subject ? { subject: item.subject.slice(0, 1000) } : {}),
    ...(item.from ? { addresses: [item.from.address] } : {}),
  };
  const lookup = useStoreAction(() => client.teamLookup(keys));
  const [view, setView] = useState<TeamConversationView | null>(null);
  const [presence, setPresence] = useState<TeamConversationView['presence']>([]);
  const [replying, setReplying] = useState(false);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    const answer = await lookup.run();
    if (answer) {
      setView(answer.conversation);
      setPresence(answer.conversation?.presence ?? []);
    }
  };
  useEffect(() => {
    void load();
  }, []); // deps on purpose: one item per mount (the shell keys panels on the item)

  // While the pane shows the conversation, say so every 10 s and learn who else is on it.
  const id = view?.id;
  useEffect(() => {
    if (!id) return undefined;
    const touch = () =>
      client.teamPresence(id, replying ? 'replying' : 'viewing').then(
        (p) => setPresence(p.presence),
        () => undefined,
      );
    void touch();
    const timer = setInterval(() => void touch(), PRESENCE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [id, replying, client]);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await work();
      await load();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  // Most mail is no team conversation, and the section is an extra: a failed or unreachable lookup
  // stays quiet here (the pane's own banner already says when the store cannot be reached).
  if (!view) return null;
  const left = view.clock.businessMinutesLeft;
  const clockText =
    view.clock.phase === 'stopped'
      ? t('team.clockStopped')
      : left !== null && left < 0
        ? t('team.clockOverdue', { time: duration(-left, t) })
        : t('team.clockLeft', { time: duration(left ?? 0, t) });
  const canClaim = view.state === 'new' && !view.assignee;
  return (
    <section className={styles.card} aria-label={t('team.heading', { inbox: view.inbox.address })}>
      <Subtitle2 as="h2">{t('team.heading', { inbox: view.inbox.address })}</Subtitle2>
      {item.sharedMailbox && item.sharedMailbox.toLowerCase() !== view.inbox.address.toLowerCase() && <Caption1>{t('team.sharedMailbox', { mailbox: item.sharedMailbox })}</Caption1>}
      <div className={styles.row}>
        <Badge appearance="filled" color={STATE_COLOR[view.state]}>{t(`team.state.${view.state}`)}</Badge>
        {view.tags.map((tag) => (
          <Badge key={tag} appearance="outline">{tag}</Badge>
        ))}
      </div>
      <Body1>{view.assignee ? t('team.assignee', { name: view.assignee.name || view.assignee.email }) : t('team.unassigned')}</Body1>
      {canClaim && (
        <div className={styles.row}>
          <Button appearance="primary" disabled={busy} onClick={() => void act(() => client.teamClaim(view.id))}>
            {t('team.claim')}
          </Button>
        </div>
      )}
      <div className={styles.row} role="status" aria-label={t('team.clock')}>
        <Badge appearance="tint" color={PHASE_COLOR[view.clock.phase]}>{t(`team.phase.${view.clock.phase}`)}</Badge>
        <Body1>{clockText}</Body1>
      </div>
      {view.clock.dueAt && view.clock.phase !== 'stopped' && <Caption1>{t('team.due', { when: formatInstant(view.clock.dueAt, undefined, language) })}</Caption1>}
      {view.buyerTime && (
        <Caption1>{t('team.buyerTime', { time: formatInstant(new Date(), view.buyerTime.timeZone, language), zone: view.buyerTime.timeZone })}</Caption1>
      )}
      {presence.map((p) => (
        <MessageBar key={p.user.id} intent={p.activity === 'replying' ? 'warning' : 'info'}>
          <MessageBarBody>{t(p.activity === 'replying' ? 'team.presenceReplying' : 'team.presenceViewing', { name: p.user.name || p.user.email })}</MessageBarBody>
        </MessageBar>
      ))}
      <div className={styles.row}>
        <Button size="small" appearance={replying ? 'primary' : 'secondary'} aria-pressed={replying} onClick={() => setReplying((r) => !r)}>
          {replying ? t('team.replyingOn') : t('team.replyingOff')}
        </Button>
      </div>
      <Subtitle2 as="h3">{t('team.notes')}</Subtitle2>
      {view.notes.length === 0 && <Caption1>{t('team.noNotes')}</Caption1>}
      {view.notes.map((n) => (
        <div key={n.id} className={styles.note}>
          <Caption1>{t('team.noteBy', { author: n.author, when: formatInstant(n.createdAt, undefined, language) })}</Caption1>
          <Body1 as="p">{n.body}</Body1>
        </div>
      ))}
      <Field label={t('team.addNote')} hint={t('team.noteHint')}>
        <Textarea value={note} onChange={(_, d) => setNote(d.value)} maxLength={10_000} resize="vertical" />
      </Field>
      <div className={styles.row}>
        <Button disabled={busy || !note.trim()} onClick={() => void act(async () => (await client.teamNote(view.id, note.trim()), setNote('')))}>
          {t('team.saveNote')}
        </Button>
      </div>
      {problem && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
