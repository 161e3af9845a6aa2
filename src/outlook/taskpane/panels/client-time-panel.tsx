import { useEffect, useState } from 'react';
import { Badge, Body1, Button, Caption1, Field, Input, MessageBar, MessageBarBody, Select, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import type { ClientTime } from '../../../contract/crm.js';
import { wordTime, type TimeText } from '../../../core/clienttime/messages.js';
import type { MessageKey } from '../../i18n/index.js';
import { ActionStatus } from '../components.js';
import { formatInstant, parseLocalInput, repTimeZone, toLocalInput } from '../format.js';
import { usePane } from '../pane-context.js';
import { useStoreAction } from '../store-action.js';
import { useItem } from '../store.js';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  slots: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** The recipient's clock and business hours, and scheduled sending at their good moment (item.delayDeliveryTime). */
export default function ClientTimePanel() {
  const { t, language, client, host } = usePane();
  const styles = useStyles();
  const item = useItem((s) => s.item);
  const recipients = item?.mode === 'compose' ? item.to : [];
  const [email, setEmail] = useState(recipients[0]?.address ?? '');
  const [scheduled, setScheduled] = useState<Date | null>(null);
  const [custom, setCustom] = useState('');
  const [customError, setCustomError] = useState(false);
  const canSchedule = host.supportsDelayDelivery();
  const mine = repTimeZone();

  const lookup = useStoreAction((address: string) => client.clientTime(address));
  useEffect(() => {
    if (email) void lookup.run(email);
  }, [email]); // deps on purpose: run is stable
  useEffect(() => {
    if (canSchedule) void host.getDelayDelivery().then(setScheduled, () => undefined);
  }, [canSchedule, host]);

  const schedule = useStoreAction(async (when: Date) => {
    await host.setDelayDelivery(when);
    setScheduled(await host.getDelayDelivery().catch(() => when));
    return when;
  });

  if (recipients.length === 0) return <Body1>{t('time.noRecipient')}</Body1>;

  const answer = lookup.state.status === 'done' ? lookup.state.value : null;
  const theirs = (iso: string | Date) => formatInstant(iso, answer?.timeZone ?? undefined, language);
  const yours = (iso: string | Date) => formatInstant(iso, mine, language);
  const slotLabel = (text: TimeText | undefined) => (text ? wordTime(text, language, t) : undefined);

  const slotButton = (at: string, label: string) =>
    canSchedule ? (
      <Button appearance="primary" onClick={() => void schedule.run(new Date(at))}>
        {t('time.sendAt', { label })}
      </Button>
    ) : (
      <Body1>{t('time.fallback', { rep: yours(at), client: theirs(at) })}</Body1>
    );

  return (
    <section className={styles.panel} aria-label={t('tab.clientTime')}>
      {recipients.length > 1 && (
        <Field label={t('time.recipient')}>
          <Select value={email} onChange={(_, d) => setEmail(d.value)}>
            {recipients.map((r) => (
              <option key={r.address} value={r.address}>
                {r.name ? `${r.name} <${r.address}>` : r.address}
              </option>
            ))}
          </Select>
        </Field>
      )}
      <ActionStatus state={lookup.state} onRetry={lookup.retry} />
      {answer && <ClockCard answer={answer} email={email} />}
      {!canSchedule && (
        <MessageBar intent="info" role="note">
          <MessageBarBody>{t('time.unsupported')}</MessageBarBody>
        </MessageBar>
      )}
      {answer?.nextSlot && (
        <>
          {/* open now: sending now is its own choice (Outlook's Send); the slot is always their next opening, never now */}
          {answer.inBusinessHours && <Body1>{t('time.openNow')}</Body1>}
          {slotButton(answer.nextSlot, slotLabel(answer.alternatives.find((a) => a.at === answer.nextSlot)?.labelText) ?? theirs(answer.nextSlot))}
          <Caption1>{t('time.slotBoth', { client: theirs(answer.nextSlot), rep: yours(answer.nextSlot) })}</Caption1>
          {answer.alternatives.filter((a) => a.at !== answer.nextSlot).length > 0 && (
            <>
              <Subtitle2 as="h3">{t('time.alternatives')}</Subtitle2>
              <ul className={styles.slots}>
                {answer.alternatives
                  .filter((a) => a.at !== answer.nextSlot)
                  .map((a) => (
                    <li key={a.at}>
                      {canSchedule ? (
                        <Button onClick={() => void schedule.run(new Date(a.at))}>{t('time.sendAt', { label: slotLabel(a.labelText) ?? a.label })}</Button>
                      ) : (
                        <Body1>{slotLabel(a.labelText) ?? a.label}</Body1>
                      )}
                      <br />
                      <Caption1>{t('time.slotBoth', { client: theirs(a.at), rep: yours(a.at) })}</Caption1>
                    </li>
                  ))}
              </ul>
            </>
          )}
        </>
      )}
      {canSchedule && (
        <div className={styles.row}>
          <Field label={t('time.custom')} validationMessage={customError ? t('time.customInvalid') : undefined} validationState={customError ? 'error' : 'none'}>
            <Input type="datetime-local" value={custom} min={toLocalInput(new Date())} onChange={(_, d) => (setCustom(d.value), setCustomError(false))} />
          </Field>
          <Button
            onClick={() => {
              const when = parseLocalInput(custom);
              if (!when || when.getTime() <= Date.now()) return setCustomError(true);
              void schedule.run(when);
            }}
          >
            {t('time.scheduleCustom')}
          </Button>
          {answer?.timeZone && parseLocalInput(custom) && <Caption1>{t('time.customTheirs', { client: theirs(parseLocalInput(custom)!) })}</Caption1>}
        </div>
      )}
      <ActionStatus state={schedule.state} onRetry={schedule.retry} />
      {canSchedule && (
        <MessageBar intent={scheduled ? 'success' : 'info'} role="status" aria-label={t('time.scheduled', { rep: '', client: '' })}>
          <MessageBarBody>{scheduled ? t('time.scheduled', { rep: yours(scheduled), client: theirs(scheduled) }) : t('time.notScheduled')}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}

const CONFIDENCE_KEYS: Record<string, MessageKey> = {
  explicit: 'time.confidence.explicit',
  high: 'time.confidence.high',
  medium: 'time.confidence.medium',
  low: 'time.confidence.low',
  none: 'time.confidence.none',
};

/** Their clock now, open or closed and why: shared by compose (recipient) and read (sender). */
export function ClockCard({ answer, email, heading }: { answer: ClientTime; email: string; heading?: string }) {
  const { t, language } = usePane();
  const word = (text: TimeText) => wordTime(text, language, t);
  const confidenceWord = (confidence: string) => (CONFIDENCE_KEYS[confidence] ? t(CONFIDENCE_KEYS[confidence]) : confidence);
  const styles = useStyles();
  if (!answer.timeZone || !answer.localTime) {
    return (
      <MessageBar intent="warning">
        <MessageBarBody>{t('time.unknownZone')}</MessageBarBody>
      </MessageBar>
    );
  }
  const now = formatInstant(new Date(), answer.timeZone, language);
  return (
    <div aria-label={email}>
      <div className={styles.row}>
        <Body1>{heading ?? t('time.theirTime', { time: now })}</Body1>
        <Badge color={answer.inBusinessHours ? 'success' : 'danger'}>{answer.inBusinessHours ? t('time.open') : t('time.closed')}</Badge>
      </div>
      <Caption1>{word(answer.statusText)}</Caption1>
      <br />
      <Caption1>{t('time.zone', { zone: answer.timeZone, confidence: confidenceWord(answer.confidence) })}</Caption1>
      {answer.reasonTexts.length > 0 && (
        <details>
          <summary>{t('time.why')}</summary>
          <ul>
            {answer.reasonTexts.map((r, i) => (
              <li key={i}>
                <Caption1>{word(r)}</Caption1>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
