import { useState, type ReactNode } from 'react';
import { Button, Caption1, Field, Input, Select, Subtitle1 } from '@fluentui/react-components';
import { query } from '../api.js';
import type { AuditEntry, AuditList } from '../../contract/admin.js';
import { AUDIT_AREAS, auditCsv, auditSentence } from '../../core/audit/sentence.js';
import { useConsole, useLoad, when } from '../context.js';
import { ErrorBar, Loading, RefreshButton, run, useStyles } from '../components.js';
import type { MessageKey } from '../i18n/index.js';

const PAGE = 100;
/** The export reads at most this many pages of 500: a year of a busy company, not an unbounded loop. */
const EXPORT_PAGES = 40;

/** A date input's day (the admin's local day) as the instant it starts, and the start of the next day for "until". */
function dayStart(day: string, next = false): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d! + (next ? 1 : 0)).toISOString();
}

/**
 * Every admin action as a sentence ("Wang Fang published demo-export v3 to sales-eu"), newest
 * first, filtered by who, what and when; the filtered log downloads as CSV.
 */
export default function AuditView(): ReactNode {
  const { api, t, language } = useConsole();
  const styles = useStyles();
  const [before, setBefore] = useState<string | undefined>();
  const [actor, setActor] = useState('');
  const [area, setArea] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [busy, setBusy] = useState(false);
  const [exportError, setExportError] = useState<unknown>();
  const filter = { actor: actor.trim() || undefined, action: area || undefined, since: dayStart(since), until: dayStart(until, true) };
  const page = useLoad(() => api.get<AuditList>(`/audit${query({ limit: PAGE, before, ...filter })}`), [before, filter.actor, filter.action, filter.since, filter.until]);
  const entries = page.data?.entries ?? [];

  const download = () =>
    run(setBusy, setExportError, async () => {
      const all: AuditEntry[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < EXPORT_PAGES; i += 1) {
        const { entries: more } = await api.get<AuditList>(`/audit${query({ limit: 500, before: cursor, ...filter })}`);
        all.push(...more);
        if (more.length < 500) break;
        cursor = more[more.length - 1]!.at;
      }
      const url = URL.createObjectURL(new Blob(['\ufeff', auditCsv(all, language)], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `audit-${new Date().toISOString().slice(0, 10)}.csv`;
      a.click();
      URL.revokeObjectURL(url);
    });

  return (
    <section className={styles.section} aria-labelledby="audit-title">
      <div className={styles.row}>
        <Subtitle1 id="audit-title">{t('nav.audit')}</Subtitle1>
        <RefreshButton onClick={() => (before ? setBefore(undefined) : page.reload())} />
        <Loading loading={page.loading} />
      </div>
      <div className={styles.row} role="search" aria-label={t('audit.filters')}>
        <Field label={t('audit.who')}>
          <Input value={actor} onChange={(_e, d) => { setActor(d.value); setBefore(undefined); }} placeholder={t('audit.whoHint')} />
        </Field>
        <Field label={t('audit.action')}>
          <Select value={area} onChange={(_e, d) => { setArea(d.value); setBefore(undefined); }} data-testid="audit-area">
            <option value="">{t('common.all')}</option>
            {AUDIT_AREAS.map((a) => (
              <option key={a} value={a}>
                {t(`audit.area.${a}` as MessageKey)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('audit.since')}>
          <Input type="date" value={since} onChange={(_e, d) => { setSince(d.value); setBefore(undefined); }} />
        </Field>
        <Field label={t('audit.until')}>
          <Input type="date" value={until} onChange={(_e, d) => { setUntil(d.value); setBefore(undefined); }} />
        </Field>
        <Button onClick={() => void download()} disabled={busy}>
          {t('audit.export')}
        </Button>
      </div>
      <ErrorBar error={page.error ?? exportError} />
      <table className={styles.table} data-testid="audit-list">
        <thead>
          <tr>
            <th>{t('common.when')}</th>
            <th>{t('audit.what')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{when(e.at, language)}</td>
              <td>
                {auditSentence(e, language)}
                <br />
                <Caption1 className={styles.mono}>{e.action}</Caption1>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!page.loading && entries.length === 0 && <span>{t('audit.none')}</span>}
      {entries.length === PAGE && <Button onClick={() => setBefore(entries[entries.length - 1]!.at)}>{t('audit.more')}</Button>}
    </section>
  );
}
