import { useState, type ReactNode } from 'react';
import { Badge, Button, Field, Input, Select, Subtitle1 } from '@fluentui/react-components';
import { query } from '../api.js';
import { ApiError } from '../../client/api-error.js';
import type { TeamSendList } from '../../contract/scheduled-sends.js';
import type { ConnectorList, DeliveryList } from '../../contract/connectors.js';
import { useConsole, useLoad, when } from '../context.js';
import { ErrorBar, Loading, RefreshButton, run, useStyles } from '../components.js';

/** Operations: the scheduled-send queue, CRM connector health, dead letters and replay. */
export default function OperationsView(): ReactNode {
  return (
    <div>
      <ScheduledSends />
      <Connectors />
    </div>
  );
}

function ScheduledSends(): ReactNode {
  const { api, t, language } = useConsole();
  const styles = useStyles();
  const [status, setStatus] = useState('');
  const [user, setUser] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const sends = useLoad(() => api.get<TeamSendList>(`/admin/scheduled-sends${query({ status, user: user.trim() })}`), [status, user]);
  const unavailable = sends.error instanceof ApiError && sends.error.status === 404 && sends.error.code !== 'bad_request';
  const act = (id: string, action: 'retry' | 'cancel') => run(setBusy, setError, async () => { await api.post(`/admin/scheduled-sends/${encodeURIComponent(id)}/${action}`, {}); sends.reload(); });
  return (
    <section className={styles.section} aria-labelledby="sends-title">
      <div className={styles.row}>
        <Subtitle1 id="sends-title">{t('ops.sends')}</Subtitle1>
        <Field label={t('common.status')}>
          <Select value={status} onChange={(_e, d) => setStatus(d.value)}>
            <option value="">{t('common.all')}</option>
            {['pending', 'sending', 'sent', 'failed', 'cancelled', 'gone'].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('ops.filterUser')}>
          <Input type="email" value={user} onChange={(_e, d) => setUser(d.value)} />
        </Field>
        <RefreshButton onClick={sends.reload} />
        <Loading loading={sends.loading} />
      </div>
      {unavailable ? <span>{t('ops.sendsUnavailable')}</span> : <ErrorBar error={sends.error} />}
      <ErrorBar error={error} />
      <table className={styles.table}>
        <thead>
          <tr>
            <th>{t('common.user')}</th>
            <th>{t('ops.recipients')}</th>
            <th>{t('ops.sendAt')}</th>
            <th>{t('common.status')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sends.data?.sends.map((s) => (
            <tr key={s.id}>
              <td>{s.user}</td>
              <td>
                {s.recipients.join(', ')}
                <br />
                {s.subject}
              </td>
              <td>{when(s.sendAt, language)}</td>
              <td>
                <Badge color={s.status === 'failed' || s.status === 'gone' ? 'danger' : s.status === 'sent' ? 'success' : 'informative'}>{s.status}</Badge>
                {s.reason && <div className={styles.bad}>{s.reason}</div>}
              </td>
              <td>
                {(s.status === 'failed' || s.status === 'gone') && (
                  <Button size="small" disabled={busy} onClick={() => void act(s.id, 'retry')}>
                    {t('ops.retry')}
                  </Button>
                )}{' '}
                {s.status === 'pending' && (
                  <Button size="small" disabled={busy} onClick={() => void act(s.id, 'cancel')}>
                    {t('ops.cancel')}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Connectors(): ReactNode {
  const { api, t, language } = useConsole();
  const styles = useStyles();
  const connectors = useLoad(() => api.get<ConnectorList>('/connectors'), []);
  const dead = useLoad(() => api.get<DeliveryList>('/deliveries?status=dead'), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <section className={styles.section} aria-labelledby="connectors-title">
      <div className={styles.row}>
        <Subtitle1 id="connectors-title">{t('ops.connectors')}</Subtitle1>
        <RefreshButton onClick={() => { connectors.reload(); dead.reload(); }} />
        <Loading loading={connectors.loading} />
      </div>
      <ErrorBar error={connectors.error} />
      <ul>
        {connectors.data?.connectors.map((c) => (
          <li key={c.id}>
            <strong>{c.name}</strong> ({c.kind}) <Badge color={c.enabled ? 'success' : 'subtle'}>{c.enabled ? t('ops.enabled') : t('ops.off')}</Badge>{' '}
            {t('ops.health', { pending: c.health.pending, dead: c.health.dead, last: when(c.health.lastDeliveredAt, language) })}
          </li>
        ))}
      </ul>
      <Subtitle1 as="h3">{t('ops.deadLetters')}</Subtitle1>
      <ErrorBar error={dead.error ?? error} />
      <table className={styles.table}>
        <tbody>
          {dead.data?.deliveries.map((d) => (
            <tr key={d.id}>
              <td>{d.connector}</td>
              <td className={styles.mono}>{d.eventType}</td>
              <td>{when(d.createdAt, language)}</td>
              <td className={styles.bad}>{d.lastError}</td>
              <td>
                <Button size="small" disabled={busy} onClick={() => void run(setBusy, setError, async () => { await api.post(`/deliveries/${encodeURIComponent(d.id)}/replay`, {}); dead.reload(); connectors.reload(); })}>
                  {t('ops.replay')}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dead.data?.deliveries.length === 0 && <span>{t('common.none')}</span>}
    </section>
  );
}
