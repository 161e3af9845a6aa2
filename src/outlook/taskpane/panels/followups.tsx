import { useEffect, useState } from 'react';
import { Body1, Button, Caption1, Card, CardHeader, Field, MessageBar, MessageBarBody, Select, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import type { FollowUpView, UnansweredInquiry } from '../../../contract/followups.js';
import { ActionStatus } from '../components.js';
import { formatInstant } from '../format.js';
import { usePane } from '../pane-context.js';
import { useStoreAction } from '../store-action.js';
import type { ComposeItem } from '../mail-host.js';

/**
 * Follow-ups (docs/followups.md): the "Follow-ups due" list at the top of the pane, and "Remind me
 * if no reply" while composing. A draft has no Message-ID until Exchange sends it, so the reminder
 * is stored with the subject and recipients and starts when the mailbox sync sees the mail leave.
 */

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'end' },
});

const DAY_CHOICES = [1, 2, 3, 5, 7, 10, 15];
const SNOOZE_DAYS = 2;

/** The due ones, each with Done and Later; nothing at all when none is due or the store cannot say. */
export function FollowUpsDue() {
  const { t, client, language, host } = usePane();
  const styles = useStyles();
  const [due, setDue] = useState<FollowUpView[]>([]);
  const [said, setSaid] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.myFollowUps('due').then(
      (list) => live && setDue(list),
      () => undefined, // the list is a convenience: the panels below say when the store is unreachable
    );
    return () => {
      live = false;
    };
  }, [client]);
  const act = useStoreAction(async (f: FollowUpView, what: 'done' | 'later') => {
    const after = what === 'done' ? await client.followUpDone(f.id) : await client.snoozeFollowUp(f.id, { businessDays: SNOOZE_DAYS });
    setDue((list) => list.filter((x) => x.id !== f.id));
    setSaid(what === 'done' ? t('followUps.markedDone') : t('followUps.snoozedUntil', { when: formatInstant(after.dueAt!, undefined, language) }));
    return after;
  });
  // One click: the reply with the pack's follow-up template in the buyer's language, opened for the rep to edit and send.
  const followUp = useStoreAction(async (f: FollowUpView) => {
    setSaid(null);
    const draft = await client.followUpDraft(f.id);
    const how = await host.openFollowUp(draft);
    setSaid(t(how === 'reply' ? 'followUps.replyOpened' : 'followUps.newOpened', { to: draft.to[0] ?? '' }));
    return draft;
  });
  if (due.length === 0 && !said) return null;
  return (
    <section aria-label={t('followUps.due')} className={styles.list}>
      <Subtitle2 as="h2">{t('followUps.due')}</Subtitle2>
      {due.map((f) => (
        <Card key={f.id} size="small">
          <CardHeader header={<Body1>{f.subject || f.recipients[0]}</Body1>} description={<Caption1>{`${f.recipients.slice(0, 2).join(', ')} · ${t('followUps.noReplySince', { when: formatInstant(f.sentAt ?? f.createdAt, undefined, language) })}`}</Caption1>} />
          <div className={styles.row}>
            <Button size="small" appearance="primary" onClick={() => void followUp.run(f)}>
              {t('followUps.followUp')}
            </Button>
            <Button size="small" onClick={() => void act.run(f, 'done')}>
              {t('followUps.done')}
            </Button>
            <Button size="small" appearance="subtle" onClick={() => void act.run(f, 'later')}>
              {t('followUps.later')}
            </Button>
          </div>
        </Card>
      ))}
      <ActionStatus state={act.state} onRetry={act.retry} done={() => null} />
      <ActionStatus state={followUp.state} onRetry={followUp.retry} done={() => null} />
      {said && <Caption1 role="status">{said}</Caption1>}
    </section>
  );
}

/** Compose: N of the buyer's business days, or off (the pack's default for no particular kind: usually off). */
export function RemindMe({ item }: { item: ComposeItem }) {
  const { t, client, host } = usePane();
  const styles = useStyles();
  const [days, setDays] = useState<string>('off');
  useEffect(() => {
    client.followUpDefault().then(
      (d) => d.days !== null && setDays(String(d.days)),
      () => undefined,
    );
  }, [client]);
  const to = item.to.map((p) => p.address).slice(0, 100);
  const save = useStoreAction(async () => client.createFollowUp({ rule: { kind: 'business-days', days: Number(days) }, subject: (await host.getSubject()).slice(0, 998), to }));
  if (to.length === 0) return null;
  return (
    <div className={styles.list}>
      <Subtitle2 as="h3">{t('followUps.remind')}</Subtitle2>
      <Caption1>{t('followUps.remindHint')}</Caption1>
      <div className={styles.row}>
        <Field label={t('followUps.when')}>
          <Select value={days} onChange={(_, d) => setDays(d.value)}>
            <option value="off">{t('followUps.off')}</option>
            {DAY_CHOICES.map((n) => (
              <option key={n} value={String(n)}>
                {t('followUps.days', { count: n })}
              </option>
            ))}
          </Select>
        </Field>
        <Button disabled={days === 'off'} onClick={() => void save.run()}>
          {t('followUps.set')}
        </Button>
      </div>
      <ActionStatus
        state={save.state}
        onRetry={save.retry}
        done={() => (
          <MessageBar intent="success" role="status">
            <MessageBarBody>{t('followUps.setDone', { when: t('followUps.days', { count: Number(days) }), to: to[0]! })}</MessageBarBody>
          </MessageBar>
        )}
      />
    </div>
  );
}

/** The inquiry reply rule: my buyers' inquiries past the company's business hours, oldest first; nothing when none. */
export function InquiriesWaiting() {
  const { t, client, language } = usePane();
  const styles = useStyles();
  const [inquiries, setInquiries] = useState<UnansweredInquiry[]>([]);
  useEffect(() => {
    let live = true;
    client.myUnansweredInquiries().then(
      (list) => live && setInquiries(list),
      () => undefined, // a convenience, like the due list
    );
    return () => {
      live = false;
    };
  }, [client]);
  if (inquiries.length === 0) return null;
  return (
    <section aria-label={t('inquiries.waiting')} className={styles.list}>
      <Subtitle2 as="h2">{t('inquiries.waiting')}</Subtitle2>
      {inquiries.slice(0, 10).map((i) => (
        <Card key={`${i.conversationId}:${i.messageId ?? ''}`} size="small">
          <CardHeader
            header={<Body1>{i.subject || i.from || ''}</Body1>}
            description={<Caption1>{`${i.from ?? ''} · ${t('inquiries.since', { when: formatInstant(i.receivedAt, undefined, language), hours: i.businessHoursWaiting })}${i.escalated ? ` · ${t('inquiries.escalated')}` : ''}`}</Caption1>}
          />
        </Card>
      ))}
      {inquiries.length > 10 && <Caption1>{t('inquiries.more', { count: inquiries.length - 10 })}</Caption1>}
    </section>
  );
}
