import { useState, type ReactNode } from 'react';
import { Badge, Button, Field, Input, Select, Subtitle1, Textarea } from '@fluentui/react-components';
import type { ConnectorList, ConnectorTestResult, ConnectorView, DeliveryList } from '../../contract/connectors.js';
import type { MessageKey } from '../i18n/index.js';
import { useConsole, useLoad, when } from '../context.js';
import { ErrorBar, Loading, Notice, RefreshButton, run, useStyles } from '../components.js';

/**
 * CRM connectors (docs/crm.md): set one up, send it a test event, pause, resume, replace its
 * secret, remove it; dead letters with replay. Secrets are written here once and never read back:
 * the store answers only which ones are set.
 */

interface FieldSpec {
  key: string;
  required?: boolean;
  multiline?: boolean;
}
interface KindSpec {
  settings: FieldSpec[];
  secrets: FieldSpec[];
}

// What each adapter's validate() asks for (src/server/connectors/*); test-only overrides left out.
const KINDS: Record<string, KindSpec> = {
  webhook: { settings: [{ key: 'url', required: true }], secrets: [{ key: 'signingSecret', required: true }] },
  hubspot: { settings: [{ key: 'basePath' }], secrets: [{ key: 'accessToken', required: true }] },
  salesforce: { settings: [{ key: 'instanceUrl', required: true }, { key: 'apiVersion' }], secrets: [{ key: 'accessToken', required: true }] },
  'google-tasks': { settings: [], secrets: [{ key: 'clientEmail', required: true }, { key: 'privateKey', required: true, multiline: true }] },
  'microsoft-todo': { settings: [{ key: 'tenantId', required: true }], secrets: [{ key: 'clientId', required: true }, { key: 'clientSecret', required: true }] },
};
const KIND_NAMES = Object.keys(KINDS);

const kindLabel = (kind: string): MessageKey => (KIND_NAMES.includes(kind) ? (`conn.kind.${kind}` as MessageKey) : 'conn.kind.other');
const fieldLabel = (key: string): MessageKey => `conn.field.${key}` as MessageKey;

