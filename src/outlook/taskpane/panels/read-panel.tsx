import { Suspense, lazy, useEffect, useState } from 'react';
import { Body1, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import type { LogRequest } from '../../../contract/crm.js';
import { ActionStatus } from '../components.js';
import { formatInstant } from '../format.js';
import { usePane } from '../pane-context.js';
import { useStoreAction } from '../store-action.js';
import { useItem } from '../store.js';
import { ClockCard } from './client-time-panel.js';
import { CustomerCard } from './crm-panel.js';
import { LogButton } from './log-button.js';
import { PaymentWarning } from './payment-warning.js';
import { TaskForm } from './task-form.js';

// The team inbox part: its own chunk, drawn only for mail of a team conversation the rep works.
const TeamPanel = lazy(() => import('./team-panel.js'));

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** Read: the sender's clock (their Date: header helps), log to CRM in one click, turn the mail into a task. */
export default function ReadPanel() {
  const { t, language, client, host } = usePane();
  const styles = useStyles();
  const item = useItem((s) => s.item);
  const sender = item?.mode === 'read' ? item.from?.address : undefined;
  const dateHeader = item?.mode === 'read' ? item.dateHeader : null;
  const clock = useStoreAction((email: string) => client.clientTimeOf({ email, ...(dateHeader ? { dateHeader } : {}) }));
  // bumped by a log or a correction: the card and the clock reload with what the store now knows
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (sender) void clock.run(sender);
  }, [sender, version]); // deps on purpose: run is stable

  if (item?.mode !== 'read') return null;
  const me = host.me();
  const mail: LogRequest = {
    messageId: item.internetMessageId,
    ...(item.conversationId ? { threadId: item.conversationId } : {}),
    direction: item.from?.address.toLowerCase() === me.address.toLowerCase() ? 'outbound' : 'inbound',
    ...(item.dateHeader ? { dateHeader: item.dateHeader } : {}),
    ...(item.receivedAt ? { sentAt: item.receivedAt } : {}),
    // `Name <address>`: the store learns the sender's display name
    from: item.from ? (item.from.name && item.from.name !== item.from.address ? `${item.from.name.replace(/[<>"]/g, '')} <${item.from.address}>` : item.from.address) : me.address,
    to: (item.to.length > 0 ? item.to.map((p) => p.address) : [me.address]).slice(0, 100),
    subject: item.subject.slice(0, 998),
    via: 'outlook',
  };

  return (
    <section className={styles.panel} aria-label={t('tab.thisMail')}>
      {item.internetMessageId && <PaymentWarning messageId={item.internetMessageId} />}
      <Suspense fallback={null}>
        <TeamPanel item={item} />
      </Suspense>
      <Body1>{t('read.sender', { sender: item.from ? (item.from.name ? `${item.from.name} <${item.from.address}>` : item.from.address) : '—' })}</Body1>
      <ActionStatus state={clock.state} onRetry={clock.retry} />
      {clock.state.status === 'done' && sender && (
        <ClockCard answer={clock.state.value} email={sender} heading={clock.state.value.timeZone ? t('read.senderTime', { time: formatInstant(new Date(), clock.state.value.timeZone, language) }) : undefined} />
      )}
      {item.internetMessageId && <LogButton mail={mail} label={t('crm.logMail')} onLogged={() => setVersion((v) => v + 1)} />}
      {sender && <CustomerCard email={sender} version={version} onCorrected={() => setVersion((v) => v + 1)} />}
      <Subtitle2 as="h3">{t('crm.turnIntoTask')}</Subtitle2>
      <TaskForm contact={sender} {...(item.internetMessageId ? { messageId: item.internetMessageId } : {})} defaultTitle={item.subject ? `Re: ${item.subject}`.slice(0, 300) : t('crm.followUpUntitled')} buttonLabel={t('crm.turnIntoTask')} />
    </section>
  );
}
