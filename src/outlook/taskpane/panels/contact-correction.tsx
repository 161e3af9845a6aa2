import { useState } from 'react';
import { Button, Caption1, Field, Input, MessageBar, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';
import type { ContactView } from '../../../contract/crm.js';
import { ActionStatus } from '../components.js';
import { usePane } from '../pane-context.js';
import { useStoreAction } from '../store-action.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/**
 * The rep corrects the engine (issue #13, item 8): the contact's name, language, country and time
 * zone, and the customer's country. What the rep sets beats every inference (the store validates
 * and names a bad field); `onSaved` lets the card and the clock reload.
 */
export function ContactCorrection({ email, contact, customer, onSaved }: { email: string; contact: ContactView | null; customer: { id: string; name: string; country: string | null } | null; onSaved: () => void }) {
  const { t, client } = usePane();
  const styles = useStyles();
  const [firstName, setFirstName] = useState(contact?.firstName ?? '');
  const [lastName, setLastName] = useState(contact?.lastName ?? '');
  const [language, setLanguage] = useState(contact?.language ?? '');
  const [country, setCountry] = useState(contact?.country ?? '');
  const [timeZone, setTimeZone] = useState(contact?.timeZone ?? '');
  const [customerCountry, setCustomerCountry] = useState(customer?.country ?? '');

  // empty means "not known": it clears what was set
  const value = (text: string) => (text.trim() ? text.trim() : null);
  const save = useStoreAction(async () => {
    await client.saveContact({ email, firstName: value(firstName), lastName: value(lastName), language: value(language), country: value(country), timeZone: value(timeZone) });
    if (customer && value(customerCountry) !== customer.country) await client.setCustomerCountry(customer.id, value(customerCountry));
    onSaved();
    return true;
  });

  return (
    <details>
      <summary>{t('crm.correct')}</summary>
      <form
        className={styles.form}
        aria-label={t('crm.correct')}
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <Caption1>{t('crm.correctHint')}</Caption1>
        <Field label={t('crm.firstName')}>
          <Input value={firstName} maxLength={100} onChange={(_, d) => setFirstName(d.value)} />
        </Field>
        <Field label={t('crm.lastName')}>
          <Input value={lastName} maxLength={100} onChange={(_, d) => setLastName(d.value)} />
        </Field>
        <Field label={t('crm.language')}>
          <Input value={language} maxLength={35} onChange={(_, d) => setLanguage(d.value)} />
        </Field>
        <Field label={t('crm.country')}>
          <Input value={country} maxLength={2} onChange={(_, d) => setCountry(d.value)} />
        </Field>
        <Field label={t('crm.timeZone')}>
          <Input value={timeZone} maxLength={64} onChange={(_, d) => setTimeZone(d.value)} />
        </Field>
        {customer && (
          <Field label={t('crm.customerCountry', { customer: customer.name })}>
            <Input value={customerCountry} maxLength={2} onChange={(_, d) => setCustomerCountry(d.value)} />
          </Field>
        )}
        <Button type="submit" appearance="primary" disabled={save.state.status === 'running'}>
          {t('crm.save')}
        </Button>
        <ActionStatus state={save.state} onRetry={save.retry} />
        {save.state.status === 'done' && (
          <MessageBar intent="success" role="status">
            <MessageBarBody>{t('crm.saved')}</MessageBarBody>
          </MessageBar>
        )}
      </form>
    </details>
  );
}
