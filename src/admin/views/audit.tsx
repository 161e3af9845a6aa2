import { useState, type ReactNode } from 'react';
import { Button, Subtitle1 } from '@fluentui/react-components';
import { query } from '../api.js';
import type { AuditList } from '../../contract/admin.js';
import { useConsole, useLoad, when } from '../context.js';
import { ErrorBar, Loading, RefreshButton, useStyles } from '../components.js';

/** Every admin action, newest first, 100 at a time. */
export default function AuditView(): ReactNode {
  const { api, t, language } = useConsole();
  const styles = useStyles();
  const [before, setBefore] = useState<string | undefined>();
  const page = useLoad(() => api.get<AuditList>(`/audit${query({ limit: 100, before })}`), [before]);
  const entries = page.data?.entries ?? [];
  return (
    <section className={styles.section} aria-labelledby="audit-title">
      <div className={styles.row}>
        <Subtitle1 id="audit-title">{t('nav.audit')}</Subtitle1>
        <RefreshButton onClick={() => (before ? setBefore(undefined) : page.reload())} />
        <Loading loading={page.loading} />
      </div>
      <ErrorBar error={page.error} />
      <table className={styles.table}>
        <thead>
          <tr>
            <th>{t('common.when')}</th>
            <th>{t('common.who')}</th>
            <th>{t('audit.action')}</th>
            <th>{t('audit.details')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{when(e.at, language)}</td>
              <td>{e.actor}</td>
              <td className={styles.mono}>{e.action}</td>
              <td className={styles.mono}>{JSON.stringify(e.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 100 && <Button onClick={() => setBefore(entries[entries.length - 1]!.at)}>{t('audit.more')}</Button>}
    </section>
  );
}
