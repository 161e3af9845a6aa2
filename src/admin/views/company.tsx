import { useEffect, useState, type ReactNode } from 'react';
import { Button, Field, Input, Subtitle1, Subtitle2 } from '@fluentui/react-components';
import type { BankAccountInput, CompanyProfileInput, CompanyProfileView } from '../../contract/company.js';
import type { PaymentAlertView } from '../../contract/payments.js';
import { wordFinding } from '../../core/payment/messages.js';
import { useConsole, useLoad, when } from '../context.js';
import { ErrorBar, Loading, Notice, RefreshButton, run, useStyles } from '../components.js';
import type { MessageKey } from '../i18n/en.js';

type Text = Exclude<keyof CompanyProfileInput, 'bankAccounts'>;
type AccountText = Exclude<keyof BankAccountInput, 'id'>;
const COMPANY_FIELDS: Text[] = ['legalName', 'address', 'phone', 'email', 'website', 'taxId'];
const ACCOUNT_FIELDS: AccountText[] = ['label', 'beneficiary', 'bankName', 'bankAddress', 'iban', 'swift', 'accountNumber', 'currency'];

type Draft = Record<Text, string> & { bankAccounts: (Record<AccountText, string> & { id?: string })[] };

const emptyAccount = (): Draft['bankAccounts'][number] => ({ label: '', beneficiary: '', bankName: '', bankAddress: '', iban: '', swift: '', accountNumber: '', currency: '' });

function draftOf(p: CompanyProfileView): Draft {
  const s = (v: string | null) => v ?? '';
  return {
    legalName: p.legalName,
    address: s(p.address),
    phone: s(p.phone),
    email: s(p.email),
    website: s(p.website),
    taxId: s(p.taxId),
    bankAccounts: p.bankAccounts.map((a) => ({ id: a.id, label: a.label, beneficiary: a.beneficiary, bankName: a.bankName, bankAddress: s(a.bankAddress), iban: s(a.iban), swift: s(a.swift), accountNumber: s(a.accountNumber), currency: s(a.currency) })),
  };
}

/** Blank optional fields are sent as null; the store checks IBANs and BICs and names each bad field. */
function inputOf(d: Draft): CompanyProfileInput {
  const n = (v: string) => (v.trim() ? v.trim() : null);
  return {
    legalName: d.legalName,
    address: n(d.address),
    phone: n(d.phone),
    email: n(d.email),
    website: n(d.website),
    taxId: n(d.taxId),
    bankAccounts: d.bankAccounts.map((a) => ({ ...(a.id ? { id: a.id } : {}), label: a.label, beneficiary: a.beneficiary, bankName: a.bankName, bankAddress: n(a.bankAddress), iban: n(a.iban), swift: n(a.swift), accountNumber: n(a.accountNumber), currency: n(a.currency) })),
  };
}

/**
 * The company's official profile: legal details and the only bank accounts buyers are told to pay
 * into (trade documents and payment templates print these; the payment guard compares every
 * account in a mail with them). Below, the received mail the guard found suspicious.
 */
export default function CompanyView(): ReactNode {
  const { api, t, language } = useConsole();
  const styles = useStyles();
  const profile = useLoad(() => api.get<CompanyProfileView>('/admin/company-profile'), []);
  const alerts = useLoad(() => api.get<{ alerts: PaymentAlertView[] }>('/admin/payment-alerts?limit=50'), []);
  const [draft, setDraft] = useState<Draft>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (profile.data) setDraft(draftOf(profile.data));
  }, [profile.data]);

  const save = () =>
    run(setBusy, setError, async () => {
      setSaved(false);
      const stored = await api.request<CompanyProfileView>('PUT', '/admin/company-profile', inputOf(draft!));
      setDraft(draftOf(stored));
      setSaved(true);
    });
  const setAccount = (i: number, field: AccountText, value: string) => setDraft((d) => d && { ...d, bankAccounts: d.bankAccounts.map((a, j) => (j === i ? { ...a, [field]: value } : a)) });

  return (
    <>
      <section className={styles.section} aria-labelledby="company-title">
        <div className={styles.row}>
          <Subtitle1 id="company-title">{t('company.title')}</Subtitle1>
          <Loading loading={profile.loading} />
        </div>
        <ErrorBar error={profile.error ?? error} />
        {saved && <Notice>{t('company.saved')}</Notice>}
        {draft && (
          <>
            <div className={styles.row}>
              {COMPANY_FIELDS.map((f) => (
                <Field key={f} label={t(`company.${f}` as MessageKey)} required={f === 'legalName'}>
                  <Input value={draft[f]} onChange={(_e, d) => setDraft({ ...draft, [f]: d.value })} />
                </Field>
              ))}
            </div>
            <Subtitle2 as="h3">{t('company.accounts')}</Subtitle2>
            {draft.bankAccounts.map((a, i) => (
              <fieldset key={a.id ?? `new-${i}`} aria-label={t('company.accountN', { n: i + 1 })}>
                <legend>{t('company.accountN', { n: i + 1 })}</legend>
                <div className={styles.row}>
                  {ACCOUNT_FIELDS.map((f) => (
                    <Field key={f} label={t(`company.account.${f}` as MessageKey)}>
                      <Input value={a[f]} onChange={(_e, d) => setAccount(i, f, d.value)} />
                    </Field>
                  ))}
                  <Button onClick={() => setDraft({ ...draft, bankAccounts: draft.bankAccounts.filter((_x, j) => j !== i) })}>{t('company.removeAccount')}</Button>
                </div>
              </fieldset>
            ))}
            <div className={styles.row}>
              <Button onClick={() => setDraft({ ...draft, bankAccounts: [...draft.bankAccounts, emptyAccount()] })}>{t('company.addAccount')}</Button>
              <Button appearance="primary" disabled={busy} onClick={() => void save()}>
                {t('company.save')}
              </Button>
            </div>
          </>
        )}
      </section>
      <section className={styles.section} aria-labelledby="alerts-title">
        <div className={styles.row}>
          <Subtitle1 id="alerts-title">{t('company.alerts')}</Subtitle1>
          <RefreshButton onClick={alerts.reload} />
          <Loading loading={alerts.loading} />
        </div>
        <ErrorBar error={alerts.error} />
        {alerts.data && alerts.data.alerts.length === 0 && <Notice intent="info">{t('company.noAlerts')}</Notice>}
        {alerts.data && alerts.data.alerts.length > 0 && (
          <table className={styles.table}>
            <thead>
              <tr>
                <th>{t('common.when')}</th>
                <th>{t('company.alertFrom')}</th>
                <th>{t('company.alertWhy')}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.data.alerts.map((a, i) => (
                <tr key={`${a.messageId ?? ''}-${i}`}>
                  <td>{when(a.receivedAt, language)}</td>
                  <td>
                    {a.from} → {a.mailbox}
                    <br />
                    {a.subject}
                  </td>
                  <td>
                    <ul>
                      {a.findings.map((f, j) => (
                        <li key={j}>{wordFinding(f, t)}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
