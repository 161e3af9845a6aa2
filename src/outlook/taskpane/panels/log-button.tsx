import { useEffect } from 'react';
import { Body1, Button, MessageBar, MessageBarBody } from '@fluentui/react-components';
import type { Activity, LogRequest } from '../../../contract/crm.js';
import { ActionStatus } from '../components.js';
import { formatInstant } from '../format.js';
import { usePane } from '../pane-context.js';
import { useStoreAction } from '../store-action.js';

/**
 * One click logs the mail; the store logs a Message-ID once per tenant, so a second click (or a
 * colleague's) answers "already logged" with who and when. The state is asked first, so a
 * logged mail shows as logged when the pane opens.
 */
export function LogButton({ mail, label, onLogged }: { mail: LogRequest; label: string; onLogged?: () => void }) {
  const { t, language, client } = usePane();
  const status = useStoreAction(() => client.logStatus(mail.messageId));
  const log = useStoreAction(async () => {
    const result = await client.logMail(mail);
    onLogged?.();
    return result;
  });
  useEffect(() => {
    void status.run();
  }, [mail.messageId]); // deps on purpose: run is stable

  const already = (activity: Activity) => (
    <MessageBar intent="info" role="status">
      <MessageBarBody>{t('crm.alreadyLogged', { who: activity.loggedBy, when: formatInstant(activity.loggedAt, undefined, language) })}</MessageBarBody>
    </MessageBar>
  );

  if (log.state.status === 'done') {
    const result = log.state.value;
    return result.status === 'logged' ? (
      <MessageBar intent="success" role="status">
        <MessageBarBody>{t('crm.logged')}</MessageBarBody>
      </MessageBar>
    ) : (
      already(result.activity)
    );
  }
  if (status.state.status === 'done' && status.state.value.logged && status.state.value.activity) {
    return (
      <>
        {already(status.state.value.activity)}
        <Button onClick={() => void log.run()}>{label}</Button>
      </>
    );
  }
  return (
    <>
      <Button appearance="primary" onClick={() => void log.run()} disabled={log.state.status === 'running'}>
        {label}
      </Button>
      <ActionStatus state={log.state} onRetry={log.retry} />
      {status.state.status === 'offline' && <Body1>{t('offline.banner')}</Body1>}
    </>
  );
}
