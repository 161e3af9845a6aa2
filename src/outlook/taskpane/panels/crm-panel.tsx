import { useEffect, useState } from 'react';
import { Body1, Caption1, Card, CardHeader, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import type { LogRequest } from '../../../contract/crm.js';
import { ActionStatus } from '../components.js';
import { formatInstant } from '../format.js';
import { usePane } from '../pane-context.js';
import { useStoreAction } from '../store-action.js';
import { useItem } from '../store.js';
import type { ComposeItem } from '../mail-host.js';
import { ContactCorrection } from './contact-correction.js';
import { LogButton } from './log-button.js';
import { TaskForm } from './task-form.js';
import { RemindMe } from './followups.js';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL },
});

/**
 * A draft has no Message-ID until Exchange sends it, so "log this thread" logs the conversation
 * under one stable id per thread: logging the same thread twice (any rep) stays one entry.
 */
export function threadMessageId(conversationId: string): string {
  return `thread.${conversationId.replace(/[^A-Za-z0-9._-]/g, '_')}@outlook.tradepane.invalid`;
}

/** Compose: the recipient's customer card and recent history, log this thread, a follow-up task. */
export default function CrmPanel() {
  const { t } = usePane();
  const styles = useStyles();
  const item = useItem((s) => s.item);
  if (item?.mode !== 'compose') return null;
  const to = item.to[0]?.address;
  // a log creates the contact (and its company): the card reloads, so "Logged ✓" never sits beside "not in the CRM yet"
  const [version, setVersion] = useState(0);
  if (!to) return <Body1>{t('time.noRecipient')}</Body1>;
  return (
    <section className={styles.panel} aria-label={t('tab.crm')}>
      <CustomerCard email={to} version={version} />
      <ThreadLog item={item} onLogged={() => setVersion((v) => v + 1)} />
      <RemindMe item={item} />
      <Subtitle2 as="h3">{t('crm.followUp')}</Subtitle2>
      <TaskForm contact={to} defaultTitle={t('crm.followUpTitle', { contact: to })} buttonLabel={t('crm.createTask')} />
    </section>
  );
}

function ThreadLog({ item, onLogged }: { item: ComposeItem; onLogged: () => void }) {
  const { t, host } = usePane();
  const subject = useStoreAction(() => host.getSubject());
  useEffect(() => {
    void subject.run();
  }, []); // deps on purpose: once per item
  if (!item.conversationId) return <Caption1>{t('crm.noThread')}</Caption1>;
  if (subject.state.status !== 'done') return null;
  const me = host.me();
  const mail: LogRequest = {
    messageId: threadMessageId(item.conversationId),
    threadId: item.conversationId,
    direction: 'outbound',
    from: item.from?.address || me.address,
    // `Name <address>`: the store learns the recipient's display name
    to: item.to.map((p) => (p.name && p.name !== p.address ? `${p.name.replace(/[<>"]/g, '')} <${p.address}>` : p.address)).slice(0, 100),
    subject: subject.state.value.slice(0, 998),
    via: 'outlook',
  };
  return <LogButton mail={mail} label={t('crm.logThread')} onLogged={onLogged} />;
}

/** `version` changes when something the card shows may have changed (a log, a correction): it reloads. */
export function CustomerCard({ email, version = 0, onCorrected }: { email: string; version?: number; onCorrected?: () => void }) {
  const { t, language, client } = usePane();
  const styles = useStyles();
  const [saved, setSaved] = useState(0);
  const card = useStoreAction(async () => {
    const contact = await client.lookupContact(email);
    const history = contact?.customerId ? await client.timeline(contact.customerId) : null;
    const record = contact?.customerId ? await client.customer(contact.customerId) : null;
    const time = await client.clientTimeOf({ email });
    return { contact, history, customer: time.known.customer, record };
  });
  useEffect(() => {
    void card.run();
  }, [email, version, saved]); // deps on purpose: run is stable

  return (
    <>
      <ActionStatus state={card.state} onRetry={card.retry} />
      {card.state.status === 'done' &&
        (() => {
          const { contact, history, customer, record } = card.state.value;
          const name = [contact?.firstName, contact?.lastName].filter(Boolean).join(' ');
          return (
            <Card aria-label={t('crm.customer')}>
              <CardHeader header={<Subtitle2 as="h3">{customer ?? t('crm.customer')}</Subtitle2>} description={<Caption1>{contact ? t('crm.contact', { name: name || contact.email }) : t('crm.unknownContact', { email })}</Caption1>} />
              {history && (
                <>
                  <Body1>{t('crm.recent')}</Body1>
                  {history.mails.length === 0 ? (
                    <Caption1>{t('crm.nothingYet')}</Caption1>
                  ) : (
                    <ul className={styles.list}>
                      {history.mails.slice(0, 3).map((m) => (
                        <li key={m.id}>
                          <Caption1>
                            {formatInstant(m.occurredAt, undefined, language)} · {m.subject}
                          </Caption1>
                        </li>
                      ))}
                    </ul>
                  )}
                  {history.tasks.filter((x) => x.status === 'open').length > 0 && (
                    <>
                      <Body1>{t('crm.openTasks')}</Body1>
                      <ul className={styles.list}>
                        {history.tasks
                          .filter((x) => x.status === 'open')
                          .slice(0, 3)
                          .map((task) => (
                            <li key={task.id}>
                              <Caption1>
                                {task.title}
                                {task.dueAt ? ` · ${formatInstant(task.dueAt, task.dueTimeZone ?? undefined, language)}` : ''}
                              </Caption1>
                            </li>
                          ))}
                      </ul>
                    </>
                  )}
                </>
              )}
              <ContactCorrection
                key={`${contact?.id ?? 'new'}:${saved}`}
                email={email}
                contact={contact}
                customer={record}
                onSaved={() => {
                  setSaved((n) => n + 1);
                  onCorrected?.();
                }}
              />
            </Card>
          );
        })()}
    </>
  );
}
