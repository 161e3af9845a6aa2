import { useState, type ReactNode } from 'react';
import { Badge, Button, Checkbox, Field, Input, Subtitle1, Textarea } from '@fluentui/react-components';
import type { GroupView, UserView } from '../api.js';
import { useConsole, useLoad, when } from '../context.js';
import { ErrorBar, Loading, Notice, RefreshButton, run, useStyles } from '../components.js';

interface ImportReport {
  applied: boolean;
  counts: { create: number; update: number; unchanged: number; error: number };
  rows: { line: number; email: string; action: 'create' | 'update' | 'unchanged' | 'error'; changes: { field: string; from: string; to: string }[]; errors: { column: string; message: string }[] }[];
}

interface ApiKey {
  id: string;
  name: string;
  user: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

const SCOPES = ['packs:read', 'packs:write', 'templates:personal', 'people:read', 'people:write', 'keys:manage', 'audit:read', 'crm:read', 'crm:write', 'sends:write', 'company:write'];

/** People: users and groups, CSV import with a dry run, API keys (shown once, revocable). */
export default function PeopleView(): ReactNode {
  const { api, t } = useConsole();
  const styles = useStyles();
  const users = useLoad(() => api.get<{ users: UserView[] }>('/users'), []);
  const groups = useLoad(() => api.get<{ groups: GroupView[] }>('/groups'), []);
  const [newGroup, setNewGroup] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const reload = () => {
    users.reload();
    groups.reload();
  };
  return (
    <div>
      <section className={styles.section} aria-labelledby="users-title">
        <div className={styles.row}>
          <Subtitle1 id="users-title">{t('people.users')}</Subtitle1>
          <RefreshButton onClick={reload} />
          <Loading loading={users.loading} />
        </div>
        <ErrorBar error={users.error} />
        <table className={styles.table}>
          <thead>
            <tr>
              <th>{t('people.email')}</th>
              <th>{t('people.name')}</th>
              <th>{t('people.role')}</th>
              <th>{t('people.groups')}</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.users.map((u) => (
              <tr key={u.id}>
                <td>{u.email}</td>
                <td>
                  {u.name}
                  {u.title ? ` — ${u.title}` : ''} {u.disabled && <Badge color="subtle">{t('people.disabled')}</Badge>}
                </td>
                <td>{u.role}</td>
                <td>{u.groups.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className={styles.section} aria-labelledby="groups-title">
        <Subtitle1 id="groups-title">{t('people.groups')}</Subtitle1>
        <table className={styles.table}>
          <tbody>
            {groups.data?.groups.map((g) => (
              <tr key={g.id}>
                <td>
                  <strong>{g.slug}</strong> {g.name !== g.slug ? `(${g.name})` : ''}
                </td>
                <td>{g.members.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className={styles.row}>
          <Field label={t('people.newGroup')}>
            <Input value={newGroup} onChange={(_e, d) => setNewGroup(d.value)} />
          </Field>
          <Button disabled={busy || !newGroup.trim()} onClick={() => void run(setBusy, setError, async () => { await api.post('/groups', { slug: newGroup.trim() }); setNewGroup(''); groups.reload(); })}>
            {t('people.createGroup')}
          </Button>
        </div>
        <ErrorBar error={error} />
      </section>

      <CsvImport onApplied={reload} />
      <ApiKeys />
    </div>
  );
}

function CsvImport({ onApplied }: { onApplied: () => void }): ReactNode {
  const { api, t } = useConsole();
  const styles = useStyles();
  const [csv, setCsv] = useState('');
  const [report, setReport] = useState<ImportReport>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const submit = (apply: boolean) =>
    run(setBusy, setError, async () => {
      const result = await api.post<ImportReport>('/admin/people/import', { csv, apply });
      setReport(result);
      if (apply) onApplied();
    });
  return (
    <section className={styles.section} aria-labelledby="import-title">
      <Subtitle1 id="import-title">{t('people.import')}</Subtitle1>
      <span>{t('people.importHelp')}</span>
      <input type="file" accept=".csv,text/csv" data-testid="csv-file" onChange={(e) => void e.target.files?.[0]?.text().then((text) => { setCsv(text); setReport(undefined); })} />
      <Field label={t('people.csv')}>
        <Textarea textarea={{ className: styles.mono, spellCheck: false }} value={csv} onChange={(_e, d) => { setCsv(d.value); setReport(undefined); }} resize="vertical" data-testid="csv-text" />
      </Field>
      <div className={styles.row}>
        <Button appearance="primary" disabled={busy || !csv.trim()} onClick={() => void submit(false)}>
          {t('people.dryRun')}
        </Button>
        <Button disabled={busy || !report || report.applied || report.counts.error > 0} onClick={() => void submit(true)}>
          {t('people.apply')}
        </Button>
      </div>
      <ErrorBar error={error} />
      {report && (
        <div data-testid="import-report">
          <Notice intent={report.counts.error ? 'warning' : report.applied ? 'success' : 'info'}>{report.applied ? t('people.applied', report.counts) : t('people.report', report.counts)}</Notice>
          <table className={styles.table}>
            <thead>
              <tr>
                <th>{t('people.line')}</th>
                <th>{t('people.email')}</th>
                <th>{t('people.action')}</th>
                <th>{t('people.details')}</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={r.line}>
                  <td>{r.line}</td>
                  <td>{r.email}</td>
                  <td>
                    <Badge color={r.action === 'error' ? 'danger' : r.action === 'unchanged' ? 'subtle' : 'brand'}>{r.action}</Badge>
                  </td>
                  <td className={r.action === 'error' ? styles.bad : undefined}>
                    {r.errors.map((e) => `${e.column}: ${e.message}`).join('; ')}
                    {r.changes.map((c) => `${c.field}: "${c.from}" → "${c.to}"`).join('; ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ApiKeys(): ReactNode {
  const { api, t, language, me } = useConsole();
  const styles = useStyles();
  const keys = useLoad(() => api.get<{ keys: ApiKey[] }>('/api-keys'), []);
  const [name, setName] = useState('');
  const [user, setUser] = useState(me.user.email);
  const [scopes, setScopes] = useState<string[]>(['packs:read']);
  const [created, setCreated] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <section className={styles.section} aria-labelledby="keys-title">
      <Subtitle1 id="keys-title">{t('keys.title')}</Subtitle1>
      <ErrorBar error={keys.error} />
      <table className={styles.table}>
        <tbody>
          {keys.data?.keys.map((k) => (
            <tr key={k.id}>
              <td>
                <strong>{k.name}</strong> ({k.user})
              </td>
              <td className={styles.mono}>{k.scopes.join(' ')}</td>
              <td>
                {k.createdBy}, {when(k.createdAt, language)}
              </td>
              <td>
                {k.revoked ? (
                  <Badge color="subtle">{t('keys.revoked')}</Badge>
                ) : (
                  <Button size="small" disabled={busy} onClick={() => void run(setBusy, setError, async () => { await api.delete(`/api-keys/${encodeURIComponent(k.id)}`); keys.reload(); })}>
                    {t('keys.revoke')}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className={styles.row}>
        <Field label={t('keys.name')}>
          <Input value={name} onChange={(_e, d) => setName(d.value)} />
        </Field>
        <Field label={t('keys.user')}>
          <Input value={user} onChange={(_e, d) => setUser(d.value)} />
        </Field>
      </div>
      <fieldset>
        <legend>{t('keys.scopes')}</legend>
        {SCOPES.map((s) => (
          <Checkbox key={s} label={s} checked={scopes.includes(s)} onChange={(_e, d) => setScopes((cur) => (d.checked ? [...cur, s] : cur.filter((x) => x !== s)))} />
        ))}
      </fieldset>
      <div>
        <Button
          appearance="primary"
          disabled={busy || !name.trim() || scopes.length === 0}
          onClick={() =>
            void run(setBusy, setError, async () => {
              const key = await api.post<{ key: string }>('/api-keys', { name: name.trim(), user: user.trim(), scopes });
              setCreated(key.key);
              setName('');
              keys.reload();
            })
          }
        >
          {t('keys.create')}
        </Button>
      </div>
      <ErrorBar error={error} />
      {created && (
        <Notice intent="warning">
          {t('keys.shownOnce')} <code className={styles.mono}>{created}</code>
        </Notice>
      )}
    </section>
  );
}
