import { useState, type ReactNode } from 'react';
import { Badge, Button, Checkbox, Field, Input, Select, Subtitle1, Textarea } from '@fluentui/react-components';
import type { DirectorySourcePut, DirectorySourceState, DirectorySyncReport, GroupList, GroupView, UserDisableResult, UserList, UserView } from '../../contract/people.js';
import type { ImportReport } from '../../contract/console.js';
import type { ApiKeyList, CreatedKey } from '../../contract/admin.js';
import { useConsole, useLoad, when } from '../context.js';
import { ErrorBar, Loading, Notice, RefreshButton, run, useStyles } from '../components.js';

const SCOPES = ['packs:read', 'packs:write', 'templates:personal', 'people:read', 'people:write', 'keys:manage', 'audit:read', 'crm:read', 'crm:write', 'sends:write', 'company:write'];

/** People: users and groups, CSV import with a dry run, API keys (shown once, revocable). */
export default function PeopleView(): ReactNode {
  const { api, t, me } = useConsole();
  const styles = useStyles();
  const users = useLoad(() => api.get<UserList>('/users'), []);
  const groups = useLoad(() => api.get<GroupList>('/groups'), []);
  const [newGroup, setNewGroup] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  // The person being added ('new') or edited, and the one whose disabling waits for confirmation.
  const [editing, setEditing] = useState<UserView | 'new'>();
  const [disabling, setDisabling] = useState<UserView>();
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string>();
  // Disabling revokes keys: the key list below loads again after it.
  const [keysVersion, setKeysVersion] = useState(0);
  const reload = async () => {
    setKeysVersion((n) => n + 1);
    await Promise.all([users.reload(), groups.reload()]);
  };
  const roleName = (role: UserView['role']) => t(role === 'admin' ? 'people.roleAdmin' : 'people.roleRep');
  const enable = (u: UserView) =>
    void run(setBusy, setError, async () => {
      await api.post<UserView>(`/users/${encodeURIComponent(u.id)}/enable`);
      await reload();
      setDone(t('people.enabledDone', { email: u.email }));
    });
  const disable = (u: UserView) =>
    void run(setBusy, setError, async () => {
      const r = await api.post<UserDisableResult>(`/users/${encodeURIComponent(u.id)}/disable`, reason.trim() ? { reason: reason.trim() } : {});
      setDisabling(undefined);
      setReason('');
      await reload();
      setDone(t('people.disabledDone', { email: u.email, keys: r.revokedKeys, sends: r.stoppedSends }));
    });
  return (
    <div>
      <section className={styles.section} aria-labelledby="users-title">
        <div className={styles.row}>
          <Subtitle1 id="users-title">{t('people.users')}</Subtitle1>
          <Button appearance="primary" onClick={() => { setEditing('new'); setDone(undefined); }}>
            {t('people.add')}
          </Button>
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
              <th>{t('people.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.users.map((u) => (
              <tr key={u.id} data-testid={`user-${u.email}`}>
                <td>{u.email}</td>
                <td>
                  {u.name}
                  {u.title ? ` — ${u.title}` : ''} {u.disabled && <Badge color="danger">{t('people.disabled')}</Badge>}
                </td>
                <td>{roleName(u.role)}</td>
                <td>{u.groups.join(', ')}</td>
                <td>
                  <div className={styles.row}>
                    <Button size="small" aria-label={t('people.editOf', { email: u.email })} onClick={() => { setEditing(u); setDone(undefined); }}>
                      {t('people.edit')}
                    </Button>
                    {u.disabled ? (
                      <Button size="small" disabled={busy} aria-label={t('people.enableOf', { email: u.email })} onClick={() => enable(u)}>
                        {t('people.enable')}
                      </Button>
                    ) : (
                      u.id !== me.user.id && (
                        <Button size="small" disabled={busy} aria-label={t('people.disableOf', { email: u.email })} onClick={() => { setDisabling(u); setReason(''); setDone(undefined); }}>
                          {t('people.disable')}
                        </Button>
                      )
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {disabling && (
          <div className={styles.section} role="group" aria-label={t('people.disableOf', { email: disabling.email })} data-testid="disable-confirm">
            <Notice intent="warning">{t('people.disableWarning', { email: disabling.email })}</Notice>
            <div className={styles.row}>
              <Field label={t('people.reason')}>
                <Input value={reason} maxLength={200} onChange={(_e, d) => setReason(d.value)} />
              </Field>
              <Button appearance="primary" disabled={busy} onClick={() => disable(disabling)}>
                {t('people.disableConfirm', { email: disabling.email })}
              </Button>
              <Button onClick={() => setDisabling(undefined)}>{t('people.cancel')}</Button>
            </div>
          </div>
        )}
        {done && <Notice>{done}</Notice>}
        {editing && (
          <PersonForm
            key={editing === 'new' ? 'new' : editing.id}
            person={editing === 'new' ? undefined : editing}
            groups={groups.data?.groups ?? []}
            onDone={(message) => { setEditing(undefined); void reload().then(() => setDone(message)); }}
            onCancel={() => setEditing(undefined)}
          />
        )}
        <ErrorBar error={error} />
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
      </section>

      <DirectorySync onApplied={reload} />
      <CsvImport onApplied={reload} />
      <ApiKeys version={keysVersion} />
    </div>
  );
}

// The fields directory sync may set (core/people/directory.ts); the console only names them.
const DIRECTORY_FIELDS = ['name', 'title', 'department', 'phone', 'mobile'] as const;

const PROFILE = ['title', 'department', 'phone', 'mobile', 'whatsapp', 'wechat', 'timeZone'] as const;
type ProfileKey = (typeof PROFILE)[number];

/** Add a person, or edit one: the profile fields signatures use, language, role and groups. */
function PersonForm({ person, groups, onDone, onCancel }: { person: UserView | undefined; groups: GroupView[]; onDone: (message: string) => void; onCancel: () => void }): ReactNode {
  const { api, t } = useConsole();
  const styles = useStyles();
  const [email, setEmail] = useState(person?.email ?? '');
  const [name, setName] = useState(person?.name ?? '');
  const [profile, setProfile] = useState<Record<ProfileKey, string>>(() => Object.fromEntries(PROFILE.map((k) => [k, person?.[k] ?? ''])) as Record<ProfileKey, string>);
  const [locale, setLocale] = useState(person?.locale ?? '');
  const [role, setRole] = useState<UserView['role']>(person?.role ?? 'rep');
  const [member, setMember] = useState<string[]>(person?.groups ?? []);
  const [pinned, setPinned] = useState<string[]>(person?.pinned ?? []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const save = () =>
    void run(setBusy, setError, async () => {
      // Blank fields are sent as null: the store clears them rather than keeping an empty line.
      const fields = Object.fromEntries(PROFILE.map((k) => [k, profile[k].trim() || null]));
      const body = { name: name.trim(), ...fields, locale: locale || null, role, groups: member };
      if (person) {
        await api.patch<UserView>(`/users/${encodeURIComponent(person.id)}`, { ...body, pinned });
        onDone(t('people.saved', { email: person.email }));
      } else {
        const created = await api.post<UserView>('/users', { email: email.trim(), ...body });
        onDone(t('people.added', { email: created.email }));
      }
    });
  const title = person ? t('people.editOf', { email: person.email }) : t('people.add');
  return (
    <form className={styles.section} aria-label={title} data-testid="person-form" onSubmit={(e) => { e.preventDefault(); save(); }}>
      <Subtitle1>{title}</Subtitle1>
      <div className={styles.row}>
        {!person && (
          <Field label={t('people.email')} required>
            <Input type="email" value={email} onChange={(_e, d) => setEmail(d.value)} />
          </Field>
        )}
        <Field label={t('people.name')} required>
          <Input value={name} onChange={(_e, d) => setName(d.value)} />
        </Field>
        {PROFILE.map((k) => (
          <Field key={k} label={t(`people.field.${k}`)} hint={k === 'timeZone' ? t('people.timeZoneHint') : undefined}>
            <Input value={profile[k]} onChange={(_e, d) => setProfile((cur) => ({ ...cur, [k]: d.value }))} />
          </Field>
        ))}
        <Field label={t('people.field.locale')}>
          <Select value={locale} onChange={(_e, d) => setLocale(d.value)}>
            <option value="">{t('people.localeAuto')}</option>
            <option value="en">{t('people.localeEn')}</option>
            <option value="zh-CN">{t('people.localeZh')}</option>
          </Select>
        </Field>
        <Field label={t('people.role')}>
          <Select value={role} onChange={(_e, d) => setRole(d.value as UserView['role'])}>
            <option value="rep">{t('people.roleRep')}</option>
            <option value="admin">{t('people.roleAdmin')}</option>
          </Select>
        </Field>
      </div>
      <fieldset>
        <legend>{t('people.groups')}</legend>
        {groups.length === 0 && <span>{t('people.noGroups')}</span>}
        {groups.map((g) => (
          <Checkbox key={g.id} label={g.name !== g.slug ? `${g.slug} (${g.name})` : g.slug} checked={member.includes(g.slug)} onChange={(_e, d) => setMember((cur) => (d.checked ? [...cur, g.slug] : cur.filter((x) => x !== g.slug)))} />
        ))}
      </fieldset>
      {person && (
        <fieldset>
          <legend>{t('people.pinned')}</legend>
          {DIRECTORY_FIELDS.map((f) => (
            <Checkbox key={f} label={t(`people.pin.${f}`)} checked={pinned.includes(f)} onChange={(_e, d) => setPinned((cur) => (d.checked ? [...cur, f] : cur.filter((x) => x !== f)))} />
          ))}
        </fieldset>
      )}
      <div className={styles.row}>
        <Button appearance="primary" type="submit" disabled={busy || !name.trim() || (!person && !email.trim())}>
          {t('people.save')}
        </Button>
        <Button onClick={onCancel}>{t('people.cancel')}</Button>
      </div>
      <ErrorBar error={error} />
    </form>
  );
}

/** Directory sync: the source (Entra ID with its secret written once, or Google Workspace through the store's delegation), then a dry run and apply like the CSV import. */
function DirectorySync({ onApplied }: { onApplied: () => void }): ReactNode {
  const { api, t, language } = useConsole();
  const styles = useStyles();
  const state = useLoad(() => api.get<DirectorySourceState>('/admin/directory'), []);
  const source = state.data?.source ?? null;
  const [chosen, setProvider] = useState<'entra' | 'google'>();
  const provider = chosen ?? source?.provider ?? 'entra';
  const same = source?.provider === provider ? source : null;
  const [tenantId, setTenantId] = useState('');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [adminEmail, setAdminEmail] = useState('');
  const [customer, setCustomer] = useState('');
  const [report, setReport] = useState<DirectorySyncReport>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const googleBlocked = provider === 'google' && state.data?.googleDelegation === false;
  const body: DirectorySourcePut =
    provider === 'entra'
      ? { provider, tenantId: (tenantId || same?.tenantId || '').trim(), clientId: (clientId || same?.clientId || '').trim(), ...(secret.trim() ? { clientSecret: secret.trim() } : {}) }
      : { provider, adminEmail: (adminEmail || same?.adminEmail || '').trim(), ...((customer || same?.customer || '').trim() ? { customer: (customer || same?.customer || '').trim() } : {}) };
  const ready = provider === 'entra' ? Boolean(body.tenantId && body.clientId && (same?.secretSet || secret.trim())) : Boolean(body.adminEmail) && !googleBlocked;
  const saveSource = () =>
    void run(setBusy, setError, async () => {
      await api.request('PUT', '/admin/directory', body);
      setSecret('');
      setProvider(undefined);
      state.reload();
    });
  const sync = (apply: boolean) =>
    void run(setBusy, setError, async () => {
      setReport(await api.post<DirectorySyncReport>('/admin/directory/sync', { apply }));
      state.reload();
      if (apply) onApplied();
    });
  const change = (c: { field: string; from: string | null; to: string }) => `${t(`people.pin.${c.field}` as 'people.pin.name')}: "${c.from ?? ''}" → "${c.to}"`;
  return (
    <section className={styles.section} aria-labelledby="directory-title" data-testid="directory-sync">
      <Subtitle1 id="directory-title">{t('dir.title')}</Subtitle1>
      <span>{t('dir.intro')}</span>
      <ErrorBar error={state.error} />
      <Field label={t('dir.provider')} hint={t(provider === 'entra' ? 'dir.entraHelp' : 'dir.googleHelp')}>
        <Select value={provider} onChange={(_e, d) => setProvider(d.value as 'entra' | 'google')}>
          <option value="entra">{t('dir.provider.entra')}</option>
          <option value="google">{t('dir.provider.google')}</option>
        </Select>
      </Field>
      {googleBlocked && <Notice intent="warning">{t('dir.googleUnavailable')}</Notice>}
      <div className={styles.row}>
        {provider === 'entra' ? (
          <>
            <Field label={t('conn.field.tenantId')}>
              <Input value={tenantId} placeholder={same?.tenantId ?? ''} onChange={(_e, d) => setTenantId(d.value)} />
            </Field>
            <Field label={t('conn.field.clientId')}>
              <Input value={clientId} placeholder={same?.clientId ?? ''} onChange={(_e, d) => setClientId(d.value)} />
            </Field>
            <Field label={t('conn.field.clientSecret')} hint={same?.secretSet ? t('dir.secretSet') : t('conn.secretHint')}>
              <Input type="password" autoComplete="new-password" value={secret} onChange={(_e, d) => setSecret(d.value)} />
            </Field>
          </>
        ) : (
          <>
            <Field label={t('dir.adminEmail')} hint={t('dir.adminEmailHint')}>
              <Input type="email" value={adminEmail} placeholder={same?.adminEmail ?? ''} disabled={googleBlocked} onChange={(_e, d) => setAdminEmail(d.value)} />
            </Field>
            <Field label={t('dir.customer')} hint={t('dir.customerHint')}>
              <Input value={customer} placeholder={same?.customer ?? 'my_customer'} disabled={googleBlocked} onChange={(_e, d) => setCustomer(d.value)} />
            </Field>
          </>
        )}
        <Button disabled={busy || !ready} onClick={saveSource}>
          {t('dir.saveSource')}
        </Button>
      </div>
      {source && (
        <>
          <span>{source.lastRunAt ? t('dir.lastRun', { when: when(source.lastRunAt, language), update: source.lastSummary?.update ?? 0, unchanged: source.lastSummary?.unchanged ?? 0 }) : t('dir.neverRun')}</span>
          <div className={styles.row}>
            <Button appearance="primary" disabled={busy} onClick={() => sync(false)}>
              {t('people.dryRun')}
            </Button>
            <Button disabled={busy || !report || report.applied || report.counts.update === 0} onClick={() => sync(true)}>
              {t('dir.apply')}
            </Button>
          </div>
        </>
      )}
      <ErrorBar error={error} />
      {report && (
        <div data-testid="directory-report">
          <Notice intent={report.applied ? 'success' : 'info'}>{t(report.applied ? 'dir.applied' : 'dir.report', report.counts)}</Notice>
          <table className={styles.table}>
            <tbody>
              {report.people
                .filter((p) => p.action !== 'unchanged')
                .map((p) => (
                  <tr key={p.email}>
                    <td>{p.email}</td>
                    <td>
                      <Badge color={p.action === 'update' ? 'brand' : 'subtle'}>{t(p.action === 'update' ? 'dir.update' : 'dir.missing')}</Badge>
                    </td>
                    <td>
                      {p.changes.map((c) => (
                        <div key={c.field}>{change(c)}</div>
                      ))}
                      {p.kept.map((c) => (
                        <div key={c.field} className={styles.same}>
                          {t('dir.kept', { change: change(c) })}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
          {report.notHere.length > 0 && <span>{t('dir.notHere', { list: report.notHere.join(', ') })}</span>}
        </div>
      )}
    </section>
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

function ApiKeys({ version }: { version: number }): ReactNode {
  const { api, t, language, me } = useConsole();
  const styles = useStyles();
  const keys = useLoad(() => api.get<ApiKeyList>('/api-keys'), [version]);
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
              const key = await api.post<CreatedKey>('/api-keys', { name: name.trim(), user: user.trim(), scopes });
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
