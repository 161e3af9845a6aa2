import { useEffect } from 'react';
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { wordConfirmByPhone, wordFinding } from '../../../core/payment/messages.js';
import { usePane } from '../pane-context.js';
import { useStoreAction } from '../store-action.js';

/**
 * The inbound payment guard's verdict on the open mail (found by its Internet Message-ID): why it
 * looks like payment fraud, in the rep's language, and the phone number on file to confirm by.
 * Says nothing for a clean mail, one the store did not judge, or when the store cannot answer
 * (the other cards report that).
 */
export function PaymentWarning({ messageId }: { messageId: string }) {
  const { t, client } = usePane();
  const verdict = useStoreAction(() => client.paymentVerdict(messageId));
  useEffect(() => {
    void verdict.run();
  }, [messageId]); // deps on purpose: run is stable

  if (verdict.state.status !== 'done') return null;
  const v = verdict.state.value;
  if (!v || v.verdict === 'ok') return null;
  const suspicious = v.verdict === 'suspicious';
  return (
    <MessageBar intent={suspicious ? 'error' : 'warning'} layout="multiline" role="alert" aria-label={t(suspicious ? 'pay.title.suspicious' : 'pay.title.notice')}>
      <MessageBarBody>
        <MessageBarTitle>{t(suspicious ? 'pay.title.suspicious' : 'pay.title.notice')}</MessageBarTitle>
        <ul>
          {v.findings.map((f, i) => (
            <li key={i}>{wordFinding(f, t)}</li>
          ))}
        </ul>
        <strong>{wordConfirmByPhone(v.company?.name ?? null, v.phone, t)}</strong>
      </MessageBarBody>
    </MessageBar>
  );
}