export default function ConnectorsView(): ReactNode {
  const { api, t, language } = useConsole();
  const styles = useStyles();
  const connectors = useLoad(() => api.get<ConnectorList>('/connectors'), []);
  const dead = useLoad(() => api.get<DeliveryList>('/deliveries?status=dead'), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [outcome, setOutcome] = useState<{ intent: 'success' | 'warning'; text: string }>();
  const [removing, setRemoving] = useState<ConnectorView>();
  const [replacing, setReplacing] = useState<ConnectorView>();
  const reload = () => Promise.all([connectors.reload(), dead.reload()]);
  const act = (action: () => Promise<void>) => void run(setBusy, setError, async () => { setOutcome(undefined); await action(); });
  const test = (c: ConnectorView) =>
    act(async () => {
      const r = await api.post<ConnectorTestResult>(`/connectors/${encodeURIComponent(c.id)}/test`);
      setOutcome(r.ok ? { intent: 'success', text: t('conn.testOk', { name: c.name }) } : { intent: 'warning', text: t('conn.testFailed', { name: c.name, reason: r.reason ?? '' }) });
    });
  const pause = (c: ConnectorView, enabled: boolean) =>
    act(async () => {
      await api.patch(`/connectors/${encodeURIComponent(c.id)}`, { enabled });
      await reload();
      setOutcome({ intent: 'success', text: t(enabled ? 'conn.resumed' : 'conn.paused', { name: c.name }) });
    });
  const remove = (c: ConnectorView) =>
    act(async () => {
      await api.delete(`/connectors/${encodeURIComponent(c.id)}`);
      setRemoving(undefined);
      await reload();
      setOutcome({ intent: 'success', text: t('conn.removed', { name: c.name }) });
    });

  return (
    <div>
      <section className={styles.section} aria-labelledby="connectors-title">
        <div className={styles.row}>
          <Subtitle1 id="connectors-title">{t('conn.title')}</Subtitle1>
          <RefreshButton onClick={reload} />
          <Loading loading={connectors.loading} />
        </div>
        <span>{t('conn.intro')}</span>
        <ErrorBar error={connectors.error} />
        <table className={styles.table}>
          <thead>
            <tr>
              <th>{t('conn.name')}</th>
              <th>{t('conn.kind')}</th>
              <th>{t('conn.state')}</th>
              <th>{t('conn.secrets')}</th>
              <th>{t('conn.health')}</th>
              <th>{t('people.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {connectors.data?.connectors.map((c) => (
              <tr key={c.id} data-testid={`connector-${c.name}`}>
                <td>
                  <strong>{c.name}</strong>
                </td>
                <td>{t(kindLabel(c.kind))}</td>
                <td>
                  <Badge color={c.enabled ? 'success' : 'warning'}>{c.enabled ? t('conn.active') : t('conn.pausedState')}</Badge>
                </td>
                <td>
                  {(KINDS[c.kind]?.secrets ?? c.secrets.map((key) => ({ key }))).map((s) => (
                    <div key={s.key}>
                      {t(fieldLabel(s.key))}: {c.secrets.includes(s.key) ? t('conn.set') : <span className={styles.bad}>{t('conn.notSet')}</span>}
                    </div>
                  ))}
                </td>
                <td>{t('ops.health', { pending: c.health.pending, dead: c.health.dead, last: when(c.health.lastDeliveredAt, language) })}</td>
                <td>
                  <div className={styles.row}>
                    <Button size="small" disabled={busy} aria-label={t('conn.testOf', { name: c.name })} onClick={() => test(c)}>
                      {t('conn.test')}
                    </Button>
                    <Button size="small" disabled={busy} aria-label={t(c.enabled ? 'conn.pauseOf' : 'conn.resumeOf', { name: c.name })} onClick={() => pause(c, !c.enabled)}>
                      {t(c.enabled ? 'conn.pause' : 'conn.resume')}
                    </Button>
                    <Button size="small" disabled={busy} aria-label={t('conn.replaceOf', { name: c.name })} onClick={() => { setReplacing(c); setRemoving(undefined); }}>
                      {t('conn.replace')}
                    </Button>
                    <Button size="small" disabled={busy} aria-label={t('conn.removeOf', { name: c.name })} onClick={() => { setRemoving(c); setReplacing(undefined); }}>
                      {t('conn.remove')}
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {connectors.data?.connectors.length === 0 && <span>{t('conn.none')}</span>}
        {removing && (
          <div className={styles.section} role="group" aria-label={t('conn.removeOf', { name: removing.name })}>
            <Notice intent="warning">{t('conn.removeWarning', { name: removing.name, pending: removing.health.pending, dead: removing.health.dead })}</Notice>
            <div className={styles.row}>
              <Button appearance="primary" disabled={busy} onClick={() => remove(removing)}>
                {t('conn.removeConfirm', { name: removing.name })}
              </Button>
              <Button onClick={() => setRemoving(undefined)}>{t('people.cancel')}</Button>
            </div>
          </div>
        )}
        {replacing && (
          <SecretsForm
            key={replacing.id}
            connector={replacing}
            onDone={() => { setOutcome({ intent: 'success', text: t('conn.secretReplaced', { name: replacing.name }) }); setReplacing(undefined); reload(); }}
            onCancel={() => setReplacing(undefined)}
          />
        )}
        {outcome && (
          <div data-testid="connector-outcome">
            <Notice intent={outcome.intent}>{outcome.text}</Notice>
          </div>
        )}
        <ErrorBar error={error} />
      </section>

      <SetUp onCreated={(name) => { setOutcome({ intent: 'success', text: t('conn.created', { name }) }); reload(); }} />

      <section className={styles.section} aria-labelledby="dead-title">
        <Subtitle1 id="dead-title">{t('ops.deadLetters')}</Subtitle1>
        <span>{t('conn.deadIntro')}</span>
        <ErrorBar error={dead.error} />
        <table className={styles.table}>
          <tbody>
            {dead.data?.deliveries.map((d) => (
              <tr key={d.id}>
                <td>{d.connector}</td>
                <td className={styles.mono}>{d.eventType}</td>
                <td>{when(d.createdAt, language)}</td>
                <td className={styles.bad}>{d.lastError}</td>
                <td>
                  <Button size="small" disabled={busy} onClick={() => act(async () => { await api.post(`/deliveries/${encodeURIComponent(d.id)}/replay`, {}); reload(); })}>
                    {t('ops.replay')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {dead.data?.deliveries.length === 0 && <span>{t('common.none')}</span>}
      </section>
    </div>
  );
}

/** Secret inputs: password fields, never pre-filled, cleared after saving. */
function SecretInputs({ specs, values, onChange }: { specs: FieldSpec[]; values: Record<string, string>; onChange: (key: string, value: string) => void }): ReactNode {
  const { t } = useConsole();
  const styles = useStyles();
  return (
    <>
      {specs.map((s) => (
        <Field key={s.key} label={t(fieldLabel(s.key))} required={s.required ?? false} hint={t('conn.secretHint')}>
          {s.multiline ? (
            <Textarea textarea={{ className: styles.mono, spellCheck: false, autoComplete: 'off' }} value={values[s.key] ?? ''} onChange={(_e, d) => onChange(s.key, d.value)} />
          ) : (
            <Input type="password" autoComplete="new-password" value={values[s.key] ?? ''} onChange={(_e, d) => onChange(s.key, d.value)} />
          )}
        </Field>
      ))}
    </>
  );
}

const filled = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ''));

function SetUp({ onCreated }: { onCreated: (name: string) => void }): ReactNode {
  const { api, t } = useConsole();
  const styles = useStyles();
  const [kind, setKind] = useState('webhook');
  const [name, setName] = useState('');
  const [settings, setSettings] = useState<Record<string, string>>({});
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const spec = KINDS[kind]!;
  const save = () =>
    void run(setBusy, setError, async () => {
      const created = await api.post<ConnectorView>('/connectors', { kind, name: name.trim(), settings: Object.fromEntries(Object.entries(filled(settings)).map(([k, v]) => [k, v.trim()])), secrets: filled(secrets) });
      // The secret leaves the page once saved: nothing keeps it in the form.
      setSecrets({});
      setSettings({});
      setName('');
      onCreated(created.name);
    });
  return (
    <form className={styles.section} aria-labelledby="setup-title" data-testid="connector-setup" onSubmit={(e) => { e.preventDefault(); save(); }}>
      <Subtitle1 id="setup-title">{t('conn.setUp')}</Subtitle1>
      <div className={styles.row}>
        <Field label={t('conn.kind')}>
          <Select value={kind} onChange={(_e, d) => { setKind(d.value); setSettings({}); setSecrets({}); }}>
            {KIND_NAMES.map((k) => (
              <option key={k} value={k}>
                {t(kindLabel(k))}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('conn.name')} required>
          <Input value={name} maxLength={100} onChange={(_e, d) => setName(d.value)} />
        </Field>
        {spec.settings.map((s) => (
          <Field key={s.key} label={t(fieldLabel(s.key))} required={s.required ?? false}>
            <Input value={settings[s.key] ?? ''} onChange={(_e, d) => setSettings((cur) => ({ ...cur, [s.key]: d.value }))} />
          </Field>
        ))}
        <SecretInputs specs={spec.secrets} values={secrets} onChange={(k, v) => setSecrets((cur) => ({ ...cur, [k]: v }))} />
      </div>
      <div>
        <Button appearance="primary" type="submit" disabled={busy || !name.trim()}>
          {t('conn.save')}
        </Button>
      </div>
      <ErrorBar error={error} />
    </form>
  );
}

function SecretsForm({ connector, onDone, onCancel }: { connector: ConnectorView; onDone: () => void; onCancel: () => void }): ReactNode {
  const { api, t } = useConsole();
  const styles = useStyles();
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const specs = KINDS[connector.kind]?.secrets ?? connector.secrets.map((key) => ({ key, required: true }));
  const save = () =>
    void run(setBusy, setError, async () => {
      await api.patch(`/connectors/${encodeURIComponent(connector.id)}`, { secrets: filled(secrets) });
      setSecrets({});
      onDone();
    });
  return (
    <form className={styles.section} aria-label={t('conn.replaceOf', { name: connector.name })} onSubmit={(e) => { e.preventDefault(); save(); }}>
      <Subtitle1 as="h3">{t('conn.replaceOf', { name: connector.name })}</Subtitle1>
      <div className={styles.row}>
        <SecretInputs specs={specs} values={secrets} onChange={(k, v) => setSecrets((cur) => ({ ...cur, [k]: v }))} />
      </div>
      <div className={styles.row}>
        <Button appearance="primary" type="submit" disabled={busy}>
          {t('conn.save')}
        </Button>
        <Button onClick={onCancel}>{t('people.cancel')}</Button>
      </div>
      <ErrorBar error={error} />
    </form>
  );
}
