import { useState, type ReactNode } from 'react';
import { Badge, Button, Field, Input, Select, Subtitle1 } from '@fluentui/react-components';
import type { MailboxList, MailboxRemoved, MailboxTest, MailboxView } from '../../contract/mailboxes.js';
import type { UserList } from '../../contract/people.js';
import { useConsole, useLoad, when } from '../context.js';
import { ErrorBar, Loading, Notice, RefreshButton, run, useStyles } from '../components.js';
import type { MessageKey } from '../i18n/index.js';
import { TeamInboxes } from './team-inboxes.js';

// The store's preset names (src/server/mail/imap-presets.ts); the console only names them.
const PRESETS = ['tencent', 'alibaba', 'netease', 'zoho', 'outlook', 'custom'] as const;
const SECURITY = ['tls', 'starttls', 'none'] as const;
type Provider = 'imap' | 'graph' | 'gmail';
type Endpoint = { host: string; port: string; security: string };

/** Mailboxes: the connected mailboxes with their sync state; connect, test, resync, pause, remove. */
export default function MailboxesView(): ReactNode {
  const { api, t, language } = useConsole();
  const styles = useStyles();
  const mailboxes = useLoad(() => api.get<MailboxList>('/mailboxes'), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<{ intent: 'success' | 'warning'; text: string }>();
  const [confirming, setConfirming] = useState<MailboxView>();
  const [changing, setChanging] = useState<MailboxView>();
  const [secret, setSecret] = useState('');
  type Said = { intent: 'success' | 'warning'; text: string };
  // The action's notice shows once the list has been read again, so the two agree.
  const act = (action: () => Promise<Said | void>) =>
    void run(setBusy, setError, async () => {
      setNotice(undefined);
      const said = await action();
      await mailboxes.reload();
      if (said) setNotice(said);
    });
  const path = (m: MailboxView) => `/mailboxes/${encodeURIComponent(m.id)}`;

  return (
    <div>
      <section className={styles.section} aria-labelledby="mailboxes-title">
        <div className={styles.row}>
          <Subtitle1 id="mailboxes-title">{t('mailboxes.title')}</Subtitle1>
          <RefreshButton onClick={mailboxes.reload} />
          <Loading loading={mailboxes.loading} />
        </div>
        <ErrorBar error={mailboxes.error} />
        {mailboxes.data?.mailboxes.length === 0 && <span>{t('common.none')}</span>}
        <table className={styles.table} data-testid="mailbox-list">
          <thead>
            <tr>
              <th>{t('mailboxes.address')}</th>
              <th>{t('mailboxes.provider')}</th>
              <th>{t('common.status')}</th>
              <th>{t('mailboxes.lag')}</th>
              <th>{t('mailboxes.backfill')}</th>
              <th>{t('mailboxes.lastError')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {mailboxes.data?.mailboxes.map((m) => (
              <tr key={m.id}>
                <td>
                  <strong>{m.address}</strong>
                  {m.displayName && m.displayName !== m.address ? ` (${m.displayName})` : ''}
                </td>
                <td>{t(`mailboxes.provider.${m.provider}` as MessageKey)}</td>
                <td>
                  <Badge color={m.status === 'error' ? 'danger' : m.status === 'retrying' ? 'warning' : m.status === 'live' ? 'success' : 'brand'}>{t(`mailboxes.status.${m.status}` as MessageKey)}</Badge> {m.paused && <Badge color="subtle">{t('mailboxes.paused')}</Badge>}
                  <div>{t('mailboxes.lastSynced', { when: when(m.lastSyncedAt, language) })}</div>
                </td>
                <td>{lagInWords(m.lagSeconds, t)}</td>
                <td>{m.backfill.remaining === null ? t('mailboxes.backfillDone', { done: m.backfill.done }) : t('mailboxes.backfillProgress', { done: m.backfill.done, remaining: m.backfill.remaining })}</td>
                <td className={m.lastError ? styles.bad : undefined}>{m.lastError ? `${errorWords(m.lastError.code, t)} ${m.lastError.message}` : '—'}</td>
                <td>
                  <div className={styles.row}>
                    <Button size="small" disabled={busy} aria-label={t('mailboxes.testOf', { address: m.address })} onClick={() => act(async () => {
                      const result = await api.post<MailboxTest>(`${path(m)}/test`);
                      return result.ok ? { intent: 'success', text: t('mailboxes.testOk', { address: m.address, folders: result.folders.join(', ') }) } : { intent: 'warning', text: t('mailboxes.testFailed', { address: m.address, reason: `${errorWords(result.error?.code ?? 'protocol', t)} ${result.error?.message ?? ''}` }) };
                    })}>
                      {t('mailboxes.test')}
                    </Button>
                    <Button size="small" disabled={busy} aria-label={t('mailboxes.resyncOf', { address: m.address })} onClick={() => act(async () => { await api.post(`${path(m)}/resync`); return { intent: 'success', text: t('mailboxes.resyncStarted', { address: m.address }) }; })}>
                      {t('mailboxes.resync')}
                    </Button>
                    <Button size="small" disabled={busy} aria-label={t(m.paused ? 'mailboxes.resumeOf' : 'mailboxes.pauseOf', { address: m.address })} onClick={() => act(async () => { await api.post(`${path(m)}/pause`, { paused: !m.paused }); })}>
                      {t(m.paused ? 'mailboxes.resume' : 'mailboxes.pause')}
                    </Button>
                    {m.provider !== 'gmail' && (
                      <Button size="small" disabled={busy} aria-label={t(m.provider === 'graph' ? 'mailboxes.secretOf' : 'mailboxes.passwordOf', { address: m.address })} onClick={() => { setNotice(undefined); setSecret(''); setChanging(m); }}>
                        {t(m.provider === 'graph' ? 'mailboxes.secret' : 'mailboxes.changePassword')}
                      </Button>
                    )}
                    <Button size="small" disabled={busy} aria-label={t('mailboxes.removeOf', { address: m.address })} onClick={() => { setNotice(undefined); setConfirming(m); }}>
                      {t('mailboxes.remove')}
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {changing && (
          <form
            data-testid="secret-form"
            className={styles.row}
            onSubmit={(e) => {
              e.preventDefault();
              act(async () => {
                await api.request('PUT', `${path(changing)}/secret`, { secret });
                setChanging(undefined);
                setSecret('');
                return { intent: 'success', text: t('mailboxes.secretReplaced', { address: changing.address }) };
              });
            }}
          >
            <Field label={t(changing.provider === 'graph' ? 'mailboxes.newSecretFor' : 'mailboxes.newPasswordFor', { address: changing.address })} hint={t('mailboxes.secretKeeps')}>
              <Input type="password" autoComplete="new-password" value={secret} onChange={(_e, d) => setSecret(d.value)} />
            </Field>
            <Button appearance="primary" type="submit" disabled={busy || !secret.trim()}>
              {t('common.save')}
            </Button>
            <Button onClick={() => setChanging(undefined)}>{t('common.cancel')}</Button>
          </form>
        )}
        {confirming && (
          <div role="alertdialog" aria-labelledby="remove-title" data-testid="remove-confirm" className={styles.section}>
            <Notice intent="warning">
              <span id="remove-title">{t('mailboxes.removeConfirm', { address: confirming.address })}</span>
            </Notice>
            <div className={styles.row}>
              <Button appearance="primary" disabled={busy} onClick={() => act(async () => {
                const gone = await api.delete<MailboxRemoved>(path(confirming));
                setConfirming(undefined);
                return { intent: 'success', text: t('mailboxes.removed', { address: confirming.address, ...gone }) };
              })}>
                {t('mailboxes.removeYes', { address: confirming.address })}
              </Button>
              <Button onClick={() => setConfirming(undefined)}>{t('common.cancel')}</Button>
            </div>
          </div>
        )}
        <ErrorBar error={error} />
        {notice && <Notice intent={notice.intent}>{notice.text}</Notice>}
      </section>
      {mailboxes.data && mailboxes.data.mailboxes.length > 0 && <TeamInboxes mailboxes={mailboxes.data.mailboxes} />}
      <Connect onConnected={mailboxes.reload} />
    </div>
  );
}

function lagInWords(seconds: number | null, t: ReturnType<typeof useConsole>['t']): string {
  if (seconds === null) return '—';
  if (seconds < 60) return t('mailboxes.lagSeconds', { n: seconds });
  if (seconds < 7200) return t('mailboxes.lagMinutes', { n: Math.round(seconds / 60) });
  return t('mailboxes.lagHours', { n: Math.round(seconds / 3600) });
}

const ERROR_CODES = ['auth', 'unreachable', 'cursor-expired', 'throttled', 'not-found', 'protocol'];
function errorWords(code: string, t: ReturnType<typeof useConsole>['t']): string {
  return t(`mailboxes.error.${ERROR_CODES.includes(code) ? code : 'protocol'}` as MessageKey);
}

function Connect({ onConnected }: { onConnected: () => void }): ReactNode {
  const { api, t } = useConsole();
  const styles = useStyles();
  const users = useLoad(() => api.get<UserList>('/users'), []);
  const [provider, setProvider] = useState<Provider>('imap');
  const [address, setAddress] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [preset, setPreset] = useState<(typeof PRESETS)[number]>('tencent');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [imap, setImap] = useState<Endpoint>({ host: '', port: '993', security: 'tls' });
  const [smtp, setSmtp] = useState<Endpoint>({ host: '', port: '465', security: 'tls' });
  const [tenantId, setTenantId] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [rep, setRep] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [connected, setConnected] = useState<string>();

  const body = (): Record<string, unknown> => {
    const base = { provider, address: address.trim(), ...(displayName.trim() ? { displayName: displayName.trim() } : {}) };
    if (provider === 'graph') return { ...base, settings: { tenantId: tenantId.trim(), clientId: clientId.trim() }, secrets: { clientSecret } };
    if (provider === 'gmail') return { ...base, settings: rep ? { userId: rep } : {} };
    const endpoint = (e: Endpoint) => ({ host: e.host.trim(), port: Number(e.port), security: e.security });
    const settings = { preset, ...(username.trim() ? { username: username.trim() } : {}), ...(preset === 'custom' ? { imap: endpoint(imap), smtp: endpoint(smtp) } : {}) };
    return { ...base, settings, secrets: { password } };
  };
  const ready = address.trim() !== '' && (provider === 'imap' ? password !== '' : provider === 'graph' ? tenantId.trim() !== '' && clientId.trim() !== '' && clientSecret !== '' : true);
  const endpointFields = (name: 'imap' | 'smtp', value: Endpoint, set: (e: Endpoint) => void) => (
    <div className={styles.row}>
      <Field label={t(`mailboxes.${name}Host` as MessageKey)}>
        <Input value={value.host} onChange={(_e, d) => set({ ...value, host: d.value })} />
      </Field>
      <Field label={t(`mailboxes.${name}Port` as MessageKey)}>
        <Input type="number" value={value.port} onChange={(_e, d) => set({ ...value, port: d.value })} />
      </Field>
      <Field label={t(`mailboxes.${name}Security` as MessageKey)}>
        <Select value={value.security} onChange={(_e, d) => set({ ...value, security: d.value })}>
          {SECURITY.map((s) => (
            <option key={s} value={s}>
              {t(`mailboxes.security.${s}` as MessageKey)}
            </option>
          ))}
        </Select>
      </Field>
    </div>
  );

  return (
    <section className={styles.section} aria-labelledby="connect-title">
      <Subtitle1 id="connect-title">{t('mailboxes.connect')}</Subtitle1>
      <div className={styles.row}>
        <Field label={t('mailboxes.provider')}>
          <Select value={provider} onChange={(_e, d) => setProvider(d.value as Provider)}>
            {(['imap', 'graph', 'gmail'] as const).map((p) => (
              <option key={p} value={p}>
                {t(`mailboxes.provider.${p}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('mailboxes.address')}>
          <Input type="email" value={address} onChange={(_e, d) => setAddress(d.value)} />
        </Field>
        <Field label={t('mailboxes.displayName')}>
          <Input value={displayName} onChange={(_e, d) => setDisplayName(d.value)} />
        </Field>
      </div>
      {provider === 'imap' && (
        <>
          <div className={styles.row}>
            <Field label={t('mailboxes.preset')}>
              <Select value={preset} onChange={(_e, d) => setPreset(d.value as (typeof PRESETS)[number])}>
                {PRESETS.map((p) => (
                  <option key={p} value={p}>
                    {t(`mailboxes.preset.${p}`)}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label={t('mailboxes.username')}>
              <Input value={username} onChange={(_e, d) => setUsername(d.value)} />
            </Field>
            <Field label={t('mailboxes.password')} hint={t('mailboxes.passwordHint')}>
              <Input type="password" autoComplete="new-password" value={password} onChange={(_e, d) => setPassword(d.value)} />
            </Field>
          </div>
          {preset === 'custom' && endpointFields('imap', imap, setImap)}
          {preset === 'custom' && endpointFields('smtp', smtp, setSmtp)}
        </>
      )}
      {provider === 'graph' && (
        <div className={styles.row}>
          <Field label={t('mailboxes.tenantId')}>
            <Input value={tenantId} onChange={(_e, d) => setTenantId(d.value)} />
          </Field>
          <Field label={t('mailboxes.clientId')}>
            <Input value={clientId} onChange={(_e, d) => setClientId(d.value)} />
          </Field>
          <Field label={t('mailboxes.clientSecret')}>
            <Input type="password" autoComplete="new-password" value={clientSecret} onChange={(_e, d) => setClientSecret(d.value)} />
          </Field>
        </div>
      )}
      {provider === 'gmail' && (
        <Field label={t('mailboxes.rep')} hint={t('mailboxes.repHint')}>
          <Select value={rep} onChange={(_e, d) => setRep(d.value)}>
            <option value="">{t('mailboxes.repNone')}</option>
            {users.data?.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.email}
              </option>
            ))}
          </Select>
        </Field>
      )}
      <span>{t('mailboxes.secretsSealed')}</span>
      <div>
        <Button
          appearance="primary"
          disabled={busy || !ready}
          onClick={() =>
            void run(setBusy, setError, async () => {
              setConnected(undefined);
              const created = await api.post<MailboxView>('/mailboxes', body());
              setConnected(created.address);
              setPassword('');
              setClientSecret('');
              onConnected();
            })
          }
        >
          {t('mailboxes.connectButton')}
        </Button>
      </div>
      <ErrorBar error={error} />
      {connected && <Notice>{t('mailboxes.connected', { address: connected })}</Notice>}
    </section>
  );
}
