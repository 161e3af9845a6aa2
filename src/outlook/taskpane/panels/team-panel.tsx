import { useEffect, useState } from 'react';
import { Badge, Body1, Button, Caption1, Field, MessageBar, MessageBarBody, Select, Subtitle2, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import type { HandOffPreview, StateAction, TeamConversationView, TeamItemKeys, TeamMemberList } from '../../../contract/team-inbox.js';
import { ApiError } from '../../../client/api-error.js';
import { languageName } from '../../../core/i18n/index.js';
import { textToHtml } from '../../../core/teaminbox/notices.js';
import { formatInstant } from '../format.js';
import { usePane } from '../pane-context.js';
import { useStoreAction } from '../store-action.js';
import type { ReadItem } from '../mail-host.js';

/** Presence is refreshed this often while the pane shows a team conversation (the store shows it for 30 s). */
export const PRESENCE_REFRESH_MS = 10_000;

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalM, border: `1px solid ${tokens.colorNeutralStroke1}`, borderRadius: tokens.borderRadiusMedium },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  note: { display: 'flex', flexDirection: 'column', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', borderLeft: `3px solid ${tokens.colorBrandStroke1}`, paddingLeft: tokens.spacingHorizontalS },
  handOff: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalS, backgroundColor: tokens.colorNeutralBackground2, borderRadius: tokens.borderRadiusMedium },
  handOffText: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxHeight: '12rem', overflowY: 'auto', margin: 0 },
});

type T = ReturnType<typeof usePane>['t'];

/**
 * What went wrong, in the rep's language: the store's refusals the pane can meet are worded from
 * the catalogue (its English messages are for logs and API users), naming the colleague where the
 * store did.
 */
export function teamProblem(error: unknown, t: T): string {
  if (!(error instanceof ApiError)) return t('team.unreachable');
  const named = (error.details[0] as { assignee?: { name?: string; email?: string } } | undefined)?.assignee;
  if (error.code === 'taken' && named) return t('team.taken', { name: named.name || named.email || '' });
  if (error.code === 'no_hand_off_template') return t('team.noHandOffTemplate');
  if (error.status === 404) return t('team.gone');
  if (error.status === 409) return t('team.conflict');
  return t('team.failed');
}

/** The state changes a rep may ask for from here (the store's state machine has the last word). */
function stateActions(state: TeamConversationView['state']): StateAction[] {
  if (state === 'closed') return ['reopen'];
  if (state === 'answered') return ['wait', 'close'];
  return ['close'];
}

const STATE_COLOR = { new: 'danger', assigned: 'brand', answered: 'success', waiting: 'warning', closed: 'subtle' } as const;
const PHASE_COLOR = { running: 'brand', warning: 'warning', breached: 'danger', stopped: 'subtle' } as const;

