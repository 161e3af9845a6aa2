import { useState, type ReactNode } from 'react';
import { Badge, Button, Select, Subtitle1 } from '@fluentui/react-components';
import { query } from '../api.js';
import type { ComplianceOverview, PushReport } from '../../contract/signatures.js';
import { useConsole, useLoad, when } from '../context.js';
import { ErrorBar, Loading, Notice, RefreshButton, run, useStyles } from '../components.js';
import type { MessageKey } from '../i18n/index.js';

const COLOR = { compliant: 'success', attention: 'danger', unknown: 'subtle' } as const;

/**
 * Signature compliance at a glance: per rep, what Outlook saw on their last send and what the
 * Gmail push found, worst first. "Push again" re-applies Gmail signatures (everyone, or one rep)
 * through the store's delegated service account, and shows the push's report.
 */
export default function ComplianceView(): ReactNode {
  const { api, t, language } = useConsole();
  const styles = useStyles();
  const [verdict, setVerdict] = useState('');
  const overview = useLoad(() => api.get<ComplianceOverview>(`/admin/compliance${query({ verdict })}`), [verdict]);
  const order = { attention: 0, unknown: 1, compliant: 2 };
  const users = [...(overview.data?.users ?? [])].sort((a, b) => order[a.verdict] - order[b.verdict] || (a.email < b.email ? -1 : 1));
  const [busy, setBusy] = useState(false);
  const [pushError, setPushError] = useState<unknown>();
  const [report, setReport] = useState<PushReport>();
  const push = (body: { user?: string; dryRun?: boolean }) =>
    run(setBusy, setPushError, async () => {
      setReport(undefined);
      setReport(await api.post<PushReport>('/admin/gmail/push-signatures', body));
      if (!body.dryRun) overview.reload();
    });
  // Only lines that need a look: what changed (or would) and what failed.
  const notable = report?.lines.filter((l) => l.outcome === 'changed' || l.outcome === 'failed') ?? [];
  return (
    <section className={styles.section} aria-labelledby="compliance-title">
      <div className={styles.row}>
        <Subtitle1 id="compliance-title">{t('compliance.title')}</Subtitle1>
        <Select aria-label={t('compliance.verdict')} value={verdict} onChange={(_e, d) => setVerdict(d.value)}>
          <option value="">{t('common.all')}</option>
          <option value="attention">{t('compliance.attention')}</option>
          <option value="unknown">{t('compliance.unknown')}</option>
          <option value="compliant">{t('compliance.compliant')}</option>
        </Select>
        <RefreshButton onClick={overview.reload} />
        <Loading loading={overview.loading} />
      </div>
      <div className={styles.row}>
        <Button appearance="primary" disabled={busy} onClick={() => void push({})}>
          {t('compliance.pushAll')}
        </Button>
        <Button disabled={busy} onClick={() => void push({ dryRun: true })}>
          {t('compliance.pushDryRun')}
        </Button>
      </div>
      <ErrorBar error={overview.error} />
      <ErrorBar error={pushError} />
      {report && (
        <Notice intent={report.failed ? 'warning' : report.dryRun ? 'info' : 'success'}>
          <span data-testid="push-report">{t(report.dryRun ? 'compliance.pushDryReport' : 'compliance.pushReport', { changed: report.changed, unchanged: report.unchanged, failed: report.failed, skipped: report.skipped })}</span>
          {notable.length > 0 && (
            <ul>
              {notable.slice(0, 50).map((l, i) => (
                <li key={i} className={l.outcome === 'failed' ? styles.bad : undefined}>
                  {l.address ?? l.email}: {l.outcome}
                  {l.reason ? ` — ${l.reason}` : ''}
                </li>
              ))}
            </ul>
          )}
        </Notice>
      )}
      {overview.data && <strong data-testid="compliance-counts">{t('compliance.counts', overview.data.counts)}</strong>}
      <table className={styles.table}>
        <thead>
          <tr>
            <th>{t('common.user')}</th>
            <th>{t('compliance.verdict')}</th>
            <th>{t('compliance.channel')}</th>
            <th>{t('compliance.state')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.userId}>
              <td>
                {u.name}
                <br />
                {u.email}
                {u.states.some((s) => s.channel === 'gmail') && (
                  <>
                    <br />
                    <Button size="small" disabled={busy} aria-label={t('compliance.pushFor', { email: u.email })} onClick={() => void push({ user: u.email })}>
                      {t('compliance.pushAgain')}
                    </Button>
                  </>
                )}
              </td>
              <td>
                <Badge color={COLOR[u.verdict]}>{t(`compliance.${u.verdict}`)}</Badge>
              </td>
              <td colSpan={2}>
                {u.states.map((s) => (
                  <div key={`${s.channel}:${s.address}`}>
                    {/* The state in words and in the colour it means: green when compliant, red when not. */}
                    <strong>{s.channel}</strong> {s.address}: <Badge color={s.compliant ? 'success' : 'danger'} data-testid="compliance-state">{t(`compliance.state.${s.state}` as MessageKey)}</Badge> {t('compliance.since', { when: when(s.stateSince, language) })}, {t('compliance.seen', { when: when(s.seenAt, language) })}
                    {s.stale && <Badge color="warning"> {t('compliance.stale')}</Badge>}
                    {s.detail && <span className={s.compliant ? styles.good : styles.bad}> — {s.detail}</span>}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
