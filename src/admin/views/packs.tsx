import { Suspense, lazy, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Badge, Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, Select, Spinner, Subtitle1, Subtitle2 } from '@fluentui/react-components';
import { diffLines } from 'diff';
import { query } from '../api.js';
import type { PackDetail, PackList, PushResult } from '../../contract/packs.js';
import type { DraftCheck, TemplatePreview } from '../../contract/console.js';
import type { UserList, UserView } from '../../contract/people.js';
import { useConsole, useLoad, when } from '../context.js';
import { ErrorBar, Loading, Notice, RefreshButton, run, useStyles } from '../components.js';
import type { Translate } from '../i18n/index.js';

// CodeMirror is the heaviest part of the console: its own chunk, loaded when the Packs view opens.
const PackEditor = lazy(() => import(/* webpackChunkName: "admin-pack-editor" */ './pack-editor.js'));

/** What publishing or rolling back will change, shown before it is done. */
interface Pending {
  title: string;
  lead: string;
  groups: string[];
  confirm: string;
  action: () => Promise<unknown>;
}

/** '*' is everyone; the admin reads that, not the wildcard. */
const groupName = (t: Translate, g: string) => (g === '*' ? t('packs.everyone') : g);

/** The confirmation before a publish or a roll-back: which groups, then yes or cancel. */
function Confirm({ pending, onClose }: { pending: Pending | undefined; onClose: () => void }): ReactNode {
  const { t } = useConsole();
  const [busy, setBusy] = useState(false);
  return (
    <Dialog open={!!pending} onOpenChange={(_e, d) => !d.open && onClose()} modalType="alert">
      <DialogSurface data-testid="pack-confirm">
        <DialogBody>
          <DialogTitle>{pending?.title}</DialogTitle>
          <DialogContent>
            <p>{pending?.lead}</p>
            <ul data-testid="pack-confirm-groups">
              {pending?.groups.map((g) => (
                <li key={g}>{g}</li>
              ))}
            </ul>
          </DialogContent>
          <DialogActions>
            <Button
              appearance="primary"
              disabled={busy}
              onClick={() => {
                const action = pending!.action;
                setBusy(true);
                void action().finally(() => {
                  setBusy(false);
                  onClose();
                });
              }}
            >
              {pending?.confirm}
            </Button>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/**
 * Packs: write or upload a pack, check it (each problem at its line), preview every template in
 * every language and every signature for any rep, compare with what is published, store it,
 * publish it to groups, roll back — with the history of who did what and when.
 */
export default function PacksView(): ReactNode {
  const { api, t } = useConsole();
  const styles = useStyles();
  const packs = useLoad(() => api.get<PackList>('/packs'), []);
  const users = useLoad(() => api.get<UserList>('/users'), []);
  const [open, setOpen] = useState<string | null>(null);
  const [source, setSource] = useState('');
  const [fileName, setFileName] = useState<string | undefined>();
  const [check, setCheck] = useState<DraftCheck>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [checkedSource, setCheckedSource] = useState<string>();
  const [target, setTarget] = useState<{ line: number; column: number }>();
  const [pending, setPending] = useState<Pending>();
  // The text last sent to be checked (by the button or the pause in typing), so the same text is not checked twice.
  const asked = useRef<string>();
  const detail = useLoad(() => (open ? api.get<PackDetail>(`/packs/${encodeURIComponent(open)}`) : Promise.resolve(undefined)), [open]);

  const openPack = async (slug: string) => {
    await run(setBusy, setError, async () => {
      const text = await api.request<string>('GET', `/packs/${encodeURIComponent(slug)}/export`);
      setOpen(slug);
      setSource(typeof text === 'string' ? text : JSON.stringify(text, null, 2));
      setFileName(undefined);
      setCheck(undefined);
      setCheckedSource(undefined);
      asked.current = undefined;
      setNotice(undefined);
    });
  };

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setSource(await file.text());
    setFileName(file.name);
    setCheck(undefined);
    asked.current = undefined;
  };

  /** `quiet`: the check of a pause in typing, which must not disable the buttons under the admin's pointer. */
  const doCheck = (text = source, quiet = false) => {
    asked.current = text;
    return run(quiet ? () => undefined : setBusy, setError, async () => {
      const result = await api.post<DraftCheck>('/admin/packs/check', { source: text, ...(fileName ? { fileName } : {}) });
      setCheck(result);
      setCheckedSource(text);
    });
  };
  // The check of the text as it is now: saving needs it; the markers of an older one stay until the next.
  const current = check && checkedSource === source ? check : undefined;

  const save = (publish: boolean) =>
    run(setBusy, setError, async () => {
      const result = await api.post<PushResult>('/packs', { source, publish, ...(fileName ? { fileName } : {}) });
      setOpen(result.pack);
      await Promise.all([packs.reload(), detail.reload()]);
      setNotice(
        `${result.status === 'created' ? t('packs.pushed', { pack: result.pack, version: result.version }) : t('packs.unchanged', { version: result.version })}${result.publishedTo.length ? ` ${t('packs.publishedTo', { groups: result.publishedTo.join(', ') })}` : ''}`,
      );
    });

  /** Puts the cursor on an issue, so the admin lands where to fix it. */
  const goToLine = (line: number, column = 1) => setTarget({ line, column });

  // Every pause in typing checks the text again: all problems of every stage, as markers.
  useEffect(() => {
    if (!source.trim() || source === checkedSource) return;
    const timer = setTimeout(() => asked.current !== source && void doCheck(source, true), 800);
    return () => clearTimeout(timer);
  }, [source]);

  /** Save-and-publish asks first, naming the groups the pack will reach. */
  const confirmSavePublish = () => {
    const groups = current?.outline?.groups ?? [];
    setPending({ title: t('packs.confirmSaveTitle', { pack: current?.outline?.pack ?? '' }), lead: t('packs.confirmSaveLead'), groups: groups.map((g) => groupName(t, g)), confirm: t('packs.pushPublish'), action: () => save(true) });
  };

  return (
    <div>
      <section className={styles.section} aria-labelledby="packs-title">
        <div className={styles.row}>
          <Subtitle1 id="packs-title">{t('packs.list')}</Subtitle1>
          <RefreshButton onClick={packs.reload} />
          <Loading loading={packs.loading} />
        </div>
        <ErrorBar error={packs.error} />
        <table className={styles.table}>
          <thead>
            <tr>
              <th>{t('packs.list')}</th>
              <th>{t('packs.version')}</th>
              <th>{t('packs.publications')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {packs.data?.packs.map((p) => (
              <tr key={p.pack}>
                <td>
                  <strong>{p.pack}</strong> — {p.title}
                </td>
                <td>{p.latestVersion}</td>
                <td>{p.publications.map((x) => `${x.audience}: v${x.version}`).join(', ') || '—'}</td>
                <td>
                  <Button size="small" onClick={() => void openPack(p.pack)} aria-label={`${t('packs.open')} ${p.pack}`}>
                    {t('packs.open')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div>
          <Button
            onClick={() => {
              setOpen(null);
              setSource('');
              setCheck(undefined);
              setCheckedSource(undefined);
              asked.current = undefined;
              setNotice(undefined);
            }}
          >
            {t('packs.new')}
          </Button>
        </div>
      </section>

      <section className={styles.section} aria-labelledby="editor-title">
        <Subtitle1 id="editor-title">{open ?? t('packs.new')}</Subtitle1>
        <Field label={t('packs.upload')}>
          <input type="file" accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml" data-testid="pack-file" onChange={(e) => void upload(e.target.files?.[0])} />
        </Field>
        <Field label={t('packs.editor')} hint={t('packs.editorHint')}>
          <Suspense fallback={<Spinner size="small" label={t('app.loading')} />}>
            <PackEditor
              value={source}
              onChange={setSource}
              issues={check?.issues ?? []}
              label={t('packs.editor')}
              target={target}
              kinds={{ field: t('packs.kindField'), builtin: t('packs.kindBuiltin'), type: t('packs.kindType'), kind: t('packs.kindKind'), value: t('packs.kindValue') }}
            />
          </Suspense>
        </Field>
        <div className={styles.row}>
          <Button appearance="primary" onClick={() => void doCheck()} disabled={busy || !source.trim()}>
            {t('packs.check')}
          </Button>
          <Button onClick={() => void save(false)} disabled={busy || !current?.ok}>
            {t('packs.push')}
          </Button>
          <Button onClick={confirmSavePublish} disabled={busy || !current?.ok}>
            {t('packs.pushPublish')}
          </Button>
        </div>
        <ErrorBar error={error} />
        {notice && <Notice>{notice}</Notice>}
        {check && <Issues check={check} onGoTo={goToLine} />}
      </section>

      {current?.ok && current.outline && <Preview source={source} fileName={fileName} check={current} users={users.data?.users ?? []} />}
      {current?.ok && open && <Diff pack={open} detail={detail.data} source={source} />}
      {open && detail.data && <History detail={detail.data} onChanged={() => Promise.all([detail.reload(), packs.reload()])} onConfirm={setPending} />}
      {open && detail.data && detail.data.versions.length > 1 && <VersionDiff detail={detail.data} />}
      <Confirm pending={pending} onClose={() => setPending(undefined)} />
    </div>
  );
}

function Issues({ check, onGoTo }: { check: DraftCheck; onGoTo: (line: number, column?: number) => void }): ReactNode {
  const { t } = useConsole();
  const styles = useStyles();
  const errors = check.issues.filter((i) => i.severity === 'error');
  return (
    <div data-testid="pack-issues">
      {check.ok ? <Notice>{t('packs.valid')}</Notice> : <Notice intent="warning">{t('packs.errors', { count: errors.length })}</Notice>}
      {check.issues.length > 0 && (
        <ul>
          {check.issues.map((issue, i) => (
            <li key={i} className={issue.severity === 'error' ? styles.bad : undefined}>
              {issue.line ? (
                <Button appearance="transparent" size="small" onClick={() => onGoTo(issue.line!, issue.column)}>
                  {t('packs.issueAt', { line: issue.line, column: issue.column ?? 1 })}
                </Button>
              ) : null}{' '}
              <Badge appearance="outline" color={issue.severity === 'error' ? 'danger' : 'warning'}>
                {issue.severity}
              </Badge>{' '}
              <span className={styles.mono}>{issue.path}</span>: {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Rendered HTML goes into a sandboxed frame: even sanitised content never runs in the console. */
function HtmlFrame({ html, title }: { html: string; title: string }): ReactNode {
  const styles = useStyles();
  return <iframe title={title} sandbox="" srcDoc={`<!doctype html><meta charset="utf-8"><body style="font:14px system-ui,sans-serif">${html}</body>`} className={styles.preview} style={{ width: '100%', minHeight: '12rem' }} />;
}

function Preview({ source, fileName, check, users }: { source: string; fileName: string | undefined; check: DraftCheck; users: UserView[] }): ReactNode {
  const { api, t, me } = useConsole();
  const styles = useStyles();
  const outline = check.outline!;
  const [template, setTemplate] = useState(outline.templates[0]?.id ?? '');
  const chosen = outline.templates.find((x) => x.id === template);
  const [language, setLanguage] = useState(chosen?.languages[0] ?? outline.defaultLanguage);
  const [user, setUser] = useState(me.user.id);
  const [to, setTo] = useState('');
  const [signature, setSignature] = useState(outline.signatures[0]?.id ?? '');
  const [rendered, setRendered] = useState<TemplatePreview>();
  const [signed, setSigned] = useState<{ html: string; text: string; hash: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (chosen && !chosen.languages.includes(language)) setLanguage(chosen.languages[0] ?? outline.defaultLanguage);
  }, [chosen, language, outline.defaultLanguage]);
  const ref = { source, ...(fileName ? { fileName } : {}) };

  const userSelect = (
    <Field label={t('packs.asUser')}>
      <Select value={user} onChange={(_e, d) => setUser(d.value)}>
        {users.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name} ({u.email})
          </option>
        ))}
      </Select>
    </Field>
  );

  return (
    <section className={styles.section} aria-labelledby="preview-title">
      <Subtitle1 id="preview-title">{t('packs.preview')}</Subtitle1>
      {outline.templates.length > 0 && (
        <>
          <div className={styles.row}>
            <Field label={t('packs.template')}>
              <Select value={template} onChange={(_e, d) => setTemplate(d.value)} data-testid="preview-template">
                {outline.templates.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.title} ({x.id})
                  </option>
                ))}
              </Select>
            </Field>
            <Field label={t('packs.languageOf')}>
              <Select value={language} onChange={(_e, d) => setLanguage(d.value)} data-testid="preview-language">
                {(chosen?.languages ?? []).map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </Select>
            </Field>
            {userSelect}
            <Field label={t('packs.recipient')}>
              <Input type="email" value={to} onChange={(_e, d) => setTo(d.value)} />
            </Field>
            <Button
              appearance="primary"
              disabled={busy || !template}
              onClick={() => void run(setBusy, setError, async () => setRendered(await api.post<TemplatePreview>('/admin/packs/preview', { ...ref, template, language, user, ...(to.trim() ? { to: to.trim() } : {}) })))}
            >
              {t('packs.renderPreview')}
            </Button>
          </div>
          {rendered && (
            <div data-testid="template-preview" lang={rendered.language}>
              <Subtitle2>
                {t('packs.subject')}: <span data-testid="preview-subject">{rendered.subject}</span>
              </Subtitle2>
              {rendered.missing.length > 0 && <Notice intent="warning">{t('packs.missing', { names: rendered.missing.map((m) => m.label ?? m.name).join(', ') })}</Notice>}
              {rendered.html && <HtmlFrame title={`${template} ${rendered.language}`} html={rendered.html} />}
            </div>
          )}
        </>
      )}
      {outline.signatures.length > 0 && (
        <div className={styles.row}>
          <Field label={t('packs.signature')}>
            <Select value={signature} onChange={(_e, d) => setSignature(d.value)}>
              {outline.signatures.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </Select>
          </Field>
          {userSelect}
          <Button disabled={busy} onClick={() => void run(setBusy, setError, async () => setSigned(await api.post('/admin/packs/preview-signature', { ...ref, signature, user })))}>
            {t('packs.renderSignature')}
          </Button>
        </div>
      )}
      {signed && (
        <div data-testid="signature-preview">
          <HtmlFrame title={signature} html={signed.html} />
          <pre className={styles.mono}>{signed.text}</pre>
        </div>
      )}
      <ErrorBar error={error} />
    </section>
  );
}

/** The draft against the highest version that is published anywhere, line by line. */
function Diff({ pack, detail, source }: { pack: string; detail: PackDetail | undefined; source: string }): ReactNode {
  const { api, t } = useConsole();
  const styles = useStyles();
  const published = detail && detail.pack === pack ? Math.max(0, ...detail.publications.map((p) => p.version)) : 0;
  const base = useLoad(() => (published ? api.request<string>('GET', `/packs/${encodeURIComponent(pack)}/export${query({ version: published })}`) : Promise.resolve(null)), [pack, published]);
  return (
    <section className={styles.section} aria-labelledby="diff-title" data-testid="pack-diff">
      <Subtitle1 id="diff-title">
        {t('packs.diff')} {published ? `(v${published})` : ''}
      </Subtitle1>
      <ErrorBar error={base.error} />
      {!published && <span>{t('packs.diffNothing')}</span>}
      {published > 0 && typeof base.data === 'string' && <DiffLines before={base.data} after={source} />}
    </section>
  );
}

/** Two texts line by line: removed lines red with "-", added green with "+", long unchanged runs shortened. */
function DiffLines({ before, after }: { before: string; after: string }): ReactNode {
  const { t } = useConsole();
  const styles = useStyles();
  const parts = useMemo(() => diffLines(before, after), [before, after]);
  if (parts.every((p) => !p.added && !p.removed)) return <span>{t('packs.diffNone')}</span>;
  return (
    <div className={styles.mono}>
      {parts.map((p, i) => {
        const lines = p.value.replace(/\n$/, '').split('\n');
        // Unchanged runs shrink to their edges: the changes are what matter.
        const shown = !p.added && !p.removed && lines.length > 6 ? [...lines.slice(0, 2), `… ${lines.length - 4} …`, ...lines.slice(-2)] : lines;
        return (
          <pre key={i} className={p.added ? styles.added : p.removed ? styles.removed : styles.same}>
            {shown.map((l) => `${p.added ? '+ ' : p.removed ? '- ' : '  '}${l}`).join('\n')}
          </pre>
        );
      })}
    </div>
  );
}

/** Any stored version against any other: what changed between v2 and v5. */
function VersionDiff({ detail }: { detail: PackDetail }): ReactNode {
  const { api, t } = useConsole();
  const styles = useStyles();
  const versions = detail.versions.map((v) => v.version);
  const [to, setTo] = useState(versions[0]!);
  const [from, setFrom] = useState(versions[1]!);
  const text = (version: number) => api.request<string>('GET', `/packs/${encodeURIComponent(detail.pack)}/export${query({ version })}`);
  const texts = useLoad(() => Promise.all([text(from), text(to)]), [detail.pack, from, to]);
  const pick = (label: string, value: number, set: (v: number) => void, testId: string) => (
    <Field label={label}>
      <Select value={String(value)} onChange={(_e, d) => set(Number(d.value))} data-testid={testId}>
        {versions.map((v) => (
          <option key={v} value={v}>
            v{v}
          </option>
        ))}
      </Select>
    </Field>
  );
  return (
    <section className={styles.section} aria-labelledby="version-diff-title" data-testid="version-diff">
      <Subtitle1 id="version-diff-title">{t('packs.compare')}</Subtitle1>
      <div className={styles.row}>
        {pick(t('packs.compareFrom'), from, setFrom, 'compare-from')}
        {pick(t('packs.compareTo'), to, setTo, 'compare-to')}
      </div>
      <ErrorBar error={texts.error} />
      {texts.data && typeof texts.data[0] === 'string' && typeof texts.data[1] === 'string' && <DiffLines before={texts.data[0]} after={texts.data[1]} />}
    </section>
  );
}

function History({ detail, onChanged, onConfirm }: { detail: PackDetail; onChanged: () => Promise<unknown>; onConfirm: (pending: Pending) => void }): ReactNode {
  const { api, t, language } = useConsole();
  const styles = useStyles();
  const [groups, setGroups] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const publish = (version: number) =>
    run(setBusy, setError, async () => {
      const list = groups.split(',').map((g) => g.trim()).filter(Boolean);
      const summary = await api.post<PackDetail>(`/packs/${encodeURIComponent(detail.pack)}/publish`, { version, ...(list.length ? { groups: list } : {}) });
      await onChanged();
      setNotice(t('packs.publishedTo', { groups: summary.publications.map((p) => `${p.audience}: v${p.version}`).join(', ') }));
    });
  const rollback = (version: number) =>
    run(setBusy, setError, async () => {
      await api.post(`/packs/${encodeURIComponent(detail.pack)}/rollback`, { version });
      await onChanged();
      setNotice(t('packs.rolledBack', { pack: detail.pack, version }));
    });
  // Publishing goes to the typed groups, else to those the version names; roll-back to every group that has the pack.
  const askPublish = (version: number) => {
    const list = groups.split(',').map((g) => g.trim()).filter(Boolean);
    const targets = list.length ? list : (detail.versions.find((v) => v.version === version)?.groups ?? []);
    const has = new Map(detail.publications.map((p) => [p.audience, p.version]));
    onConfirm({
      title: t('packs.confirmPublishTitle', { pack: detail.pack, version }),
      lead: t('packs.confirmPublishLead', { version }),
      groups: targets.map((g) => t('packs.groupChange', { group: groupName(t, g), from: has.has(g) ? t('packs.versionN', { version: has.get(g)! }) : t('packs.nothing'), to: t('packs.versionN', { version }) })),
      confirm: t('packs.publish'),
      action: () => publish(version),
    });
  };
  const askRollback = (version: number) =>
    onConfirm({
      title: t('packs.confirmRollbackTitle', { pack: detail.pack, version }),
      lead: t('packs.confirmRollbackLead', { version }),
      groups: detail.publications.map((p) => t('packs.groupChange', { group: groupName(t, p.audience), from: t('packs.versionN', { version: p.version }), to: t('packs.versionN', { version }) })),
      confirm: t('packs.rollback'),
      action: () => rollback(version),
    });
  return (
    <section className={styles.section} aria-labelledby="history-title" data-testid="pack-history">
      <Subtitle1 id="history-title">{t('packs.history')}</Subtitle1>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>{t('packs.audience')}</th>
            <th>{t('packs.version')}</th>
            <th>{t('common.who')}</th>
            <th>{t('common.when')}</th>
          </tr>
        </thead>
        <tbody>
          {detail.publications.map((p) => (
            <tr key={p.audience}>
              <td>{p.audience}</td>
              <td>v{p.version}</td>
              <td>{p.publishedBy}</td>
              <td>{when(p.publishedAt, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Field label={t('packs.publishGroups')}>
        <Input value={groups} onChange={(_e, d) => setGroups(d.value)} />
      </Field>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>{t('packs.version')}</th>
            <th>{t('common.who')}</th>
            <th>{t('common.when')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {detail.versions.map((v) => (
            <tr key={v.version}>
              <td>v{v.version}</td>
              <td>{v.pushedBy}</td>
              <td>{when(v.pushedAt, language)}</td>
              <td>
                <Button size="small" disabled={busy} onClick={() => askPublish(v.version)} aria-label={`${t('packs.publish')} v${v.version}`}>
                  {t('packs.publish')}
                </Button>{' '}
                <Button size="small" disabled={busy || detail.publications.length === 0} onClick={() => askRollback(v.version)} aria-label={`${t('packs.rollback')} v${v.version}`}>
                  {t('packs.rollback')}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorBar error={error} />
      {notice && <Notice>{notice}</Notice>}
    </section>
  );
}