/** Business minutes as "5 h 20 min" (words from the catalogue). */
function duration(minutes: number, t: T): string {
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
  const { t, language, client, host } = usePane();
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
  const [members, setMembers] = useState<TeamMemberList['members'] | null>(null);
  const [assignTo, setAssignTo] = useState('');
  const [handOff, setHandOff] = useState<HandOffPreview | null>(null);
  const [opened, setOpened] = useState<'reply' | 'new' | null>(null);

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

  // The "assign to" picker: the inbox's members, once per conversation shown.
  const inboxId = view?.inbox.id;
  useEffect(() => {
    if (!inboxId) return;
    client.teamMembers(inboxId).then(
      (m) => setMembers(m.members),
      () => setMembers(null),
    );
  }, [inboxId, client]);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await work();
    } catch (error) {
      setProblem(teamProblem(error, t));
    }
    // Redraw either way: after a 409 the rep sees who has it now.
    await load().catch(() => undefined);
    setBusy(false);
  };

  /** The inbox's hand-off template rendered by the store in the buyer's language, shown before Outlook opens the reply. */
  const prepareHandOff = async (conversationId: string) => {
    setBusy(true);
    setProblem(null);
    setOpened(null);
    try {
      setHandOff(await client.teamHandOffPreview(conversationId));
    } catch (error) {
      setProblem(teamProblem(error, t));
    } finally {
      setBusy(false);
    }
  };

  /**
   * Outlook's reply form on this mail, from the rep's own mailbox, with the hand-off as its body
   * (the thread is Outlook's: In-Reply-To and References of the open mail). Where the client has
   * no reply form (Outlook mobile), a new message to the buyer with the same subject and text.
   */
  const openHandOff = async (preview: HandOffPreview) => {
    const html = textToHtml(preview.text);
    setProblem(null);
    setReplying(true);
    try {
      await host.replyWith(html);
      setOpened('reply');
    } catch {
      try {
        setOpened(await host.openFollowUp({ to: [preview.to], subject: preview.subject, html, inReplyTo: null }));
      } catch {
        setReplying(false);
        setProblem(t('team.cannotOpenReply'));
      }
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
      {item.sharedMailbox && <Caption1>{t('team.sharedMailbox', { mailbox: item.sharedMailbox })}</Caption1>}
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
      {/* Beside the actions, where the rep's eyes are (the pane scrolls). */}
      {problem && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      )}
      {members && members.length > 0 && (
        <div className={styles.row}>
          <Field label={t('team.assignTo')}>
            <Select value={assignTo} onChange={(_, d) => setAssignTo(d.value)}>
              <option value="">{t('team.choose')}</option>
              {members
                .filter((m) => m.id !== view.assignee?.id)
                .map((m) => (
                  <option key={m.id} value={m.email}>
                    {m.name ? `${m.name} (${m.email})` : m.email}
                  </option>
                ))}
              {view.assignee && <option value="-">{t('team.backToQueue')}</option>}
            </Select>
          </Field>
          <Button disabled={busy || !assignTo} onClick={() => void act(async () => (await client.teamAssign(view.id, assignTo === '-' ? null : assignTo), setAssignTo('')))}>
            {t('team.assign')}
          </Button>
        </div>
      )}
      <div className={styles.row}>
        {stateActions(view.state).map((action) => (
          <Button key={action} size="small" disabled={busy} onClick={() => void act(() => client.teamState(view.id, action))}>
            {t(`team.action.${action}`)}
          </Button>
        ))}
      </div>
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
      {view.state !== 'closed' && !handOff && (
        <div className={styles.row}>
          <Button disabled={busy} onClick={() => void prepareHandOff(view.id)}>
            {t('team.handOff')}
          </Button>
        </div>
      )}
      {handOff && (
        <section className={styles.handOff} aria-label={t('team.handOffTitle')}>
          <Subtitle2 as="h3">{t('team.handOffTitle')}</Subtitle2>
          <Caption1>{t('team.handOffHow', { language: languageName(handOff.language, language), to: handOff.to })}</Caption1>
          {handOff.ownership.ownedByOther && handOff.ownership.owner && (
            <MessageBar intent="warning">
              <MessageBarBody>{t('team.handOffOwned', { company: handOff.ownership.company?.name ?? handOff.to, owner: handOff.ownership.owner.name || handOff.ownership.owner.email })}</MessageBarBody>
            </MessageBar>
          )}
          <Body1 as="p" className={styles.handOffText} lang={handOff.language}>
            {handOff.text}
          </Body1>
          {opened === null ? (
            <div className={styles.row}>
              <Button appearance="primary" onClick={() => void openHandOff(handOff)}>
                {t('team.openReply')}
              </Button>
              <Button onClick={() => setHandOff(null)}>{t('team.cancel')}</Button>
            </div>
          ) : (
            <MessageBar intent={opened === 'reply' ? 'success' : 'warning'}>
              <MessageBarBody>{t(opened === 'reply' ? 'team.replyOpened' : 'team.newMessageOpened')}</MessageBarBody>
            </MessageBar>
          )}
        </section>
      )}
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
    </section>
  );
}
